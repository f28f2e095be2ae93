"""``reactive-kernel run NOTEBOOK [-o OUT.ipynb]``: execute a notebook on a real reactive kernel.

The command is a front end like the lab extension: it starts a kernel, sends the notebook's cells
over the comm, asks for a plan of every cell, and executes each planned cell as its own request.
Outputs are printed as they arrive, or written into an executed ``.ipynb``. Exit status: 0 when
every cell ran, 1 when a cell failed or the notebook has graph errors (nothing runs then), 2 when
the notebook cannot be read or the kernel cannot start.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reactive_kernel.cli.notebooks import EXIT_UNREADABLE, Notebook, read_notebook_or_report

if TYPE_CHECKING:
    import nbformat

EXIT_OK, EXIT_FAILED = 0, 1


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebook", type=Path, help="a .ipynb or .py notebook")
    parser.add_argument(
        "-o", "--output", type=Path, help="write the executed notebook to this .ipynb file"
    )
    parser.add_argument(
        "--kernel", default="reactive", help="kernelspec name to run (default: reactive)"
    )
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds one cell may take (default: 600)"
    )


def main(args: argparse.Namespace) -> int:
    notebook = read_notebook_or_report("run", args.notebook)
    if notebook is None:
        return EXIT_UNREADABLE
    from jupyter_client.manager import start_new_kernel

    from reactive_kernel.client import ClientError, ReactiveClient

    try:
        km, kc = start_new_kernel(kernel_name=args.kernel, startup_timeout=60)
    except Exception as error:
        print(f"reactive-kernel run: cannot start kernel {args.kernel!r}: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        printer = None if args.output else _print_output
        client = ReactiveClient(kc, timeout=args.timeout, on_output=printer)
        return _run(client, notebook, args)
    except ClientError as error:
        print(f"reactive-kernel run: {error}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _run(client: Any, notebook: Notebook, args: argparse.Namespace) -> int:
    cells = notebook.cells
    ids = [cell.id or f"cell-{i}" for i, cell in enumerate(cells)]
    number = {cell_id: i + 1 for i, cell_id in enumerate(ids)}
    client.open(client="reactive-kernel run")
    client.sync([(ids[i], cell.source, cell.kind) for i, cell in enumerate(cells)])
    graph = client.request("get_graph")
    errors = [(c["id"], e) for c in graph["cells"] for e in c["errors"]]
    if errors:
        for cell_id, error in errors:
            print(f"cell {number[cell_id]}: {error['kind']}: {error['message']}", file=sys.stderr)
        print("reactive-kernel run: the notebook has graph errors; nothing ran", file=sys.stderr)
        return EXIT_FAILED

    plan = client.request("request_plan", action="run_all", cell_ids=[])
    executions = client.run_cells(plan["cells"])
    if args.output:
        _write_atomic(_executed(notebook, ids, executions), args.output)
    failed = next((e for e in executions if e.status != "ok"), None)
    if failed is not None:
        reply = failed.reply
        print(
            f"reactive-kernel run: cell {number[failed.cell_id]} failed: "
            f"{reply.get('ename')}: {reply.get('evalue')}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def _print_output(cell_id: str | None, output: dict[str, Any]) -> None:
    kind = output["output_type"]
    if kind == "stream":
        stream = sys.stdout if output["name"] == "stdout" else sys.stderr
        stream.write(output["text"])
    elif kind in ("execute_result", "display_data"):
        text = output["data"].get("text/plain")
        if text:
            print(text)
    elif kind == "error":
        print("\n".join(output.get("traceback", [])), file=sys.stderr)


def _executed(notebook: Notebook, ids: list[str], executions: list[Any]) -> nbformat.NotebookNode:
    """The notebook document with each executed code cell's outputs and execution count."""
    import nbformat

    document = nbformat.from_dict(notebook.document)
    by_id = {e.cell_id: e for e in executions}
    for cell_id, cell in zip(ids, document.cells, strict=True):
        execution = by_id.get(cell_id)
        if cell.cell_type == "code" and execution is not None:
            cell.outputs = [_to_nbformat(o) for o in execution.outputs]
            cell.execution_count = execution.reply.get("execution_count")
    return document


def _to_nbformat(output: dict[str, Any]) -> nbformat.NotebookNode:
    import nbformat

    kind = output["output_type"]
    fields = {k: v for k, v in output.items() if k not in ("output_type", "transient")}
    if kind == "execute_result":
        fields.setdefault("metadata", {})
    return nbformat.v4.output_from_msg({"header": {"msg_type": kind}, "content": fields})


def _write_atomic(notebook: nbformat.NotebookNode, path: Path) -> None:
    """Write to a temporary file beside ``path`` and rename it: never a half-written notebook."""
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            nbformat.write(notebook, handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
