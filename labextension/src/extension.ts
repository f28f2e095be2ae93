/**
 * ReactiveExtension: the notebook widget extension. For every notebook panel it creates one
 * NotebookController, its CellDecorator and its toolbar item, and disposes them with the panel.
 * Commands and the side panel find a panel's controller here.
 */

import { ISessionContextDialogs } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { INotebookModel, NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { IReactiveSettings, NotebookController } from './controller';
import { ModeToolbarItem } from './toolbar';
import { CellDecorator } from './view';

export class ReactiveExtension implements DocumentRegistry.IWidgetExtension<
  NotebookPanel,
  INotebookModel
> {
  constructor(
    commands: CommandRegistry,
    settings: IReactiveSettings,
    dialogs: ISessionContextDialogs | null,
    translator: ITranslator | null
  ) {
    this._commands = commands;
    this._settings = settings;
    this._dialogs = dialogs;
    this._translator = translator;
  }

  createNew(panel: NotebookPanel): IDisposable {
    const controller = new NotebookController(
      panel,
      this._settings,
      this._dialogs,
      this._translator
    );
    const decorator = new CellDecorator(
      panel.content,
      controller.model,
      controller.sourceOf,
      this._settings
    );
    controller.activeChanged.connect((_, active) => {
      decorator.enabled = active;
    });
    const toolbar = new ModeToolbarItem(controller, this._commands);
    panel.toolbar.insertItem(10, 'reactive-mode', toolbar);
    this._entries.set(panel, { controller, decorator });
    const entry = new DisposableDelegate(() => {
      this._entries.delete(panel);
      toolbar.dispose();
      decorator.dispose();
      controller.dispose();
    });
    panel.disposed.connect(() => entry.dispose());
    return entry;
  }

  controllerOf(panel: NotebookPanel | null): NotebookController | undefined {
    return panel === null ? undefined : this._entries.get(panel)?.controller;
  }

  decoratorOf(panel: NotebookPanel | null): CellDecorator | undefined {
    return panel === null ? undefined : this._entries.get(panel)?.decorator;
  }

  /** New settings apply to every open notebook. */
  updateSettings(settings: IReactiveSettings): void {
    this._settings = settings;
    for (const { controller, decorator } of this._entries.values()) {
      controller.settings = settings;
      decorator.options = settings;
    }
  }

  private _commands: CommandRegistry;
  private _settings: IReactiveSettings;
  private _dialogs: ISessionContextDialogs | null;
  private _translator: ITranslator | null;
  private _entries = new Map<
    NotebookPanel,
    { controller: NotebookController; decorator: CellDecorator }
  >();
}
