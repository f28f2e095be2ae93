/**
 * Reactive `.py` notebooks, the pure part (no DOM, no JupyterLab imports; unit-tested).
 *
 * The server (jupytext_format.server) serves a `.py` file whose header has a `reactive:` entry as a
 * notebook and marks it `"reactive": true` in contents models, directory listings included.
 * JupyterLab itself picks the widget factory of a file from its name alone, so every `.py` would
 * open in the text editor (or, with `defaultViewers`, every `.py` as a notebook). The shell
 * (pyopener.ts) therefore asks this module which factory a path should open with, from what the
 * server told us about the file.
 */

/** The widget factory that reactive `.py` files open with: JupyterLab's notebook. */
export const NOTEBOOK_FACTORY = 'Notebook';

/** The kernelspec a new reactive `.py` notebook is created with (as in jupytext_format.header). */
export const REACTIVE_KERNELSPEC = {
  name: 'reactive',
  display_name: 'Python 3 (reactive)',
  language: 'python'
};

/** A contents model, as far as this module reads it. */
export interface IContentsEntry {
  path: string;
  type?: string;
  reactive?: unknown;
}

/** Whether a path names a `.py` file (the only files the server may serve as reactive). */
export function isPythonPath(path: string): boolean {
  return path.toLowerCase().endsWith('.py');
}

/** Whether the server marked this contents model as a reactive notebook. */
export function isReactiveEntry(entry: IContentsEntry | null | undefined): boolean {
  return !!entry && entry.type !== 'directory' && entry.reactive === true;
}

/** Whether a widget name asks for the file's default factory (openOrReveal passes none). */
export function isDefaultFactory(widgetName: string | null | undefined): boolean {
  return widgetName === undefined || widgetName === null || widgetName === 'default';
}

/** A path without leading or trailing slashes, the form the contents API uses. */
export function normalizePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** The folder of a (normalized) path, '' for the root. */
export function directoryOf(path: string): string {
  const normalized = normalizePath(path);
  const slash = normalized.lastIndexOf('/');
  return slash < 0 ? '' : normalized.slice(0, slash);
}

/**
 * The reactive `.py` files seen in directory listings. A listing replaces what was known about
 * its folder (a file that stopped being reactive, or was renamed, drops out); files in other
 * folders stay known until their folder is listed again.
 */
export class ReactivePaths {
  /** Take in a folder's listing (the file browser's items). */
  updateDirectory(directory: string, entries: Iterable<IContentsEntry>): void {
    const folder = normalizePath(directory);
    for (const path of [...this._paths]) {
      if (directoryOf(path) === folder) {
        this._paths.delete(path);
      }
    }
    for (const entry of entries) {
      if (isReactiveEntry(entry)) {
        this._paths.add(normalizePath(entry.path));
      }
    }
  }

  add(path: string): void {
    this._paths.add(normalizePath(path));
  }

  delete(path: string): void {
    this._paths.delete(normalizePath(path));
  }

  has(path: string): boolean {
    return this._paths.has(normalizePath(path));
  }

  get size(): number {
    return this._paths.size;
  }

  private _paths = new Set<string>();
}

/**
 * The factory to open `path` with, given the factory asked for: a known reactive file asked for
 * with its default factory opens as a notebook; everything else (another file, or an explicit
 * factory such as "Open With > Editor") keeps what was asked for.
 */
export function chooseFactory(
  path: string,
  widgetName: string | null | undefined,
  known: ReactivePaths
): string | null | undefined {
  return isDefaultFactory(widgetName) && known.has(path) ? NOTEBOOK_FACTORY : widgetName;
}

/** Notebook 7's page for one notebook (`PageConfig` option `notebookPage`; unset in JupyterLab). */
export const NOTEBOOK7_NOTEBOOK_PAGE = 'notebooks';

/**
 * The factory an open really asks for. Notebook 7's notebook page (`/notebooks/<path>`) opens its
 * path with an explicit factory: the URL's `factory` parameter or, without one, the file's default
 * factory (the editor, for a `.py`). There the default factory's name stands for "no factory asked
 * for", so that `/notebooks/x.py` (and `/tree/x.py`, which the server redirects there) opens a
 * reactive `.py` as a notebook. Anywhere else an explicit name is kept: it is a choice, such as
 * JupyterLab's "Open With > Editor" or Notebook 7's `/edit/<path>` page.
 */
export function requestedFactory(
  widgetName: string | null | undefined,
  defaultName: string | undefined,
  page: string | undefined
): string | null | undefined {
  return page === NOTEBOOK7_NOTEBOOK_PAGE && !!widgetName && widgetName === defaultName
    ? undefined
    : widgetName;
}

/**
 * Whether an open with the default factory must be checked with the server afterwards: a `.py`
 * file that no listing showed as reactive (opened by URL, from another folder, by a command) may
 * still be one, and the server is the only one that can tell.
 */
export function needsServerCheck(
  path: string,
  widgetName: string | null | undefined,
  known: ReactivePaths
): boolean {
  return isDefaultFactory(widgetName) && isPythonPath(path) && !known.has(path);
}

/**
 * The nbformat 4 content of a new reactive `.py` notebook: one empty code cell on the reactive
 * kernel. Saving it with `type: "notebook"` makes the server write the reactive header
 * (`metadata.reactive` marks it reactive).
 */
export function newReactiveNotebook(): {
  nbformat: number;
  nbformat_minor: number;
  metadata: { kernelspec: typeof REACTIVE_KERNELSPEC; reactive: Record<string, never> };
  cells: {
    cell_type: 'code';
    source: string;
    metadata: Record<string, never>;
    outputs: never[];
    execution_count: null;
  }[];
} {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { ...REACTIVE_KERNELSPEC }, reactive: {} },
    cells: [{ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }]
  };
}
