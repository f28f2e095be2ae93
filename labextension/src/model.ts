/**
 * ReactiveModel: what the front end knows about one notebook's reactivity, keyed by cell id.
 *
 * It holds the last state the kernel reported for each code cell, the dependency graph and the
 * mode, and answers the questions the views ask (how to name a cell, what a tooltip says, which
 * cells are a cell's parents and children, which cell defines a name). Views read it whenever a
 * cell widget is (re)attached, so states survive JupyterLab's windowed rendering. No DOM here.
 */

import { ISignal, Signal } from '@lumino/signaling';

import type {
  CellGraphRecord,
  CellState,
  CellStateRecord,
  CellStates,
  GraphSnapshot,
  Mode
} from './protocol';

/** Which cells changed; `all` after a complete message or a reset. */
export interface IModelChange {
  readonly cells: ReadonlySet<string> | 'all';
  readonly what: 'states' | 'graph' | 'mode';
}

/** Gives a cell's source, for labels ("cell [3] (y = x + 1)"). */
export type SourceLookup = (cellId: string) => string | undefined;

/** One line per state: what it means to the user. */
export const STATE_MEANING: Readonly<Record<CellState, string>> = {
  fresh: 'Up to date: it ran with its current code and inputs.',
  stale: 'Out of date: its code or an upstream value changed since it ran.',
  queued: 'Queued: it will run in the current plan.',
  running: 'Running now.',
  error: 'Error: it raised an exception when it last ran.',
  blocked: 'Blocked: an upstream cell failed or has a graph error, so it cannot run.',
  'graph-error':
    'Graph error: it defines a name another cell also defines, is part of a cycle, or cannot be analysed. It never runs.'
};

/** Short badge text per state (the badge also has an icon; colour is never the only cue). */
export const STATE_LABEL: Readonly<Record<CellState, string>> = {
  fresh: 'fresh',
  stale: 'stale',
  queued: 'queued',
  running: 'running',
  error: 'error',
  blocked: 'blocked',
  'graph-error': 'graph'
};

/** Every state, in the order the docs list them. */
export const CELL_STATES: readonly CellState[] = [
  'fresh',
  'stale',
  'queued',
  'running',
  'error',
  'blocked',
  'graph-error'
];

export class ReactiveModel {
  /** Emitted after every applied message; views update the cells it names. */
  get changed(): ISignal<this, IModelChange> {
    return this._changed;
  }

  get mode(): Mode {
    return this._mode;
  }

  set mode(mode: Mode) {
    if (mode !== this._mode) {
      this._mode = mode;
      this._changed.emit({ cells: 'all', what: 'mode' });
    }
  }

  /** Code cell ids in execution (topological) order. */
  get order(): readonly string[] {
    return this._order;
  }

  /** Code cell ids in display order, as the graph lists them. */
  get cells(): readonly string[] {
    return this._display;
  }

  state(cellId: string): CellStateRecord | undefined {
    return this._states.get(cellId);
  }

  graph(cellId: string): CellGraphRecord | undefined {
    return this._graph.get(cellId);
  }

  /** Cells in a given state, in display order. */
  cellsIn(state: CellState): string[] {
    return this._display.filter(id => this._states.get(id)?.state === state);
  }

  applyStates(message: CellStates): void {
    if (message.complete) {
      this._states.clear();
    }
    for (const record of message.states) {
      this._states.set(record.id, record);
    }
    const cells = message.complete ? 'all' : new Set(message.states.map(r => r.id));
    this._changed.emit({ cells, what: 'states' });
  }

  applyGraph(message: GraphSnapshot): void {
    if (message.complete) {
      this._graph.clear();
    }
    for (const record of message.cells) {
      this._graph.set(record.id, record);
    }
    if (message.complete) {
      this._display = message.cells.map(record => record.id);
    } else {
      this._display = this._display.concat(
        message.cells.map(r => r.id).filter(id => !this._display.includes(id))
      );
    }
    this._index = new Map(this._display.map((id, index) => [id, index]));
    this._order = message.order.slice();
    if (message.mode !== undefined) {
      this._mode = message.mode;
    }
    this._changed.emit({ cells: 'all', what: 'graph' });
  }

  /**
   * The kernel went away (restart, shutdown, reload): nothing in memory, every known code cell
   * stale until the kernel says otherwise.
   */
  markAllStale(reason: string): void {
    for (const id of this._display) {
      this._states.set(id, { id, state: 'stale', reason });
    }
    this._changed.emit({ cells: 'all', what: 'states' });
  }

  /** Forget everything (the notebook left the reactive kernel). */
  clear(): void {
    this._states.clear();
    this._graph.clear();
    this._display = [];
    this._index.clear();
    this._order = [];
    this._changed.emit({ cells: 'all', what: 'states' });
  }

