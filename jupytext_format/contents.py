"""A jupyter-server contents manager that opens reactive ``.py`` notebooks as notebooks.

It derives from whatever contents manager the server uses, with jupytext's layer on top (so plain
``.py`` files keep jupytext's "Open With > Notebook"), and takes over only reactive ``.py``
notebooks (files whose header has a ``reactive`` entry, or notebooks saved with reactive metadata):

- ``get`` reads them with :func:`jupytext_format.reads` and answers a ``notebook`` model; a file
  that is not UTF-8, binary, or malformed is an HTTP 400 naming the file and line, and is never
  touched. Their models (and their entries in directory listings) carry ``"reactive": true``: the
  lab extension opens those files as notebooks on double-click (jupytext already lists every
  ``.py`` as a ``notebook``, so ``type`` alone cannot tell).
- ``save`` writes them with :func:`jupytext_format.writes`, computing the whole text first and then
  replacing the file atomically (temporary file in the same folder, fsync, ``os.replace``): a failed
  or interrupted save leaves the previous file whole.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from typing import Any

from jupytext_format.atomic import replace_atomically
from jupytext_format.errors import FormatError
from jupytext_format.header import is_reactive_metadata
from jupytext_format.notebook import (
    is_reactive_text,
    reads,
    stored_content,
    write_stored,
    writes,
)

__all__ = ["is_reactive_file", "reactive_contents_manager_class", "replace_atomically"]

HEAD_BYTES = 16384
"""How much of a ``.py`` file is read to tell a reactive notebook (its header) from a script."""


_reactive_files: dict[str, tuple[tuple[int, int], bool]] = {}
"""Per file: its (mtime, size) and whether it had a reactive header then. The file browser lists a
folder every few seconds; without this every listing would read the head of every ``.py``."""


def is_reactive_file(os_path: str) -> bool:
    """Whether the file at ``os_path`` starts with a reactive notebook header."""
    try:
        stamp = _file_stamp(os_path)
        known = _reactive_files.get(os_path)
        if known is not None and known[0] == stamp:
            return known[1]
        with open(os_path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return False
    reactive = is_reactive_text(head.decode("utf-8", errors="replace"))
    _reactive_files[os_path] = (stamp, reactive)
    return reactive


def is_reactive_notebook(content: Any) -> bool:
    """Whether a notebook model's content asks to be stored as a reactive ``.py`` notebook."""
    metadata = (content or {}).get("metadata") or {}
    return is_reactive_metadata(metadata) or str(
        (metadata.get("kernelspec") or {}).get("name", "")
    ).startswith("reactive")


