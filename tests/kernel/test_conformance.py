"""Jupyter protocol conformance of the reactive kernel, with jupyter_kernel_test.

Configured as jupyter_kernel_test's own example for ipykernel (``test_ipykernel.py`` in
https://github.com/jupyter/jupyter_kernel_test): the reactive kernel must behave as ipykernel does
for every request a plain Jupyter client sends, including ``execute_request`` without a cell id.
"""

from __future__ import annotations

import jupyter_kernel_test as jkt
import pytest

pytestmark = pytest.mark.kernel


class ReactiveKernelTests(jkt.KernelTests):
    kernel_name = "reactive"

    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('test', file=sys.stderr)"

    completion_samples = [{"text": "zi", "matches": {"zip"}}]  # noqa: RUF012

    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n\n"]  # noqa: RUF012
    incomplete_code_samples = ["print('''hello", "def f(x):\n  x*2"]  # noqa: RUF012
    invalid_code_samples = ["import = 7q"]  # noqa: RUF012

    code_page_something = "zip?"

    code_generate_error = "raise"

    code_execute_result = [  # noqa: RUF012
        {"code": "1+2+3", "result": "6"},
        {"code": "[n*n for n in range(1, 4)]", "result": "[1, 4, 9]"},
    ]

    code_display_data = [  # noqa: RUF012
        {
            "code": "from IPython.display import HTML, display; display(HTML('<b>test</b>'))",
            "mime": "text/html",
        },
        {
            "code": "from IPython.display import Math, display; display(Math('\\\\frac{1}{2}'))",
            "mime": "text/latex",
        },
    ]

    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "search")

    code_inspect_sample = "zip"

    code_clear_output = "from IPython.display import clear_output; clear_output()"
