"""Execute a notebook on a real reactive kernel: the part ``run`` and ``export`` share.

Like the lab extension, it starts a kernel (here, or with ``--server`` on a remote Jupyter server
such as a user's server behind JupyterHub: ``reactive_kernel.remote``), sends the notebook's cells
over the comm, asks for a plan of every cell and executes each planned cell as its own request.
The result is the executed nbformat document, also when a cell fails, times out or loses its
kernel (the cells that ran keep their outputs, the failing cell shows its error, the cells after
it are cleared, as papermill does), and an exit status that both commands return:

- 0: every cell ran;
- 1: a cell failed, the notebook has graph errors (nothing runs then), or the kernel died or its
  server's connection was lost mid-run;
- 2: the notebook, a parameter or the parameters file cannot be read, or the kernel cannot start
  (with ``--server``: the server cannot be reached, refuses the token or has no such kernel);
- 3: a cell ran longer than ``--timeout`` (the kernel is interrupted, then shut down);
- 130: interrupted (Ctrl-C or SIGTERM); no output file is written.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from reactive_kernel.cli import parameters as params
from reactive_kernel.cli.notebooks import EXIT_UNREADABLE, Notebook, read_notebook_or_report

if TYPE_CHECKING:
    import nbformat

    from reactive_kernel.client import Execution, KernelConnection, ReactiveClient

EXIT_OK, EXIT_FAILED, EXIT_TIMEOUT, EXIT_INTERRUPTED = 0, 1, 3, 130
OutputHandler = Callable[[str | None, dict[str, Any]], None]
REQUEST_TIMEOUT = 60.0
"""Seconds to wait for a comm reply (hello, sync, plan): a kernel on a busy CI machine is slow to
start answering; ``--timeout`` is for the cells."""
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of a run: kernel, per-cell timeout and parameters."""
    parser.add_argument(
        "--kernel", default="reactive", help="kernelspec name to run (default: reactive)"
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="run the kernel on this Jupyter server (its base URL, e.g. "
        "https://hub.example.org/user/NAME/) instead of locally",
    )
    parser.add_argument(
        "--token",
        help="the --server's API token (default: $JUPYTER_TOKEN, then $JUPYTERHUB_API_TOKEN)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive,
        default=600.0,
        help="seconds one cell may take before the run stops with status 3 (default: 600)",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="set a parameter (repeatable); VALUE is a Python literal when it parses as one, "
        "else a string",
    )
    parser.add_argument(
        "--parameters-file", type=Path, help="a YAML or JSON mapping of parameter names to values"
    )


@dataclass(frozen=True)
class Outcome:
    status: int
    """The exit status (see the module docstring)."""
    document: nbformat.NotebookNode | None
    """The executed notebook; None when nothing ran (graph errors, no kernel, interrupted)."""