def reactive_contents_manager_class(base: type[Any]) -> type[Any]:
    """A subclass of ``base`` (an async contents manager, jupytext's layer already applied) that
    handles reactive ``.py`` notebooks."""
    from tornado.web import HTTPError

    class ReactiveContentsManager(base):  # type: ignore[misc]
        """Reactive ``.py`` notebooks as notebooks; everything else as ``base`` does it."""

        async def get(
            self,
            path: str,
            content: bool = True,
            type: str | None = None,
            format: str | None = None,
            **kwargs: Any,
        ) -> dict[str, Any]:
            path = path.strip("/")
            if self._reactive_path(path) and type in (None, "notebook"):
                return await self._reactive_model(path, content, **kwargs)
            model: dict[str, Any] = await super().get(
                path, content=content, type=type, format=format, **kwargs
            )
            if model.get("type") == "directory" and isinstance(model.get("content"), list):
                for entry in model["content"]:
                    if self._reactive_path(entry["path"]):
                        entry.update(type="notebook", reactive=True)
            return model

        async def save(self, model: dict[str, Any], path: str = "") -> dict[str, Any]:
            path = path.strip("/")
            if not (
                path.endswith(".py")
                and model.get("type") == "notebook"
                and (is_reactive_notebook(model.get("content")) or self._reactive_path(path))
            ):
                saved: dict[str, Any] = await super().save(model, path)
                return saved
            self.run_pre_save_hooks(model=model, path=path)
            os_path = self._get_os_path(path)
            try:
                stored = await asyncio.to_thread(stored_content, model["content"])
            except Exception as error:  # malformed content: refuse, the file stays as it was
                raise HTTPError(
                    400, f"{path}: cannot save as a reactive notebook: {error}"
                ) from None
            unchanged = await asyncio.to_thread(_stores_the_same, os_path, stored)
            if unchanged:
                # Nothing the file keeps was edited: leave it byte for byte as it is (even when
                # written by hand or by jupytext), and skip the analysis a write needs.
                saved = await self.get(path, content=False)
                self.run_post_save_hooks(model=saved, os_path=os_path)
                return saved
            try:
                text = await asyncio.to_thread(write_stored, stored)  # keeps the server live
            except Exception as error:  # any failure to write: refuse, the file stays as it was
                raise HTTPError(
                    400, f"{path}: cannot save as a reactive notebook: {error}"
                ) from None
            try:
                await asyncio.to_thread(replace_atomically, os_path, text)
                _remember(os_path, None, stored)
            except OSError as error:
                raise HTTPError(
                    500, f"{path}: the save failed, the file is unchanged: {error}"
                ) from None
            saved = await self.get(path, content=False)
            self.run_post_save_hooks(model=saved, os_path=os_path)
            self.emit(data={"action": "save", "path": path})
            return saved

        def _reactive_path(self, path: str) -> bool:
            if not path.endswith(".py"):
                return False
            os_path = self._get_os_path(path)
            return os.path.isfile(os_path) and is_reactive_file(os_path)

        async def _reactive_model(self, path: str, content: bool, **kwargs: Any) -> dict[str, Any]:
            model: dict[str, Any] = await base.get(self, path, content=False, type="file", **kwargs)
            model.update(type="notebook", format=None, mimetype=None, content=None, reactive=True)
            if not content:
                return model
            os_path = self._get_os_path(path)
            stamp = _file_stamp(os_path)
            data = await asyncio.to_thread(_read_bytes, os_path)
            try:
                text = data.decode("utf-8")
                notebook = reads(text)
            except UnicodeDecodeError as error:
                raise HTTPError(
                    400, f"{path} is not UTF-8 text (byte {error.start}); it was not changed"
                ) from None
            except FormatError as error:
                raise HTTPError(
                    400, f"{path} cannot be opened as a reactive notebook: {error}"
                ) from None
            _remember(os_path, stamp, stored_content(notebook))
            _warm_up(os_path, notebook)
            # Built by our reader, so valid by construction; and a .py stores no outputs, so
            # there is nothing for notebook trust to sign: the JSON-schema validation and the
            # signature check (most of a second each on a 5 MB notebook) are skipped.
            model.update(content=notebook, format="json")
            return model

    return ReactiveContentsManager


_last_stored: dict[str, tuple[tuple[int, int], Any]] = {}
"""Per file: its (mtime, size) when last read or written here, and the content it stores then, so
that a save need not read the file again to know whether anything changed."""


def _file_stamp(os_path: str) -> tuple[int, int]:
    status = os.stat(os_path)
    return status.st_mtime_ns, status.st_size


def _remember(os_path: str, stamp: tuple[int, int] | None, stored: Any) -> None:
    """Note what the file stores (as :func:`stored_content` gives it); ``stamp`` taken *before* it
    was read or written (a change in between then only makes the note useless, never wrong)."""
    with contextlib.suppress(OSError):
        if stamp is None:
            stamp = _file_stamp(os_path)
        _last_stored[os_path] = (stamp, stored)


def _stores_the_same(os_path: str, wanted: Any) -> bool:
    """Whether the reactive notebook file at ``os_path`` already stores ``wanted`` (as
    :func:`stored_content` gives it)."""
    try:
        stamp = _file_stamp(os_path)
    except OSError:
        return False
    known = _last_stored.get(os_path)
    if known is not None and known[0] == stamp:
        return bool(known[1] == wanted)
    try:
        on_disk = reads(_read_bytes(os_path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, FormatError):
        return False
    _last_stored[os_path] = (stamp, stored_content(on_disk))
    return bool(_last_stored[os_path][1] == wanted)


_warming: set[str] = set()
_warming_lock = threading.Lock()


def _warm_up(os_path: str, notebook: dict[str, Any]) -> None:
    """Prepare the first save in the background: writing analyses every code cell (about a second
    per megabyte of code), and the analyses and the stored order are cached by source text, so a
    save that follows costs only the cells edited since. Opening itself never analyses; one
    preparation per file runs at a time (every open would otherwise start another)."""
    with _warming_lock:
        if os_path in _warming:
            return
        _warming.add(os_path)

    def prepare() -> None:
        try:
            writes(notebook)
        except Exception:  # the save will report it; preparing is only an optimisation
            pass
        finally:
            with _warming_lock:
                _warming.discard(os_path)

    threading.Thread(target=prepare, name="reactive-warm-up", daemon=True).start()


def _read_bytes(os_path: str) -> bytes:
    with open(os_path, "rb") as handle:
        return handle.read()
