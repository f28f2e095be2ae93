/**
 * GraphPanel: a side panel listing the current notebook's dependency graph in execution order.
 * Each row names a cell, its state, what it defines and where each of its references comes from;
 * clicking a row (or a reference) goes to that cell. It follows the notebook tracker and redraws
 * at most once per animation frame, and only while visible.
 */

import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';

import { NotebookController } from './controller';
import { STATE_LABEL } from './model';
import { STATE_ICON } from './view';

/** Finds the controller of a notebook panel. */
export type ControllerLookup = (panel: NotebookPanel | null) => NotebookController | undefined;

export class GraphPanel extends Widget {
  constructor(
    tracker: INotebookTracker,
    controllerOf: ControllerLookup,
    goTo: (cellId: string) => void
  ) {
    super();
    this.id = 'reactive-graph-panel';
    this.addClass('rk-GraphPanel');
    this.title.caption = 'Reactive dependency graph';
    this._tracker = tracker;
    this._controllerOf = controllerOf;
    this._goTo = goTo;
    tracker.currentChanged.connect(this._follow, this);
    this._follow();
  }

  dispose(): void {
    this._watch(undefined);
    super.dispose();
  }

  protected onAfterShow(): void {
    this._render();
  }

  private _follow(): void {
    this._watch(this._controllerOf(this._tracker.currentWidget));
  }

  private _watch(controller: NotebookController | undefined): void {
    if (this._controller !== undefined) {
      this._controller.model.changed.disconnect(this._schedule, this);
      this._controller.activeChanged.disconnect(this._schedule, this);
    }
    this._controller = controller;
    if (controller !== undefined) {
      controller.model.changed.connect(this._schedule, this);
      controller.activeChanged.connect(this._schedule, this);
    }
    this._schedule();
  }

  private _schedule(): void {
    if (this._frame === null && !this.isDisposed) {
      this._frame = requestAnimationFrame(() => {
        this._frame = null;
        if (this.isVisible) {
          this._render();
        }
      });
    }
  }

  private _render(): void {
    const controller = this._controller;
    const body = document.createElement('div');
    body.className = 'rk-GraphPanel-body';
    const heading = document.createElement('h3');
    heading.className = 'rk-GraphPanel-heading';
    heading.textContent = 'Dependency graph';
    body.appendChild(heading);
    if (controller === undefined || !controller.active) {
      body.appendChild(
        text('p', 'rk-GraphPanel-empty', 'The current notebook is not on the reactive kernel.')
      );
      this.node.replaceChildren(body);
      return;
    }
    const model = controller.model;
    body.appendChild(
      text('p', 'rk-GraphPanel-mode', `Mode: ${model.mode}. Cells in execution order:`)
    );
    const list = document.createElement('ol');
    list.className = 'rk-GraphPanel-list';
    for (const id of model.order) {
      const graph = model.graph(id);
      const state = model.state(id)?.state;
      const item = document.createElement('li');
      item.className = `rk-GraphPanel-cell${state ? ` rk-mod-${state}` : ''}`;
      item.dataset.cellId = id;
      const head = document.createElement('button');
      head.className = 'rk-GraphPanel-cellName';
      head.textContent = model.label(id, controller.sourceOf);
      head.title = model.describe(id, controller.sourceOf);
      head.addEventListener('click', () => this._goTo(id));
      item.appendChild(head);
      if (state !== undefined) {
        item.appendChild(
          text(
            'span',
            `rk-GraphPanel-state rk-mod-${state}`,
            `${STATE_ICON[state]} ${STATE_LABEL[state]}`
          )
        );
      }
      if (graph !== undefined) {
        if (graph.defines.length > 0) {
          item.appendChild(
            text('div', 'rk-GraphPanel-defines', `defines ${graph.defines.join(', ')}`)
          );
        }
        for (const [name, producer] of Object.entries(graph.bindings)) {
          if (producer === null) {
            continue;
          }
          const ref = document.createElement('button');
          ref.className = 'rk-GraphPanel-ref';
          ref.textContent = `${name} \u2190 ${model.label(producer, controller.sourceOf)}`;
          ref.addEventListener('click', () => this._goTo(producer));
          item.appendChild(ref);
        }
        for (const error of graph.errors) {
          item.appendChild(text('div', 'rk-GraphPanel-error', `\u26A0 ${error.message}`));
        }
      }
      list.appendChild(item);
    }
    // Cells with graph errors are not in the order: list them after it.
    for (const id of model.cells.filter(c => !model.order.includes(c))) {
      const item = text(
        'li',
        'rk-GraphPanel-cell rk-mod-graph-error',
        model.label(id, controller.sourceOf)
      );
      item.dataset.cellId = id;
      item.addEventListener('click', () => this._goTo(id));
      list.appendChild(item);
    }
    body.appendChild(list);
    this.node.replaceChildren(body);
  }

  private _tracker: INotebookTracker;
  private _controllerOf: ControllerLookup;
  private _goTo: (cellId: string) => void;
  private _controller: NotebookController | undefined;
  private _frame: number | null = null;
}

function text<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  content: string
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = content;
  return element;
}