def prepare(
    command: str, args: argparse.Namespace
) -> tuple[Notebook, params.Injection | None] | int:
    """The notebook to run with any parameters injected, and the injected cell; or the exit status
    after printing why it cannot be read."""
    notebook = read_notebook_or_report(command, args.notebook)
    if notebook is None:
        return EXIT_UNREADABLE
    try:
        values = params.collect(args.parameter, args.parameters_file)
    except params.ParameterError as error:
        print(f"reactive-kernel {command}: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    if not values:
        return notebook, None
    try:
        injected, injection = params.inject(notebook, values)
    except params.ParameterError as error:
        print(f"reactive-kernel {command}: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    for name, number in injection.rewritten:
        print(
            f"reactive-kernel {command}: parameter {name!r} set where the notebook assigns it "
            f"(cell {number})",
            file=sys.stderr,
        )
    return injected, injection


def execute(
    command: str,
    notebook: Notebook,
    injected: params.Injection | None,
    args: argparse.Namespace,
    on_output: OutputHandler | None = None,
) -> Outcome:
    """Run every cell of ``notebook`` on a fresh ``args.kernel`` kernel, then shut it down."""
    from reactive_kernel.client import ClientError, ReactiveClient

    try:
        with _sigterm_as_interrupt():
            kernel = _start_kernel(command, args)
            if kernel is None:
                return Outcome(EXIT_UNREADABLE, None)
            try:
                client = ReactiveClient(kernel.client, timeout=REQUEST_TIMEOUT, on_output=on_output)
                try:
                    return _run(command, client, kernel.interrupt, notebook, injected, args.timeout)
                except ClientError as error:
                    print(f"reactive-kernel {command}: {error}", file=sys.stderr)
                    return Outcome(EXIT_FAILED, None)
            finally:
                kernel.shutdown()
    except KeyboardInterrupt:
        print(f"reactive-kernel {command}: interrupted; no output written", file=sys.stderr)
        return Outcome(EXIT_INTERRUPTED, None)


@dataclass(frozen=True)
class _Kernel:
    """A started kernel, local or remote: how to reach, interrupt and shut it down."""

    client: KernelConnection
    interrupt: Callable[[], None]
    shutdown: Callable[[], None]


def _start_kernel(command: str, args: argparse.Namespace) -> _Kernel | None:
    """A fresh ``args.kernel`` kernel, here or on ``args.server``; None (the reason printed) when
    it cannot start."""
    if args.server:
        from reactive_kernel.remote import RemoteError, RemoteKernel

        token = (
            args.token or os.environ.get("JUPYTER_TOKEN") or os.environ.get("JUPYTERHUB_API_TOKEN")
        )
        remote = RemoteKernel(args.server, token, args.kernel, timeout=REQUEST_TIMEOUT)
        try:
            socket = remote.start()
        except RemoteError as error:
            print(
                f"reactive-kernel {command}: cannot start kernel {args.kernel!r}: {error}",
                file=sys.stderr,
            )
            return None
        return _Kernel(socket, remote.interrupt, remote.shutdown)

    from jupyter_client.manager import start_new_kernel

    try:
        km, kc = start_new_kernel(kernel_name=args.kernel, startup_timeout=60)
    except Exception as error:
        print(
            f"reactive-kernel {command}: cannot start kernel {args.kernel!r}: {error}",
            file=sys.stderr,
        )
        return None

    def shutdown() -> None:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    return _Kernel(kc, km.interrupt_kernel, shutdown)


def _run(
    command: str,
    client: ReactiveClient,
    interrupt: Callable[[], None],
    notebook: Notebook,
    injected: params.Injection | None,
    timeout: float,
) -> Outcome:
    from reactive_kernel.client import CellTimeout, ClientError

    ids = notebook.run_ids()
    labels = {
        cell_id: _label(i, cell.source)
        for i, (cell_id, cell) in enumerate(zip(ids, notebook.cells, strict=True))
    }
    client.open(client=f"reactive-kernel {command}")
    client.sync([(ids[i], cell.source, cell.kind) for i, cell in enumerate(notebook.cells)])
    graph = client.request("get_graph")
    errors = [(c["id"], e) for c in graph["cells"] for e in c["errors"]]
    if errors:
        for cell_id, error in errors:
            print(f"{labels[cell_id]}: {error['kind']}: {error['message']}", file=sys.stderr)
        print(
            f"reactive-kernel {command}: the notebook has graph errors; nothing ran",
            file=sys.stderr,
        )
        return Outcome(EXIT_FAILED, None)
    if injected is not None:
        for name in params.unused(graph, injected):
            print(
                f"reactive-kernel {command}: warning: no cell reads parameter {name!r}",
                file=sys.stderr,
            )

    planned: list[str] = client.request("request_plan", action="run_all", cell_ids=[])["cells"]
    status = EXIT_OK
    client.timeout = timeout  # per cell from here on
    try:
        executions = client.run_cells(planned)
    except CellTimeout:
        interrupt()
        executions = list(client.executions)
        late = planned[len(executions)]
        message = (
            f"{labels[late]} did not finish within {client.timeout:g} s; the kernel was interrupted"
        )
        print(f"reactive-kernel {command}: {message}", file=sys.stderr)
        executions.append(_error_execution(late, "CellTimeoutError", message))
        status = EXIT_TIMEOUT
    except (
        ClientError
    ) as error:  # the kernel died, its connection was lost, or it broke the protocol
        executions, status = list(client.executions), EXIT_FAILED
        if client.running is None:
            print(f"reactive-kernel {command}: {error}", file=sys.stderr)
        else:  # the running cell shows why it did not finish, as a timed-out cell does
            message = f"{labels[client.running]} did not finish: {error}"
            print(f"reactive-kernel {command}: {message}", file=sys.stderr)
            executions.append(_error_execution(client.running, "DeadKernelError", message))
    failed = next((e for e in executions if e.status != "ok"), None)
    if failed is not None and status == EXIT_OK:
        _report_failure(command, labels[str(failed.cell_id)], failed.reply)
        status = EXIT_FAILED
    return Outcome(status, _executed(notebook, ids, executions))


def _label(index: int, source: str) -> str:
    """``cell 3 (y = 1 / 0)``: the 1-based position among all cells and the first non-blank line."""
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return f"cell {index + 1} ({first[:60]})" if first else f"cell {index + 1}"


def _report_failure(command: str, label: str, reply: dict[str, Any]) -> None:
    traceback = "\n".join(reply.get("traceback", []))
    if not sys.stderr.isatty():
        traceback = _ANSI.sub("", traceback)
    if traceback:
        print(traceback, file=sys.stderr)
    print(
        f"reactive-kernel {command}: {label} failed: {reply.get('ename')}: {reply.get('evalue')}",
        file=sys.stderr,
    )


def _error_execution(cell_id: str, ename: str, message: str) -> Execution:
    """The execution of a cell that did not finish, its error saying why (nbclient's names)."""
    from reactive_kernel.client import Execution

    error = {"ename": ename, "evalue": message, "traceback": [message]}
    reply = {"status": "error", "execution_count": None, **error}
    return Execution(cell_id, reply, [{"output_type": "error", **error}])


def _executed(
    notebook: Notebook, ids: list[str], executions: list[Execution]
) -> nbformat.NotebookNode:
    """The notebook document with each executed code cell's outputs and execution count; code cells
    that did not run have none (saved outputs would look like results of this run)."""
    import nbformat

    document: nbformat.NotebookNode = nbformat.from_dict(notebook.document)  # type: ignore[no-untyped-call]
    by_id = {e.cell_id: e for e in executions}
    for cell_id, cell in zip(ids, document.cells, strict=True):
        if cell.cell_type != "code":
            continue
        execution = by_id.get(cell_id)
        cell.outputs = [] if execution is None else [_to_nbformat(o) for o in execution.outputs]
        cell.execution_count = None if execution is None else execution.reply.get("execution_count")
    return document


def _to_nbformat(output: dict[str, Any]) -> nbformat.NotebookNode:
    import nbformat

    kind = output["output_type"]
    fields = {k: v for k, v in output.items() if k not in ("output_type", "transient")}
    if kind == "execute_result":
        fields.setdefault("metadata", {})
    message = {"header": {"msg_type": kind}, "content": fields}
    node: nbformat.NotebookNode = nbformat.v4.output_from_msg(message)  # type: ignore[no-untyped-call]
    return node


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half-written."""
    from jupytext_format.atomic import replace_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(str(path), text)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a cancelled CI job) unwinds like Ctrl-C: the kernel is shut down, not orphaned."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value
