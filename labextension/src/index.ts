/**
 * The reactive kernel's JupyterLab extension: plugin objects only (the house rule); the work is in
 * extension.ts (per-notebook controllers), commands.ts and panel.ts.
 */

import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, ISessionContextDialogs } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { addCommands, goToCell } from './commands';
import { DEFAULT_SETTINGS, IReactiveSettings } from './controller';
import { ReactiveExtension } from './extension';
import { GraphPanel } from './panel';
import { addToNewDropdown } from './newdropdown';
import {
  addNewPyNotebookCommand,
  NEW_PY_NOTEBOOK,
  routeReactiveFiles,
  trackReactivePaths
} from './pyopener';
import { ReactivePaths } from './pynotebooks';

const PLUGIN_ID = 'reactive-kernel-labextension:plugin';

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Live cell states, automatic cascades and a dependency view for the reactive kernel.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [
    ISettingRegistry,
    ICommandPalette,
    ISessionContextDialogs,
    ITranslator,
    ILayoutRestorer
  ],
  activate: async (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    dialogs: ISessionContextDialogs | null,
    translator: ITranslator | null,
    restorer: ILayoutRestorer | null
  ) => {
    const extension = new ReactiveExtension(
      app.commands,
      { ...DEFAULT_SETTINGS },
      dialogs,
      translator
    );
    app.docRegistry.addWidgetExtension('Notebook', extension);

    const controllerOf = extension.controllerOf.bind(extension);
    const graphPanel = new GraphPanel(tracker, controllerOf, cellId => {
      const panel = tracker.currentWidget;
      if (panel !== null) {
        goToCell(panel, cellId);
      }
    });
    graphPanel.title.label = 'Graph';
    restorer?.add(graphPanel, graphPanel.id);
    addCommands({ app, tracker, controllerOf, graphPanel, palette });
    tracker.widgetAdded.connect((_, panel) => {
      controllerOf(panel)?.activeChanged.connect(() => app.commands.notifyCommandChanged());
    });

    if (settingRegistry !== null) {
      try {
        const settings = await settingRegistry.load(PLUGIN_ID);
        const apply = () => extension.updateSettings(readSettings(settings));
        settings.changed.connect(apply);
        apply();
      } catch (error) {
        console.warn('reactive: could not load the settings, using the defaults', error);
      }
    }
  }
};

function readSettings(settings: ISettingRegistry.ISettings): IReactiveSettings {
  const get = <K extends keyof IReactiveSettings>(key: K): IReactiveSettings[K] =>
    (settings.get(key).composite as IReactiveSettings[K] | undefined) ?? DEFAULT_SETTINGS[key];
  return {
    debounceMs: get('debounceMs'),
    maxWaitMs: get('maxWaitMs'),
    defaultMode: get('defaultMode'),
    showBadges: get('showBadges'),
    highlightDependencies: get('highlightDependencies')
  };
}

/**
 * Reactive `.py` notebooks (pyopener.ts): double-click opens them as notebooks, and the
 * "Reactive Notebook (.py)" command creates one. A plugin of its own, so that it works (and can be
 * disabled) independently of the cell-state plugin.
 */
const pyNotebooksPlugin: JupyterFrontEndPlugin<void> = {
  id: 'reactive-kernel-labextension:py-notebooks',
  description: 'Open reactive .py notebooks as notebooks, and create new ones.',
  autoStart: true,
  requires: [IDocumentManager],
  optional: [IDefaultFileBrowser, ICommandPalette, ILauncher],
  activate: (
    app: JupyterFrontEnd,
    manager: IDocumentManager,
    browser: IDefaultFileBrowser | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null
  ) => {
    const known = new ReactivePaths();
    if (browser !== null) {
      trackReactivePaths(browser, known);
    }
    routeReactiveFiles(manager, known);
    addNewPyNotebookCommand(app, manager, browser, known, palette, launcher);
    if (browser !== null) {
      addToNewDropdown(browser.toolbar, NEW_PY_NOTEBOOK); // Notebook 7's tree
    }
  }
};

export default [plugin, pyNotebooksPlugin];
