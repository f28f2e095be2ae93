"""``reactive-kernel export NOTEBOOK --to FORMAT``: run a notebook and write it as a report.

The notebook runs on a reactive kernel as with ``reactive-kernel run`` (parameters, --timeout,
--server), or with --no-execute keeps the outputs saved in the .ipynb (a .py notebook has none).
HTML, slides and ipynb are written by nbconvert's exporters, so reports look like Jupyter's;
``script`` is a plain Python script with the cells in execution order (the order a reactive .py
notebook stores them), IPython syntax and Markdown commented.

FORMAT is html, slides (reveal.js), ipynb or script. The output goes beside the notebook by default
(nb.html, nb.slides.html, nb.ipynb, nb.py; nb.export.ipynb or nb.export.py when that would be the
notebook itself), is written atomically, and never replaces the notebook.
Exit status as for run: 0 ok; 1 a cell failed or the kernel was lost (the report is still written,
with the error); 2 the notebook cannot be read, the output would replace it, or the kernel cannot
start; 3 a cell timed out (the report is written up to it); 130 interrupted (nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reactive_kernel.cli import execution
from reactive_kernel.cli.notebooks import EXIT_UNREADABLE

if TYPE_CHECKING:
    import nbformat

SUFFIXES = {"html": ".html", "slides": ".slides.html", "ipynb": ".ipynb", "script": ".py"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebook", type=Path, help="a .ipynb or .py notebook")
    parser.add_argument("--to", required=True, choices=sorted(SUFFIXES), help="the output format")
    parser.add_argument("-o", "--output", type=Path, help="the output file (default: beside it)")
    parser.add_argument(
        "--no-execute",
        action="store_true",
        help="do not run the notebook: export the outputs saved in it",
    )
    execution.add_arguments(parser)


def main(args: argparse.Namespace) -> int:
    output = args.output or default_output(args.notebook, args.to)
    if _same_file(output, args.notebook):
        print(
            f"reactive-kernel export: {output} is the notebook itself; choose another -o",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    if args.no_execute and (args.parameter or args.parameters_file):
        print("reactive-kernel export: parameters need a run; drop --no-execute", file=sys.stderr)
        return EXIT_UNREADABLE
    prepared = execution.prepare("export", args)
    if isinstance(prepared, int):
        return prepared
    if args.no_execute:
        import nbformat

        document = nbformat.from_dict(prepared[0].document)  # type: ignore[no-untyped-call]
        status = execution.EXIT_OK
    else:
        outcome = execution.execute("export", *prepared, args)
        if outcome.document is None:
            return outcome.status
        document, status = outcome.document, outcome.status
    execution.write_output(output, render(document, args.to))
    print(f"reactive-kernel export: wrote {output}", file=sys.stderr)
    return status


def default_output(notebook: Path, to: str) -> Path:
    """``nb.html`` (or ``nb.slides.html``, ``nb.ipynb``, ``nb.py``) beside the notebook;
    ``nb.export.ipynb`` and ``nb.export.py`` when the plain name is the notebook itself."""
    plain = notebook.with_name(notebook.stem + SUFFIXES[to])
    if _same_file(plain, notebook):
        return notebook.with_name(f"{notebook.stem}.export{SUFFIXES[to]}")
    return plain


def render(document: nbformat.NotebookNode, to: str) -> str:
    """``document`` in format ``to``, through nbconvert (``script``: through jupytext_format)."""
    if to == "script":
        from jupytext_format.notebook import write_script

        return write_script(document)
    from nbconvert.exporters import HTMLExporter, NotebookExporter, SlidesExporter

    exporters: dict[str, Any] = {
        "html": HTMLExporter,
        "slides": SlidesExporter,
        "ipynb": NotebookExporter,
    }
    body, _resources = exporters[to]().from_notebook_node(document)
    return str(body)


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()
