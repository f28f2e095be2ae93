"""Fixtures shared by every test tier.

- ``spec_dir``: the shared spec suite (``REACTIVITY.md``, ``cases.json``, ``graph_cases.json``).
  It lives outside the repository and is read where it is, never copied; ``REACTIVE_SPEC_DIR``
  points elsewhere. Tests that need it are skipped, with the path in the reason, when it is missing.
- ``kernel_client`` (a fresh kernel per test) and ``module_kernel_client`` (one kernel per module):
  a real ``reactive`` kernel process started through jupyter_client, shut down afterwards.

Tests are also marked by folder (``unit/``, ``kernel/``, ``cli/``, ``e2e/``), so ``-m unit``
selects a tier even when a module forgets its ``pytestmark``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from jupyter_client.blocking.client import BlockingKernelClient

KERNEL_NAME = "reactive"
TIERS = ("unit", "kernel", "cli", "e2e")


def find_spec_dir() -> Path:
    """``$REACTIVE_SPEC_DIR``, or ``shared/spec`` beside the checkout (``/work/shared/spec``)."""
    override = os.environ.get("REACTIVE_SPEC_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "shared" / "spec"


@pytest.fixture(scope="session")
def spec_dir() -> Path:
    path = find_spec_dir()
    if not (path / "cases.json").is_file():
        pytest.skip(f"spec suite not found at {path} (set REACTIVE_SPEC_DIR to its folder)")
    return path


@contextmanager
def running_kernel(kernel_name: str = KERNEL_NAME) -> Iterator[BlockingKernelClient]:
    """A kernel process of ``kernel_name`` with its channels started; shut down on exit."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=60)
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture
def kernel_client() -> Iterator[BlockingKernelClient]:
    """A fresh reactive kernel for one test (for tests that change or break the kernel)."""
    with running_kernel() as kc:
        yield kc


@pytest.fixture(scope="module")
def module_kernel_client() -> Iterator[BlockingKernelClient]:
    """One reactive kernel shared by the tests of a module."""
    with running_kernel() as kc:
        yield kc


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        try:
            tier = item.path.relative_to(tests).parts[0]
        except ValueError:
            continue
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))
