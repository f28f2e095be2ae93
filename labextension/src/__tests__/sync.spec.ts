/** diffCells turns any notebook change into a valid, small edit_cells batch; Debouncer batches. */
import { CellRecord, RequestFactory } from '../protocol';
import { Debouncer, IScheduler, applyChanges, diffCells } from '../sync';
import { check } from './schema';

const code = (id: string, source = `${id} = 1`): CellRecord => ({ id, kind: 'code', source });
const md = (id: string): CellRecord => ({ id, kind: 'markdown', source: `# ${id}` });

describe('diffCells', () => {
  const a = code('a');
  const b = code('b');
  const c = code('c');
  const d = code('d');
  const e = code('e');

  it.each([
    ['nothing changed', [a, b], [a, b], []],
    [
      'an edit',
      [a, b],
      [a, code('b', 'b = a + 1')],
      [{ op: 'update', id: 'b', source: 'b = a + 1' }]
    ],
    ['an insert', [a, b], [a, c, b], [{ op: 'insert', index: 1, cell: c }]],
    ['a delete', [a, b, c], [a, c], [{ op: 'delete', id: 'b' }]],
    ['a move up by one', [a, b, c], [a, c, b], [{ op: 'move', id: 'c', index: 1 }]],
    ['a move down by one', [a, b, c], [b, a, c], [{ op: 'move', id: 'b', index: 0 }]],
    [
      'the last cell to the top',
      [a, b, c, d, e],
      [e, a, b, c, d],
      [{ op: 'move', id: 'e', index: 0 }]
    ],
    [
      'the first cell to the bottom',
      [a, b, c, d, e],
      [b, c, d, e, a],
      [{ op: 'move', id: 'a', index: 4 }]
    ],
    [
      'a kind change (code to markdown)',
      [a, b],
      [a, { ...b, kind: 'markdown' }],
      [
        { op: 'delete', id: 'b' },
        { op: 'insert', index: 1, cell: { ...b, kind: 'markdown' } }
      ]
    ],
    [
      'markdown cells count in indexes',
      [md('m'), a],
      [md('m'), c, a],
      [{ op: 'insert', index: 1, cell: c }]
    ],
    [
      'an empty notebook filled',
      [],
      [a, b],
      [
        { op: 'insert', index: 0, cell: a },
        { op: 'insert', index: 1, cell: b }
      ]
    ]
  ] as [string, CellRecord[], CellRecord[], unknown[]][])(
    '%s',
    (_what, before, after, expected) => {
      const changes = diffCells(before, after);
      expect(changes).toEqual(expected);
      expect(applyChanges(before, changes)).toEqual(after);
    }
  );

  it('produces valid, correct batches for random notebooks (500 rounds)', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let next = 0;
    const factory = new RequestFactory();
    for (let round = 0; round < 500; round++) {
      const before: CellRecord[] = [];
      for (let i = random(8); i > 0; i--) {
        before.push(random(4) === 0 ? md(`c${next++}`) : code(`c${next++}`));
      }
      let after = before.map(cell => ({ ...cell }));
      for (let step = random(6); step > 0; step--) {
        const op = random(5);
        if (op === 0 || after.length === 0) {
          after.splice(random(after.length + 1), 0, code(`c${next++}`));
        } else if (op === 1) {
          after.splice(random(after.length), 1);
        } else if (op === 2) {
          const [cell] = after.splice(random(after.length), 1);
          after.splice(random(after.length + 1), 0, cell);
        } else if (op === 3) {
          const i = random(after.length);
          after[i] = { ...after[i], source: `${after[i].source}\nx${next++} = 2` };
        } else {
          const i = random(after.length);
          after[i] = { ...after[i], kind: after[i].kind === 'code' ? 'raw' : 'code' };
        }
      }
      after = after.map(cell => ({ ...cell }));
      const changes = diffCells(before, after);
      expect(applyChanges(before, changes)).toEqual(after);
      expect(check('EditCellsRequest', factory.editCells(changes))).toBeNull();
      const moves = changes.filter(c => c.op === 'move').length;
      expect(moves).toBeLessThanOrEqual(Math.max(0, after.length - 1));
    }
  });

  it('stays linear on a 1000-cell notebook with one edit', () => {
    const before = Array.from({ length: 1000 }, (_, i) => code(`c${i}`));
    const after = before.slice();
    after[500] = code('c500', 'c500 = 2');
    const start = Date.now();
    for (let i = 0; i < 100; i++) {
      diffCells(before, after);
    }
    expect(diffCells(before, after)).toEqual([{ op: 'update', id: 'c500', source: 'c500 = 2' }]);
    expect((Date.now() - start) / 100).toBeLessThan(20); // ms per diff, generously
  });
});

describe('applyChanges', () => {
  it('refuses what the kernel refuses', () => {
    const cells = [code('a'), code('b')];
    expect(() => applyChanges(cells, [{ op: 'delete', id: 'zz' }])).toThrow();
    expect(() => applyChanges(cells, [{ op: 'insert', index: 3, cell: code('c') }])).toThrow();
    expect(() => applyChanges(cells, [{ op: 'insert', index: 0, cell: code('a') }])).toThrow();
    expect(() => applyChanges(cells, [{ op: 'move', id: 'a', index: 2 }])).toThrow();
  });
});

class FakeClock implements IScheduler {
  time = 0;
  timers: { at: number; callback: () => void; handle: number }[] = [];
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.timers.length + 1000 * Math.random();
    this.timers.push({ at: this.time + ms, callback, handle });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter(t => t.handle !== handle);
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter(t => t.at <= until).sort((x, y) => x.at - y.at)[0];
      if (due === undefined) {
        break;
      }
      this.timers = this.timers.filter(t => t !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }
}

describe('Debouncer', () => {
  it('fires once after a quiet period', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    const debouncer = new Debouncer(() => fired.push(clock.now()), 300, 2000, clock);
    debouncer.schedule();
    clock.advance(100);
    debouncer.schedule();
    clock.advance(299);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([400]);
    expect(debouncer.pending).toBe(false);
  });

  it('fires at least every maxWait while calls keep coming', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    const debouncer = new Debouncer(() => fired.push(clock.now()), 300, 1000, clock);
    for (let t = 0; t < 2500; t += 100) {
      debouncer.schedule();
      clock.advance(100);
    }
    expect(fired).toEqual([1000, 2000]);
    clock.advance(300);
    expect(fired).toEqual([1000, 2000, 2700]);
  });

  it('flushes now, and only when something is pending', () => {
    const clock = new FakeClock();
    let count = 0;
    const debouncer = new Debouncer(() => count++, 300, 1000, clock);
    debouncer.flush();
    expect(count).toBe(0);
    debouncer.schedule();
    debouncer.flush();
    expect(count).toBe(1);
    clock.advance(1000);
    expect(count).toBe(1);
    debouncer.schedule();
    debouncer.cancel();
    clock.advance(1000);
    expect(count).toBe(1);
  });
});
