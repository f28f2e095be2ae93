"""Atomic file replacement, for saves that must never leave a truncated notebook."""

from __future__ import annotations

import contextlib
import os
import tempfile


def replace_atomically(os_path: str, text: str) -> None:
    """Write ``text`` to ``os_path`` so that readers see the old file or the new one, never part:
    a temporary file beside it, flushed to disk, then renamed over it (keeping its permissions).

    jupyter-server's own ``atomic_writing`` rewrites the file in place after copying it aside, so a
    killed server can leave a truncated file next to its backup; a rename cannot.
    """
    folder = os.path.dirname(os_path) or "."
    data = text.encode("utf-8")
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".~{os.path.basename(os_path)}.", suffix=".tmp", dir=folder
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(temporary, os.stat(os_path).st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, os_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
