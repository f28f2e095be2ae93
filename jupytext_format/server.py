"""The jupyter-server extension: installs :mod:`jupytext_format.contents` over the server's contents
manager (jupytext's server extension does the same for its own layer, and this one includes it)."""

from __future__ import annotations

import asyncio
from typing import Any

from jupytext_format.contents import reactive_contents_manager_class


def _load_jupyter_server_extension(app: Any) -> None:
    base = app.contents_manager_class
    if getattr(base, "reactive_notebooks", False):
        return
    if not asyncio.iscoroutinefunction(base.get):
        app.log.warning(
            "reactive-kernel: the contents manager %s is synchronous; reactive .py notebooks "
            "will open as text files",
            base.__name__,
        )
        return
    if not hasattr(base, "formats"):
        from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

        base = build_async_jupytext_contents_manager_class(base)
    manager_class = reactive_contents_manager_class(base)
    manager_class.reactive_notebooks = True
    app.contents_manager_class = manager_class
    # The server built its contents manager before loading extensions: replace it everywhere it
    # was handed out, as jupytext's own extension does.
    app.contents_manager = manager_class(parent=app, log=app.log)
    app.session_manager.contents_manager = app.contents_manager
    app.web_app.settings["contents_manager"] = app.contents_manager
    app.log.info("reactive-kernel: reactive .py notebooks open as notebooks (%s)", base.__name__)
