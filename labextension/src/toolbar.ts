/**
 * ModeToolbarItem: the notebook toolbar's reactive controls, a lazy/eager toggle and a "run stale"
 * button with the number of stale cells. Hidden while the notebook is not on the reactive kernel.
 */

import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { CommandIDs } from './commands';
import { NotebookController } from './controller';

export class ModeToolbarItem extends Widget {
  constructor(controller: NotebookController, commands: CommandRegistry) {
    super();
    this.addClass('rk-Toolbar');
    this._controller = controller;
    this._mode = button('rk-Toolbar-mode', () => void controller.toggleMode());
    this._stale = button('rk-Toolbar-stale', () => void commands.execute(CommandIDs.runStale));
    this.node.append(this._mode, this._stale);
    controller.model.changed.connect(this._update, this);
    controller.activeChanged.connect(this._update, this);
    this._update();
  }

  dispose(): void {
    this._controller.model.changed.disconnect(this._update, this);
    this._controller.activeChanged.disconnect(this._update, this);
    super.dispose();
  }

  private _update(): void {
    const { active, model } = this._controller;
    this.setHidden(!active);
    const lazy = model.mode === 'lazy';
    this._mode.textContent = lazy ? '\u23F8 lazy' : '\u26A1 eager';
    this._mode.title = lazy
      ? 'Lazy: running a cell marks its dependents stale. Click for eager.'
      : 'Eager: running a cell re-runs its dependents. Click for lazy.';
    this._mode.setAttribute('aria-pressed', String(lazy));
    this._mode.dataset.rkMode = model.mode;
    const stale = model.cellsIn('stale').length;
    this._stale.textContent = `\u25B6 stale (${stale})`;
    this._stale.title = `Run the ${stale} stale cell(s) in dependency order`;
    this._stale.disabled = stale === 0;
  }

  private _controller: NotebookController;
  private _mode: HTMLButtonElement;
  private _stale: HTMLButtonElement;
}

function button(className: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.className = `jp-ToolbarButtonComponent jp-mod-minimal jp-Button ${className}`;
  element.type = 'button';
  element.addEventListener('click', onClick);
  return element;
}
