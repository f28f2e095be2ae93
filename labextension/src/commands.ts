/**
 * The extension's commands: in the palette (category "Reactive"), the Run menu and the cell context
 * menu (schema/plugin.json), with keyboard shortcuts that JupyterLab does not use by default.
 */

import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Widget } from '@lumino/widgets';

import { NotebookController } from './controller';
import { identifierAt } from './model';

export namespace CommandIDs {
  export const runStale = 'reactive:run-stale';
  export const runAll = 'reactive:run-all';
  export const toggleMode = 'reactive:toggle-mode';
  export const jumpToDefinition = 'reactive:jump-to-definition';
  export const showGraph = 'reactive:show-graph';
  export const stop = 'reactive:stop';
}

/** JupyterLab's commands that interrupt the kernel: a plan in progress stops with them. */
export const INTERRUPT_COMMANDS: ReadonlySet<string> = new Set([
  'notebook:interrupt-kernel',
  'kernelmenu:interrupt',
  'runmenu:interrupt'
]);

export interface ICommandContext {
  app: JupyterFrontEnd;
  tracker: INotebookTracker;
  controllerOf(panel: NotebookPanel | null): NotebookController | undefined;
  graphPanel: Widget;
  palette: ICommandPalette | null;
}

/** Go to a cell of a notebook: make it active, scroll to it, flash it. */
export function goToCell(panel: NotebookPanel, cellId: string): boolean {
  const notebook = panel.content;
  const index = notebook.widgets.findIndex(cell => cell.model.id === cellId);
  if (index < 0) {
    return false;
  }
  notebook.mode = 'command';
  notebook.deselectAll();
  notebook.activeCellIndex = index;
  const cell = notebook.widgets[index];
  void notebook.scrollToCell(cell);
  cell.node.classList.add('rk-mod-jumped');
  setTimeout(() => cell.node.classList.remove('rk-mod-jumped'), 1200);
  return true;
}

export function addCommands(context: ICommandContext): void {
  const { app, tracker, controllerOf, palette } = context;
  const { commands, shell } = app;
  const current = () => controllerOf(tracker.currentWidget);
  const isActive = () => current()?.active === true;

  commands.addCommand(CommandIDs.runStale, {
    label: 'Run Stale Cells',
    caption: 'Run every stale cell of the notebook, in dependency order',
    isEnabled: isActive,
    execute: () => current()?.requestPlan('run_stale')
  });

  commands.addCommand(CommandIDs.runAll, {
    label: 'Run All Cells in Dependency Order',
    caption: 'Run every code cell in the order the dependency graph gives',
    isEnabled: isActive,
    execute: () => current()?.requestPlan('run_all')
  });

  commands.addCommand(CommandIDs.toggleMode, {
    label: 'Lazy Mode (Mark Dependents Stale Instead of Running Them)',
    caption: 'Switch between eager (cascades run) and lazy (dependents are marked stale)',
    isEnabled: isActive,
    isToggled: () => current()?.model.mode === 'lazy',
    execute: args => {
      const controller = current();
      if (controller === undefined) {
        return;
      }
      const mode = args.mode;
      return mode === 'eager' || mode === 'lazy'
        ? controller.setMode(mode)
        : controller.toggleMode();
    }
  });

  commands.addCommand(CommandIDs.stop, {
    label: 'Stop the Reactive Run',
    caption: 'Stop carrying out the current run plan (the running cell finishes)',
    isEnabled: () => current()?.runner.busy === true,
    execute: () => current()?.abort()
  });

  commands.addCommand(CommandIDs.jumpToDefinition, {
    label: 'Jump to Definition of Variable Under Cursor',
    caption: 'Go to the cell that defines the variable under the cursor',
    isEnabled: isActive,
    execute: () => {
      const panel = tracker.currentWidget;
      const controller = current();
      const cell = panel?.content.activeCell;
      if (!panel || !controller || !cell || !cell.editor) {
        return;
      }
      const editor = cell.editor;
      const offset = editor.getOffsetAt(editor.getCursorPosition());
      const name = identifierAt(cell.model.sharedModel.getSource(), offset);
      if (name === null) {
        Notification.info('No variable under the cursor.', { autoClose: 3000 });
        return;
      }
      const target = controller.model.definitionOf(name, cell.model.id);
      if (target === null) {
        Notification.info(`No cell defines ${name}.`, { autoClose: 3000 });
        return;
      }
      goToCell(panel, target);
    }
  });

  commands.addCommand(CommandIDs.showGraph, {
    label: 'Show Dependency Graph',
    caption: 'Open the side panel listing the notebook dependency graph',
    execute: () => {
      if (!context.graphPanel.isAttached) {
        shell.add(context.graphPanel, 'right', { rank: 650 });
      }
      shell.activateById(context.graphPanel.id);
    }
  });

  for (const command of [
    CommandIDs.runStale,
    CommandIDs.runAll,
    CommandIDs.toggleMode,
    CommandIDs.stop,
    CommandIDs.jumpToDefinition,
    CommandIDs.showGraph
  ]) {
    palette?.addItem({ command, category: 'Reactive' });
  }

  // Interrupting the kernel stops the plan too. commandExecuted is public; nothing is patched.
  commands.commandExecuted.connect((_, args) => {
    if (INTERRUPT_COMMANDS.has(args.id)) {
      current()?.abort();
    }
  });

  tracker.currentChanged.connect(() => commands.notifyCommandChanged());
  tracker.activeCellChanged.connect(() => commands.notifyCommandChanged());
}
