"""reactive-kernel: reactive Python notebooks inside Jupyter.

Importing this package stays cheap and pure: it does not import IPython, ipykernel or
jupyter-server. The kernel lives in ``reactive_kernel.kernel`` and is started with
``python -m reactive_kernel``.
"""

from reactive_kernel._version import __version__

__all__ = ["__version__"]
