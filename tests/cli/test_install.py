"""``reactive-kernel install`` and ``uninstall`` into a temporary prefix (no kernel is started here;
``tests/kernel/test_kernelspec.py`` starts one from such a spec)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reactive_kernel.cli.install import kernel_spec
from reactive_kernel.cli.main import main

pytestmark = pytest.mark.cli

SHIPPED = Path(__file__).resolve().parents[2] / "share" / "jupyter" / "kernels" / "reactive"


def _spec(prefix: Path, name: str) -> dict[str, object]:
    path = prefix / "share" / "jupyter" / "kernels" / name / "kernel.json"
    spec: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return spec


def test_spec_matches_the_shipped_one_but_for_the_interpreter() -> None:
    shipped = json.loads((SHIPPED / "kernel.json").read_text(encoding="utf-8"))
    ours = kernel_spec("python")
    assert ours == shipped


def test_install_default_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install", "--prefix", str(tmp_path)]) == 0
    spec = _spec(tmp_path, "reactive")
    assert spec["argv"] == [sys.executable, "-m", "reactive_kernel", "-f", "{connection_file}"]
    assert spec["display_name"] == "Python 3 (reactive)"
    out = capsys.readouterr().out
    assert str(tmp_path / "share" / "jupyter" / "kernels" / "reactive") in out


def test_install_named_and_display_name(tmp_path: Path) -> None:
    assert main(["install", "--prefix", str(tmp_path), "--name", "env2"]) == 0
    assert _spec(tmp_path, "env2")["display_name"] == "Python 3 (reactive, env2)"
    argv = ["install", "--prefix", str(tmp_path), "--name", "env3", "--display-name", "Mine"]
    assert main(argv) == 0
    assert _spec(tmp_path, "env3")["display_name"] == "Mine"


def test_install_replaces_existing(tmp_path: Path) -> None:
    assert main(["install", "--prefix", str(tmp_path), "--display-name", "Old"]) == 0
    assert main(["install", "--prefix", str(tmp_path)]) == 0
    assert _spec(tmp_path, "reactive")["display_name"] == "Python 3 (reactive)"


def test_invalid_name_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install", "--prefix", str(tmp_path), "--name", "no spaces/here"]) == 2
    assert "Invalid kernel name" in capsys.readouterr().err


def test_uninstall(tmp_path: Path) -> None:
    assert main(["install", "--prefix", str(tmp_path), "--name", "gone"]) == 0
    assert main(["uninstall", "--prefix", str(tmp_path), "--name", "gone"]) == 0
    assert not (tmp_path / "share" / "jupyter" / "kernels" / "gone").exists()
    assert main(["uninstall", "--prefix", str(tmp_path), "--name", "gone"]) == 1


def test_uninstall_leaves_other_kernels(tmp_path: Path) -> None:
    other = tmp_path / "share" / "jupyter" / "kernels" / "python3"
    other.mkdir(parents=True)
    (other / "kernel.json").write_text(
        json.dumps({"argv": ["python", "-m", "ipykernel_launcher"], "display_name": "Python 3"}),
        encoding="utf-8",
    )
    assert main(["uninstall", "--prefix", str(tmp_path), "--name", "python3"]) == 1
    assert (other / "kernel.json").exists()