  /** How messages name a cell, as the kernel does: "cell [3] (y = x + 1)". */
  label(cellId: string, sourceOf?: SourceLookup): string {
    const index = this._index.get(cellId);
    const base = index === undefined ? 'a cell not in the graph' : `cell [${index + 1}]`;
    const first = firstLine(sourceOf?.(cellId) ?? '');
    return first ? `${base} (${first})` : base;
  }

  /** The cells whose versions `cellId` reads, and the cells that read its versions. */
  related(cellId: string): { parents: readonly string[]; children: readonly string[] } {
    const record = this._graph.get(cellId);
    return { parents: record?.parents ?? [], children: record?.children ?? [] };
  }

  /**
   * The cell that defines `name` as seen from `fromCell`: the cell its reference binds to, else the
   * definer nearest above it, else the first one below. Null when no cell defines it.
   */
  definitionOf(name: string, fromCell: string): string | null {
    const bound = this._graph.get(fromCell)?.bindings[name];
    if (typeof bound === 'string') {
      return bound;
    }
    const definers = this._display.filter(id => {
      const record = this._graph.get(id);
      return record !== undefined && record.defines.includes(name);
    });
    if (definers.length === 0) {
      return null;
    }
    if (definers.includes(fromCell)) {
      return fromCell;
    }
    const here = this._index.get(fromCell) ?? -1;
    const above = definers.filter(id => (this._index.get(id) ?? 0) < here);
    return above.length > 0 ? above[above.length - 1] : definers[0];
  }

  /**
   * The tooltip of a cell: its state and why, what it defines, where each reference comes from,
   * its parents and children, graph errors and warnings. Built on demand (on hover), so that a big
   * graph snapshot costs nothing until someone looks.
   */
  describe(cellId: string, sourceOf?: SourceLookup): string {
    const state = this._states.get(cellId);
    const graph = this._graph.get(cellId);
    const name = (id: string) => this.label(id, sourceOf);
    const lines: string[] = [];
    if (state !== undefined) {
      lines.push(STATE_MEANING[state.state]);
      if (state.reason) {
        lines.push(`Why: ${state.reason}`);
      }
      if (state.cells && state.cells.length > 0) {
        lines.push(`Cells involved: ${state.cells.map(name).join('; ')}`);
      }
      if (state.names && state.names.length > 0) {
        lines.push(`Variables involved: ${state.names.join(', ')}`);
      }
    }
    if (graph !== undefined) {
      lines.push(`Defines: ${graph.defines.length > 0 ? graph.defines.join(', ') : '(nothing)'}`);
      const references = Object.entries(graph.bindings);
      if (references.length > 0) {
        lines.push('Reads:');
        for (const [variable, producer] of references) {
          const from = producer === null ? 'undefined or a builtin' : name(producer);
          lines.push(`  ${variable} \u2190 ${from}`);
        }
      }
      if (graph.mutates.length > 0) {
        lines.push(`Mutates: ${graph.mutates.join(', ')}`);
      }
      if (graph.parents.length > 0) {
        lines.push(`Parents: ${graph.parents.map(name).join('; ')}`);
      }
      if (graph.children.length > 0) {
        lines.push(`Children: ${graph.children.map(name).join('; ')}`);
      }
      for (const error of graph.errors) {
        const others = (error.cells ?? []).filter(id => id !== cellId);
        const withCells = others.length > 0 ? ` (with ${others.map(name).join('; ')})` : '';
        lines.push(`Graph error (${error.kind}): ${error.message}${withCells}`);
      }
      for (const warning of graph.warnings ?? []) {
        lines.push(`Warning: ${warning.message}`);
      }
    }
    return lines.join('\n');
  }

  private _changed = new Signal<this, IModelChange>(this);
  private _mode: Mode = 'eager';
  private _states = new Map<string, CellStateRecord>();
  private _graph = new Map<string, CellGraphRecord>();
  private _display: string[] = [];
  private _index = new Map<string, number>();
  private _order: string[] = [];
}

/** The first non-blank line, stripped and cut at 40 characters (as the kernel labels cells). */
export function firstLine(source: string): string {
  const line = source
    .split('\n')
    .map(l => l.trim())
    .find(l => l.length > 0);
  if (line === undefined) {
    return '';
  }
  return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}

/**
 * The Python identifier at `offset` in `source` (the cursor may sit inside it or right after it),
 * or null. Attribute access `a.b` gives the part under the cursor.
 */
export function identifierAt(source: string, offset: number): string | null {
  const isPart = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
  let start = Math.max(0, Math.min(offset, source.length));
  if (!isPart(source[start]) && isPart(source[start - 1])) {
    start -= 1;
  }
  if (!isPart(source[start])) {
    return null;
  }
  let end = start;
  while (start > 0 && isPart(source[start - 1])) {
    start--;
  }
  while (isPart(source[end])) {
    end++;
  }
  const word = source.slice(start, end);
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(word) ? word : null;
}
