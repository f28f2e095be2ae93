"""The reactive kernel: an ipykernel IPythonKernel that keeps a dependency graph of the notebook."""

from __future__ import annotations

from typing import Any

from ipykernel.ipkernel import IPythonKernel

from reactive_kernel._version import __version__


class ReactiveKernel(IPythonKernel):
    implementation = "reactive_kernel"
    implementation_version = __version__
    banner = f"Python 3 (reactive) - reactive-kernel {__version__}"

    async def do_execute(  # type: ignore[override]
        self,
        code: str,
        silent: bool,
        store_history: bool = True,
        user_expressions: dict[str, Any] | None = None,
        allow_stdin: bool = False,
        *,
        cell_meta: dict[str, Any] | None = None,
        cell_id: str | None = None,
    ) -> dict[str, Any]:
        return await super().do_execute(
            code, silent, store_history, user_expressions, allow_stdin,
            cell_meta=cell_meta, cell_id=cell_id,
        )
