/**
 * Keeping the kernel's view of the notebook in step with the front end's, one small batch at a
 * time (docs/protocol.md, `edit_cells`).
 *
 * Rather than translating each JupyterLab event (cells.changed, source edits, undo, paste, type
 * changes) into protocol changes one by one, `diffCells` compares the notebook as the kernel last
 * saw it with the notebook as it is, and emits the few changes that turn one into the other:
 * deletes, moves, inserts, then source updates. Any sequence of events, however tangled, therefore
 * reaches the kernel as a correct batch; a batch the kernel still refuses makes the caller fall back
 * to a full `sync_notebook`. `Debouncer` batches keystrokes. Nothing here touches the DOM.
 */

import type { CellRecord, Change } from './protocol';

/**
 * The changes that turn `before` into `after` (both in display order, ids unique), in the order
 * the kernel must apply them. A cell whose kind changed is deleted and inserted again.
 */
export function diffCells(before: readonly CellRecord[], after: readonly CellRecord[]): Change[] {
  const afterById = new Map(after.map(cell => [cell.id, cell]));
  const changes: Change[] = [];
  const kept: string[] = [];
  for (const cell of before) {
    const now = afterById.get(cell.id);
    if (now === undefined || now.kind !== cell.kind) {
      changes.push({ op: 'delete', id: cell.id });
    } else {
      kept.push(cell.id);
    }
  }
  const keptIds = new Set(kept);
  const target = after.filter(cell => keptIds.has(cell.id)).map(cell => cell.id);
  changes.push(...fewestMoves(kept, target));
  after.forEach((cell, index) => {
    if (!keptIds.has(cell.id)) {
      changes.push({ op: 'insert', index, cell: { ...cell } });
    }
  });
  const beforeById = new Map(before.map(cell => [cell.id, cell]));
  for (const cell of after) {
    const old = beforeById.get(cell.id);
    if (keptIds.has(cell.id) && old !== undefined && old.source !== cell.source) {
      changes.push({ op: 'update', id: cell.id, source: cell.source });
    }
  }
  return changes;
}

/**
 * Moves that reorder `current` into `target` (the same ids). Two greedy passes, one pulling cells
 * into place from the front, one from the back; the shorter wins, so that moving one cell, up or
 * down by any distance, is one move.
 */
function fewestMoves(current: readonly string[], target: readonly string[]): Change[] {
  const forward = pullForward(current, target);
  if (forward.length <= 1) {
    return forward;
  }
  const backward = pullBackward(current, target);
  return backward.length < forward.length ? backward : forward;
}

function pullForward(current: readonly string[], target: readonly string[]): Change[] {
  const working = current.slice();
  const moves: Change[] = [];
  for (let i = 0; i < target.length; i++) {
    if (working[i] !== target[i]) {
      const from = working.indexOf(target[i], i + 1);
      working.splice(from, 1);
      working.splice(i, 0, target[i]);
      moves.push({ op: 'move', id: target[i], index: i });
    }
  }
  return moves;
}

function pullBackward(current: readonly string[], target: readonly string[]): Change[] {
  const working = current.slice();
  const moves: Change[] = [];
  for (let i = target.length - 1; i >= 0; i--) {
    if (working[i] !== target[i]) {
      const from = working.lastIndexOf(target[i], i - 1);
      working.splice(from, 1);
      working.splice(i, 0, target[i]);
      moves.push({ op: 'move', id: target[i], index: i });
    }
  }
  return moves;
}

/**
 * Apply `changes` to `cells` as the kernel does (reactive_kernel/kernel/edits.py): in order, indexes
 * over all cells, a move's index counted after taking the cell out. Throws on a change that does
 * not fit. Used by the tests, and as a cheap self-check before sending.
 */
export function applyChanges(
  cells: readonly CellRecord[],
  changes: readonly Change[]
): CellRecord[] {
  const result = cells.map(cell => ({ ...cell }));
  const indexOf = (id: string): number => {
    const index = result.findIndex(cell => cell.id === id);
    if (index < 0) {
      throw new Error(`unknown cell ${id}`);
    }
    return index;
  };
  for (const change of changes) {
    switch (change.op) {
      case 'update':
        result[indexOf(change.id)].source = change.source;
        break;
      case 'delete':
        result.splice(indexOf(change.id), 1);
        break;
      case 'insert':
        if (change.index > result.length || result.some(c => c.id === change.cell.id)) {
          throw new Error(`insert of ${change.cell.id} at ${change.index} does not fit`);
        }
        result.splice(change.index, 0, { ...change.cell });
        break;
      case 'move': {
        const [cell] = result.splice(indexOf(change.id), 1);
        if (change.index > result.length) {
          throw new Error(`move of ${change.id} to ${change.index} is out of range`);
        }
        result.splice(change.index, 0, cell);
        break;
      }
    }
  }
  return result;
}

/** Timers, injectable so that tests control time. */
export interface IScheduler {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: IScheduler = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>)
};

/**
 * Calls `callback` once things have been quiet for `delay` ms, and at least every `maxWait` ms while
 * they are not (so that a long typing burst still reaches the kernel). `flush` calls it now if
 * anything is pending, e.g. right before a cell executes.
 */
export class Debouncer {
  constructor(
    callback: () => void,
    delay: number,
    maxWait: number,
    scheduler: IScheduler = realScheduler
  ) {
    this._callback = callback;
    this.delay = delay;
    this._maxWait = maxWait;
    this._scheduler = scheduler;
  }

  /** Quiet time before the callback runs, in ms (a setting). */
  delay: number;

  get pending(): boolean {
    return this._firstAt !== null;
  }

  schedule(): void {
    const now = this._scheduler.now();
    if (this._firstAt === null) {
      this._firstAt = now;
    }
    this._clear();
    const wait = Math.max(0, Math.min(this.delay, this._firstAt + this._maxWait - now));
    this._handle = this._scheduler.setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this._firstAt === null) {
      return;
    }
    this._clear();
    this._firstAt = null;
    this._callback();
  }

  cancel(): void {
    this._clear();
    this._firstAt = null;
  }

  private _clear(): void {
    if (this._handle !== null) {
      this._scheduler.clearTimeout(this._handle);
      this._handle = null;
    }
  }

  private _callback: () => void;
  private _maxWait: number;
  private _scheduler: IScheduler;
  private _handle: unknown = null;
  private _firstAt: number | null = null;
}
