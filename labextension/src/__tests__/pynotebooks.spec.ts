/** Which factory a .py opens with, the reactive paths cache, and a new notebook's content. */
import {
  NOTEBOOK_FACTORY,
  ReactivePaths,
  chooseFactory,
  directoryOf,
  isPythonPath,
  isReactiveEntry,
  needsServerCheck,
  newReactiveNotebook,
  requestedFactory
} from '../pynotebooks';

const file = (path: string, reactive?: boolean) => ({
  path,
  type: 'notebook',
  ...(reactive === undefined ? {} : { reactive })
});

describe('entries and paths', () => {
  it('only a reactive: true marker makes an entry reactive', () => {
    expect(isReactiveEntry(file('a.py', true))).toBe(true);
    // jupytext lists every .py as a notebook: the type alone says nothing
    expect(isReactiveEntry(file('b.py'))).toBe(false);
    expect(isReactiveEntry(file('c.py', false))).toBe(false);
    expect(isReactiveEntry({ path: 'd', type: 'directory', reactive: true })).toBe(false);
    expect(isReactiveEntry(null)).toBe(false);
  });

  it.each([
    ['a.py', true],
    ['dir/B.PY', true],
    ['a.ipynb', false],
    ['a.pyc', false],
    ['py', false]
  ])('isPythonPath(%s) is %s', (path, expected) => {
    expect(isPythonPath(path)).toBe(expected);
  });

  it.each([
    ['a.py', ''],
    ['/a.py', ''],
    ['dir/a.py', 'dir'],
    ['/dir/sub/a.py', 'dir/sub']
  ])('directoryOf(%s) is %j', (path, expected) => {
    expect(directoryOf(path)).toBe(expected);
  });
});

describe('ReactivePaths', () => {
  it('keeps the reactive files of each listed folder', () => {
    const known = new ReactivePaths();
    known.updateDirectory('', [file('a.py', true), file('b.py'), file('n.ipynb')]);
    known.updateDirectory('sub', [file('sub/c.py', true)]);
    expect(known.has('a.py')).toBe(true);
    expect(known.has('/a.py')).toBe(true);
    expect(known.has('b.py')).toBe(false);
    expect(known.has('sub/c.py')).toBe(true);
    expect(known.size).toBe(2);
  });

  it('a new listing of a folder replaces what was known about it, and only it', () => {
    const known = new ReactivePaths();
    known.updateDirectory('', [file('a.py', true), file('gone.py', true)]);
    known.updateDirectory('sub', [file('sub/c.py', true)]);
    // gone.py deleted or renamed, a.py no longer reactive, d.py new
    known.updateDirectory('/', [file('a.py', false), file('d.py', true)]);
    expect(known.has('a.py')).toBe(false);
    expect(known.has('gone.py')).toBe(false);
    expect(known.has('d.py')).toBe(true);
    expect(known.has('sub/c.py')).toBe(true);
  });

  it('takes single paths (a new file, a server check)', () => {
    const known = new ReactivePaths();
    known.add('/x/new.py');
    expect(known.has('x/new.py')).toBe(true);
    known.delete('x/new.py');
    expect(known.has('x/new.py')).toBe(false);
  });
});

describe('chooseFactory and needsServerCheck', () => {
  const known = new ReactivePaths();
  known.updateDirectory('', [file('r.py', true), file('plain.py')]);

  it.each([
    // a double-click (openOrReveal passes no factory, then open gets 'default')
    ['r.py', undefined, NOTEBOOK_FACTORY],
    ['r.py', null, NOTEBOOK_FACTORY],
    ['r.py', 'default', NOTEBOOK_FACTORY],
    // Open With > Editor, a restored layout: what was asked for
    ['r.py', 'Editor', 'Editor'],
    ['r.py', 'Jupytext Notebook', 'Jupytext Notebook'],
    // anything else keeps the default
    ['plain.py', 'default', 'default'],
    ['plain.py', undefined, undefined],
    ['n.ipynb', 'default', 'default']
  ])('%s asked with %s opens with %s', (path, asked, expected) => {
    expect(chooseFactory(path, asked, known)).toBe(expected);
  });

  it.each([
    ['unknown.py', 'default', true],
    ['plain.py', undefined, true],
    ['r.py', 'default', false],
    ['unknown.py', 'Editor', false],
    ['n.ipynb', 'default', false]
  ])('%s with %s is checked with the server: %s', (path, asked, expected) => {
    expect(needsServerCheck(path, asked, known)).toBe(expected);
  });
});

describe('requestedFactory', () => {
  it.each([
    // Notebook 7's /notebooks/x.py: the router asks for the default factory by name
    ['Editor', 'Editor', 'notebooks', undefined],
    // /notebooks/x.py?factory=Notebook (a double-click in the tree): kept
    ['Notebook', 'Editor', 'notebooks', 'Notebook'],
    [undefined, 'Editor', 'notebooks', undefined],
    // Notebook 7's /edit/x.py and JupyterLab's Open With > Editor: a choice, kept
    ['Editor', 'Editor', 'edit', 'Editor'],
    ['Editor', 'Editor', 'tree', 'Editor'],
    ['Editor', 'Editor', undefined, 'Editor'],
    ['Editor', 'Editor', '', 'Editor'],
    ['default', undefined, 'notebooks', 'default']
  ])('%s (default %s) on page %s asks for %s', (asked, defaultName, page, expected) => {
    expect(requestedFactory(asked, defaultName, page)).toBe(expected);
  });
});

describe('newReactiveNotebook', () => {
  it('is an nbformat 4 notebook on the reactive kernel with one empty code cell', () => {
    const content = newReactiveNotebook();
    expect(content.nbformat).toBe(4);
    expect(content.metadata.kernelspec.name).toBe('reactive');
    expect(content.metadata.reactive).toEqual({});
    expect(content.cells).toEqual([
      { cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }
    ]);
  });

  it('is a fresh object every time', () => {
    const first = newReactiveNotebook();
    first.metadata.kernelspec.name = 'changed';
    expect(newReactiveNotebook().metadata.kernelspec.name).toBe('reactive');
  });
});
