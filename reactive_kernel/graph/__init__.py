"""The notebook dependency graph (REACTIVITY.md section 3): pure, incremental, no Jupyter imports.

``NotebookGraph`` coordinates the specialists: ``position`` (display order keys), ``definitions``
(which cell a reference binds to), ``topology`` (edges), ``cycles`` and ``schedule`` (cycle
membership and the execution order), ``algorithms`` (free graph algorithms) and ``messages``.
"""

from __future__ import annotations

from reactive_kernel.graph.change import ChangeSet
from reactive_kernel.graph.notebook import NotebookGraph

__all__ = ["ChangeSet", "NotebookGraph"]
