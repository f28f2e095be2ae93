/** ReactiveModel: states and graph by cell id, labels, tooltips, dependency look-ups. */
import {
  IModelChange,
  ReactiveModel,
  STATE_LABEL,
  STATE_MEANING,
  firstLine,
  identifierAt
} from '../model';
import { CellGraphRecord, GraphSnapshot } from '../protocol';
import { schema } from './schema';

const node = (id: string, fields: Partial<CellGraphRecord> = {}): CellGraphRecord => ({
  id,
  defines: [],
  references: [],
  mutates: [],
  deletes: [],
  bindings: {},
  parents: [],
  children: [],
  errors: [],
  ...fields
});

const GRAPH: GraphSnapshot = {
  protocol: 1,
  type: 'graph_snapshot',
  complete: true,
  order: ['a', 'b', 'c', 'd'],
  cells: [
    node('a', { defines: ['x'], children: ['b', 'c'] }),
    node('b', {
      defines: ['y'],
      references: ['x'],
      bindings: { x: 'a' },
      parents: ['a'],
      children: ['c']
    }),
    node('c', {
      defines: ['z'],
      references: ['len', 'x', 'y'],
      bindings: { x: 'a', y: 'b', len: null },
      parents: ['a', 'b']
    }),
    node('d', {
      defines: ['x'],
      errors: [
        { kind: 'ambiguous', message: 'x is defined by two cells', cells: ['a', 'd'], names: ['x'] }
      ]
    })
  ]
};

const SOURCES: Record<string, string> = {
  a: 'x = 1',
  b: '\n  y = x + 1  \n',
  c: 'z = len([x, y])',
  d: 'x = 2'
};
const sourceOf = (id: string) => SOURCES[id];

describe('ReactiveModel', () => {
  it('has a meaning and a label for every state in the schema', () => {
    const states = schema.$defs.CellState.enum;
    expect(Object.keys(STATE_MEANING).sort()).toEqual([...states].sort());
    expect(Object.keys(STATE_LABEL).sort()).toEqual([...states].sort());
  });

  it('merges partial states and replaces on complete ones, saying which cells changed', () => {
    const model = new ReactiveModel();
    const changes: IModelChange[] = [];
    model.changed.connect((_, change) => changes.push(change));
    model.applyStates({
      protocol: 1,
      type: 'cell_states',
      complete: true,
      states: [
        { id: 'a', state: 'stale' },
        { id: 'b', state: 'stale' }
      ]
    });
    model.applyStates({
      protocol: 1,
      type: 'cell_states',
      complete: false,
      states: [{ id: 'a', state: 'fresh' }]
    });
    expect(model.state('a')?.state).toBe('fresh');
    expect(model.state('b')?.state).toBe('stale');
    expect(changes[0].cells).toBe('all');
    expect([...(changes[1].cells as Set<string>)]).toEqual(['a']);
    model.applyStates({ protocol: 1, type: 'cell_states', complete: true, states: [] });
    expect(model.state('a')).toBeUndefined();
  });

  it('keeps the graph, the order and a mode change from the kernel', () => {
    const model = new ReactiveModel();
    model.applyGraph({ ...GRAPH, mode: 'lazy' });
    expect(model.cells).toEqual(['a', 'b', 'c', 'd']);
    expect(model.order).toEqual(['a', 'b', 'c', 'd']);
    expect(model.mode).toBe('lazy');
    expect(model.related('b')).toEqual({ parents: ['a'], children: ['c'] });
    expect(model.related('nope')).toEqual({ parents: [], children: [] });
  });

  it('names cells as the kernel does', () => {
    const model = new ReactiveModel();
    model.applyGraph(GRAPH);
    expect(model.label('b', sourceOf)).toBe('cell [2] (y = x + 1)');
    expect(model.label('b')).toBe('cell [2]');
    expect(model.label('zz')).toBe('a cell not in the graph');
    expect(firstLine('x'.repeat(50))).toBe(`${'x'.repeat(37)}...`);
    expect(firstLine('  \n ')).toBe('');
  });

  it('finds where a name is defined', () => {
    const model = new ReactiveModel();
    model.applyGraph(GRAPH);
    expect(model.definitionOf('x', 'c')).toBe('a'); // its binding
    expect(model.definitionOf('y', 'c')).toBe('b');
    expect(model.definitionOf('z', 'c')).toBe('c'); // its own definition
    expect(model.definitionOf('x', 'd')).toBe('d');
    expect(model.definitionOf('y', 'a')).toBe('b'); // not read there: the first definer below
    expect(model.definitionOf('nothing', 'a')).toBeNull();
  });

  it('describes a cell: state, reason, defines, where each reference comes from', () => {
    const model = new ReactiveModel();
    model.applyGraph(GRAPH);
    model.applyStates({
      protocol: 1,
      type: 'cell_states',
      complete: false,
      states: [
        {
          id: 'c',
          state: 'blocked',
          reason: 'cell [2] (y = x + 1), upstream, failed',
          cells: ['b'],
          names: ['y']
        },
        { id: 'd', state: 'graph-error', reason: 'x is defined by two cells' }
      ]
    });
    const text = model.describe('c', sourceOf);
    expect(text).toContain(STATE_MEANING.blocked);
    expect(text).toContain('Why: cell [2] (y = x + 1), upstream, failed');
    expect(text).toContain('Cells involved: cell [2] (y = x + 1)');
    expect(text).toContain('Variables involved: y');
    expect(text).toContain('Defines: z');
    expect(text).toContain('x \u2190 cell [1] (x = 1)');
    expect(text).toContain('y \u2190 cell [2] (y = x + 1)');
    expect(text).toContain('len \u2190 undefined or a builtin');
    expect(text).toContain('Parents: cell [1] (x = 1); cell [2] (y = x + 1)');
    const d = model.describe('d', sourceOf);
    expect(d).toContain(
      'Graph error (ambiguous): x is defined by two cells (with cell [1] (x = 1))'
    );
    expect(model.cellsIn('graph-error')).toEqual(['d']);
  });

  it('marks every cell stale when the kernel goes away, and forgets all on clear', () => {
    const model = new ReactiveModel();
    model.applyGraph(GRAPH);
    model.markAllStale('the kernel restarted');
    expect(model.cellsIn('stale')).toEqual(['a', 'b', 'c', 'd']);
    expect(model.state('a')?.reason).toBe('the kernel restarted');
    model.clear();
    expect(model.cells).toEqual([]);
    expect(model.state('a')).toBeUndefined();
  });

  it('emits on a mode change only when it changes', () => {
    const model = new ReactiveModel();
    let count = 0;
    model.changed.connect(() => count++);
    model.mode = 'eager';
    model.mode = 'lazy';
    expect(count).toBe(1);
  });
});

describe('identifierAt', () => {
  it.each([
    ['y = x + 1', 4, 'x'],
    ['y = x + 1', 5, 'x'], // right after it
    ['y = xx + 1', 5, 'xx'],
    ['total = df.mean()', 9, 'df'],
    ['total = df.mean()', 12, 'mean'],
    ['y = 1 + 2', 6, null], // on an operator
    ['y = 12', 5, null], // a number
    ['', 0, null],
    ['été = 1', 1, 'été']
  ])('%s at %d is %s', (source, offset, expected) => {
    expect(identifierAt(source, offset)).toBe(expected);
  });
});
