"""``reactive-kernel run NOTEBOOK [-o OUT.ipynb]``: execute a notebook on a real reactive kernel.

The command is a front end like the lab extension: it starts a kernel, sends the notebook's cells
over the comm, asks for a plan of every cell, and executes each planned cell as its own request.
Outputs are printed as they arrive, or written into an executed ``.ipynb`` (atomically; also when a
cell fails or times out, with the error in that cell). Parameters are injected as papermill injects
them: a cell tagged ``injected-parameters`` right after the cell tagged ``parameters``, or first.
With --server URL (and --token, or $JUPYTER_TOKEN / $JUPYTERHUB_API_TOKEN) the kernel runs on that
Jupyter server, e.g. a user's server behind JupyterHub; the notebook and -o stay local.

Exit status: 0 when every cell ran; 1 when a cell failed (its number, first line and traceback are
printed), the notebook has graph errors (nothing runs then), or the kernel died or the server's
connection was lost (the running cell is named; -o gets the partial notebook); 2 when the notebook
or a parameter cannot be read or the kernel cannot start (also: the server cannot be reached,
refuses the token or has no such kernel); 3 when a cell ran longer than --timeout; 130 when
interrupted (no output written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reactive_kernel.cli import execution


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebook", type=Path, help="a .ipynb or .py notebook")
    parser.add_argument(
        "-o", "--output", type=Path, help="write the executed notebook to this .ipynb file"
    )
    execution.add_arguments(parser)


def main(args: argparse.Namespace) -> int:
    prepared = execution.prepare("run", args)
    if isinstance(prepared, int):
        return prepared
    printer = None if args.output else _print_output
    outcome = execution.execute("run", *prepared, args, on_output=printer)
    if args.output and outcome.document is not None:
        import nbformat

        execution.write_output(args.output, nbformat.writes(outcome.document) + "\n")
    return outcome.status


def _print_output(cell_id: str | None, output: dict[str, Any]) -> None:
    """Print an output as it arrives; errors are left to the failure report at the end."""
    kind = output["output_type"]
    if kind == "stream":
        stream = sys.stdout if output["name"] == "stdout" else sys.stderr
        stream.write(output["text"])
        stream.flush()
    elif kind in ("execute_result", "display_data"):
        text = output["data"].get("text/plain")
        if text:
            print(text, flush=True)
