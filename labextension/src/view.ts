/**
 * CellDecorator: shows each code cell's state on the cell, and the active cell's parents and
 * children.
 *
 * It toggles classes on `cell.node` (`rk-mod-stale`, `rk-mod-parent`, ...) and keeps one small
 * badge element in it (icon, text, and a tooltip built on hover from the model). Everything is
 * derived from the ReactiveModel, keyed by cell id, and re-applied whenever a cell widget is
 * created or enters the viewport, so that windowed rendering of long notebooks never loses a
 * state. Updates are batched into one animation frame.
 */

import { Cell } from '@jupyterlab/cells';
import { Notebook } from '@jupyterlab/notebook';
import { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';

import { CELL_STATES, IModelChange, ReactiveModel, STATE_LABEL, SourceLookup } from './model';
import type { CellState } from './protocol';

/** Icons per state: a shape as well as a colour, so that the state never rests on colour alone. */
export const STATE_ICON: Readonly<Record<CellState, string>> = {
  fresh: '\u2713', // check mark
  stale: '\u25D4', // circle with upper right quadrant
  queued: '\u22EF', // midline ellipsis
  running: '\u25B6', // play
  error: '\u2715', // multiplication x
  blocked: '\u2298', // circled division slash
  'graph-error': '\u26A0' // warning sign
};

const STATE_CLASSES = CELL_STATES.map(state => `rk-mod-${state}`);
const RELATION_CLASSES = ['rk-mod-focus', 'rk-mod-parent', 'rk-mod-child'];
const BADGE_CLASS = 'rk-CellBadge';

export interface IDecoratorOptions {
  showBadges: boolean;
  highlightDependencies: boolean;
}

export class CellDecorator implements IDisposable {
  constructor(
    notebook: Notebook,
    model: ReactiveModel,
    sourceOf: SourceLookup,
    options: IDecoratorOptions
  ) {
    this._notebook = notebook;
    this._model = model;
    this._sourceOf = sourceOf;
    this._options = options;
    model.changed.connect(this._onModelChanged, this);
    notebook.activeCellChanged.connect(this._scheduleRelations, this);
    notebook.cellInViewportChanged.connect(this._onCellShown, this);
    notebook.modelChanged.connect(this._onNotebookModel, this);
    this._onNotebookModel();
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Decorations on or off (off when the notebook is not on a reactive kernel). */
  get enabled(): boolean {
    return this._enabled;
  }

  set enabled(enabled: boolean) {
    if (enabled !== this._enabled) {
      this._enabled = enabled;
      this._notebook.node.classList.toggle('rk-mod-reactive', enabled);
      this._scheduleAll();
    }
  }

  set options(options: IDecoratorOptions) {
    this._options = options;
    this._scheduleAll();
  }

  /** Apply the model to every cell now (tests, and after a settings change). */
  refresh(): void {
    this._scheduleAll();
    this._flush();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    if (this._frame !== null) {
      cancelAnimationFrame(this._frame);
    }
    this._enabled = false;
    for (const cell of this._notebook.widgets) {
      this._undecorate(cell);
    }
    this._notebook.node.classList.remove('rk-mod-reactive');
    Signal.disconnectReceiver(this);
    Signal.clearData(this);
  }

  private _onNotebookModel(): void {
    this._notebook.model?.cells.changed.connect(this._scheduleAll, this);
  }

  private _onModelChanged(_: ReactiveModel, change: IModelChange): void {
    if (change.what === 'graph') {
      // Badges show states only; a new graph changes the highlighted relations, not the badges
      // (their tooltips are built on hover). So a 1000-cell snapshot touches no badge.
      this._relationsDirty = true;
    } else if (change.what === 'states') {
      if (change.cells === 'all' || this._pending === 'all') {
        this._pending = 'all';
      } else {
        change.cells.forEach(id => (this._pending as Set<string>).add(id));
      }
    }
    this._schedule();
  }

  private _onCellShown(_: Notebook, cell: Cell): void {
    this._decorate(cell);
  }

  private _scheduleAll(): void {
    this._pending = 'all';
    this._relationsDirty = true;
    this._schedule();
  }

  private _scheduleRelations(): void {
    this._relationsDirty = true;
    this._schedule();
  }

  private _schedule(): void {
    if (this._frame !== null || this._disposed) {
      return;
    }
    // Hidden tabs get no animation frames: fall back to a timer so that states still apply.
    this._frame =
      typeof document !== 'undefined' && document.hidden
        ? (setTimeout(() => this._flush(), 50) as unknown as number)
        : requestAnimationFrame(() => this._flush());
  }

  private _flush(): void {
    this._frame = null;
    if (this._disposed) {
      return;
    }
    const pending = this._pending;
    this._pending = new Set();
    const widgets = this._notebook.widgets;
    if (pending === 'all') {
      widgets.forEach(cell => this._decorate(cell));
    } else if (pending.size > 0) {
      for (const cell of widgets) {
        if (pending.has(cell.model.id)) {
          this._decorate(cell);
        }
      }
    }
    if (this._relationsDirty) {
      this._relationsDirty = false;
      this._highlightRelations();
    }
  }

  private _decorate(cell: Cell): void {
    const record =
      this._enabled && cell.model.type === 'code' ? this._model.state(cell.model.id) : undefined;
    const node = cell.node;
    const wanted = record === undefined ? null : `rk-mod-${record.state}`;
    for (const name of STATE_CLASSES) {
      if (name !== wanted && node.classList.contains(name)) {
        node.classList.remove(name);
      }
    }
    if (wanted === null || record === undefined) {
      node.classList.remove('rk-mod-tracked');
      node.querySelector(`:scope > .${BADGE_CLASS}`)?.remove();
      return;
    }
    node.classList.add('rk-mod-tracked', wanted);
    if (!this._options.showBadges) {
      node.querySelector(`:scope > .${BADGE_CLASS}`)?.remove();
      return;
    }
    const badge = this._badge(cell);
    if (
      badge.dataset.rkState !== record.state ||
      badge.dataset.rkReason !== (record.reason ?? '')
    ) {
      badge.dataset.rkState = record.state;
      badge.dataset.rkReason = record.reason ?? '';
      badge.replaceChildren(
        span('rk-CellBadge-icon', STATE_ICON[record.state]),
        span('rk-CellBadge-label', STATE_LABEL[record.state])
      );
      const why = record.reason ? `: ${record.reason}` : '';
      badge.setAttribute('aria-label', `${record.state}${why}`);
      badge.title = `${record.state}${why}`; // the full text is built on hover
    }
  }

  /** The cell's badge, created the first time (and again if a re-render dropped it). */
  private _badge(cell: Cell): HTMLElement {
    const existing = cell.node.querySelector<HTMLElement>(`:scope > .${BADGE_CLASS}`);
    if (existing !== null) {
      return existing;
    }
    const badge = document.createElement('div');
    badge.className = BADGE_CLASS;
    badge.setAttribute('role', 'status');
    badge.addEventListener('mouseenter', () => {
      badge.title = this._model.describe(cell.model.id, this._sourceOf);
    });
    cell.node.appendChild(badge);
    return badge;
  }

  private _undecorate(cell: Cell): void {
    cell.node.classList.remove('rk-mod-tracked', ...STATE_CLASSES, ...RELATION_CLASSES);
    cell.node.querySelector(`:scope > .${BADGE_CLASS}`)?.remove();
  }

  /** Mark the active cell's parents and children (and the active cell, when it has any). */
  private _highlightRelations(): void {
    for (const node of this._highlighted) {
      node.classList.remove(...RELATION_CLASSES);
    }
    this._highlighted = [];
    const active = this._notebook.activeCell;
    if (!this._enabled || !this._options.highlightDependencies || active === null) {
      return;
    }
    const { parents, children } = this._model.related(active.model.id);
    if (parents.length === 0 && children.length === 0) {
      return;
    }
    const parentIds = new Set(parents);
    const childIds = new Set(children);
    for (const cell of this._notebook.widgets) {
      const id = cell.model.id;
      const cls =
        cell === active
          ? 'rk-mod-focus'
          : parentIds.has(id)
            ? 'rk-mod-parent'
            : childIds.has(id)
              ? 'rk-mod-child'
              : null;
      if (cls !== null) {
        cell.node.classList.add(cls);
        this._highlighted.push(cell.node);
      }
    }
  }

  private _notebook: Notebook;
  private _model: ReactiveModel;
  private _sourceOf: SourceLookup;
  private _options: IDecoratorOptions;
  private _enabled = false;
  private _pending: Set<string> | 'all' = new Set();
  private _relationsDirty = false;
  private _frame: number | null = null;
  private _highlighted: HTMLElement[] = [];
  private _disposed = false;
}

function span(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}
