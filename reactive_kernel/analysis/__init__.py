"""Static analysis of one cell (REACTIVITY.md section 2): pure, no Jupyter imports.

``analyze_cell(source)`` returns the cell's ``CellAnalysis``: the global names it defines,
references, mutates and deletes, and its own graph errors and warnings. Only IPython's input
transformer is imported, and only for cells that use IPython syntax.
"""

from reactive_kernel.analysis.cell import analyze_cell
from reactive_kernel.analysis.names import BUILTINS, MUTATING_METHODS, is_private

__all__ = ["BUILTINS", "MUTATING_METHODS", "analyze_cell", "is_private"]
