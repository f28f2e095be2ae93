"""The ``reactive-kernel`` entry point: subcommands, help, version and usage errors."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from reactive_kernel import __version__
from reactive_kernel.cli.main import SUBCOMMANDS, main

pytestmark = pytest.mark.cli


def test_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert name in out


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_each_subcommand_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([name, "--help"]) == 0
    assert f"usage: reactive-kernel {name}" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [[], ["explode"], ["check"], ["install", "--user", "--prefix", "x"]]
)
def test_usage_errors_exit_two(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage: reactive-kernel" in capsys.readouterr().err


def test_console_script_is_installed() -> None:
    """``pip install`` made the ``reactive-kernel`` script; it runs the same main."""
    script = shutil.which("reactive-kernel")
    if script is None:
        pytest.skip("reactive-kernel is not on PATH (package not installed with pip)")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert __version__ in result.stdout


def test_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reactive_kernel.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "check" in result.stdout
