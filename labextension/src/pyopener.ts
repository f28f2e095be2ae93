/**
 * Reactive `.py` notebooks, the JupyterLab shell: opening them as notebooks, and creating new ones.
 *
 * Why this exists: JupyterLab chooses the widget factory of a file from its name only, and the
 * file browser's double-click calls `docManager.openOrReveal(path)` without a factory, so every
 * `.py` would open in the text editor. Making notebooks the default viewer for `.py`
 * (`defaultViewers`) would open plain scripts as notebooks too. Only the server can tell a reactive
 * `.py` from a script (it marks it `"reactive": true` in contents models), so:
 *
 * - `trackReactivePaths` remembers the reactive files of the default file browser's listings;
 * - `routeReactiveFiles` wraps the document manager's `open` (which `openOrReveal` calls too) so
 *   that a known reactive file asked for with the default factory opens with the 'Notebook'
 *   factory, whose panel then starts the kernel named in the file's header (`reactive`). An
 *   explicit factory ("Open With > Editor", a restored layout) is left alone;
 * - a `.py` no listing has shown (opened by URL, from a folder the browser is not in) opens as
 *   usual, the server is asked, and if the file is reactive its editor is replaced by a notebook.
 *
 * Notebook 7 runs the same plugins: its tree's double-click goes through the same `open`, and its
 * opener then loads `/notebooks/<path>?factory=Notebook` in a new browser tab. Its notebook page
 * opens `/notebooks/<path>` with the default factory named explicitly, which `requestedFactory`
 * turns back into "the default" there.
 */

import { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { FileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { pythonIcon } from '@jupyterlab/ui-components';

import {
  NOTEBOOK_FACTORY,
  REACTIVE_KERNELSPEC,
  ReactivePaths,
  chooseFactory,
  isReactiveEntry,
  needsServerCheck,
  newReactiveNotebook,
  requestedFactory
} from './pynotebooks';

export const NEW_PY_NOTEBOOK = 'reactive-kernel:new-py-notebook';

/** Keep `known` in step with the file browser's listing of its current folder. */
export function trackReactivePaths(browser: FileBrowser, known: ReactivePaths): void {
  const update = () => known.updateDirectory(browser.model.path, browser.model.items());
  browser.model.refreshed.connect(update);
  update();
}

/** `DocumentManager.open`, with the trailing arguments passed through untouched. */
type OpenFunction = (
  path: string,
  widgetName?: string,
  ...rest: unknown[]
) => IDocumentWidget | undefined;

/**
 * Make default opens of reactive `.py` files use the notebook factory (see the module doc). These
 * are the manager's public methods, wrapped on this one instance; nothing private is touched.
 */
export function routeReactiveFiles(
  manager: IDocumentManager,
  known: ReactivePaths,
  page: string = PageConfig.getOption('notebookPage')
): void {
  // What an open asks for, with Notebook 7's explicit default on its notebook page made implicit.
  const requested = (path: string, widgetName: string | undefined) =>
    requestedFactory(widgetName, manager.registry.defaultWidgetFactory(path)?.name, page) ??
    undefined;
  const original = manager.open.bind(manager) as OpenFunction;
  const open: OpenFunction = (path, asked, ...rest) => {
    const widgetName = requested(path, asked);
    const widget = original(path, chooseFactory(path, widgetName, known) ?? asked, ...rest);
    if (
      widget !== undefined &&
      needsServerCheck(path, widgetName, known) &&
      // Not when .py opens as a notebook anyway (`defaultViewers` set to a notebook factory).
      manager.registry.defaultWidgetFactory(path)?.modelName !== 'notebook'
    ) {
      void reopenIfReactive(manager, original, widget, path, rest, known);
    }
    return widget;
  };
  // openOrReveal calls `this.open(...)` when no widget is open for the path, so assigning the
  // instance property covers double-clicks, `docmanager:open` and URLs alike.
  manager.open = open;
  // Without a factory, openOrReveal would reveal an editor already open on a reactive file (via
  // "Open With > Editor") rather than its notebook: ask it for the notebook.
  const openOrReveal = manager.openOrReveal.bind(manager) as OpenFunction;
  manager.openOrReveal = (path: string, asked?: string, ...rest: unknown[]) =>
    openOrReveal(path, chooseFactory(path, requested(path, asked), known) ?? asked, ...rest);
}

/**
 * A `.py` no listing had shown opened with its default factory (the editor): ask the server and,
 * when the file is a reactive notebook, open it as one in the editor's place. An editor that has
 * unsaved changes by then is kept (the user has started typing in it).
 */
async function reopenIfReactive(
  manager: IDocumentManager,
  open: OpenFunction,
  editor: IDocumentWidget,
  path: string,
  rest: unknown[],
  known: ReactivePaths
): Promise<void> {
  let reactive = false;
  try {
    reactive = isReactiveEntry(await manager.services.contents.get(path, { content: false }));
  } catch {
    return; // the editor shows the error, if any
  }
  if (!reactive) {
    return;
  }
  known.add(path);
  // Closed already, or the user has started typing in it.
  if (editor.isDisposed || editor.context.model.dirty) {
    return;
  }
  // The editor goes first: Notebook 7's shell holds one main-area widget and ignores another.
  editor.dispose();
  open(path, NOTEBOOK_FACTORY, ...rest);
}

/**
 * Create an untitled reactive `.py` notebook in `cwd` and open it on the reactive kernel: an empty
 * `.py` first (so the server picks a free name), then a notebook saved over it, which the server
 * writes in the reactive format with its header.
 */
export async function createReactivePyNotebook(
  manager: IDocumentManager,
  cwd: string,
  known: ReactivePaths
): Promise<IDocumentWidget | undefined> {
  const contents = manager.services.contents;
  const file = await contents.newUntitled({ path: cwd, type: 'file', ext: '.py' });
  try {
    await contents.save(file.path, {
      type: 'notebook',
      format: 'json',
      content: newReactiveNotebook()
    });
  } catch (error) {
    await contents.delete(file.path).catch(() => undefined);
    throw error;
  }
  known.add(file.path);
  return manager.open(file.path, NOTEBOOK_FACTORY, { name: REACTIVE_KERNELSPEC.name });
}

/** The "Reactive Notebook (.py)" command, in the launcher and the palette (File > New: schema). */
export function addNewPyNotebookCommand(
  app: JupyterFrontEnd,
  manager: IDocumentManager,
  browser: FileBrowser | null,
  known: ReactivePaths,
  palette: ICommandPalette | null,
  launcher: ILauncher | null
): void {
  app.commands.addCommand(NEW_PY_NOTEBOOK, {
    label: args => (args.isPalette ? 'New Reactive Notebook (.py)' : 'Reactive Notebook (.py)'),
    caption: 'Create a reactive notebook stored as a .py file, on the reactive kernel',
    icon: args => (args.isPalette ? undefined : pythonIcon),
    execute: async args => {
      // The launcher passes its folder; the menu and the palette use the file browser's.
      const cwd = typeof args.cwd === 'string' ? args.cwd : (browser?.model.path ?? '');
      try {
        return await createReactivePyNotebook(manager, cwd, known);
      } catch (error) {
        void showErrorMessage('Cannot create a reactive .py notebook', error as Error);
        return undefined;
      }
    }
  });
  palette?.addItem({ command: NEW_PY_NOTEBOOK, category: 'Notebook', args: { isPalette: true } });
  launcher?.add({ command: NEW_PY_NOTEBOOK, category: 'Notebook', rank: 50 });
}
