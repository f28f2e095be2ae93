"""Kernel application: starts an IPKernelApp whose kernel is the ReactiveKernel."""

from __future__ import annotations


def launch() -> None:
    """Entry point of ``python -m reactive_kernel``."""
    from ipykernel.kernelapp import IPKernelApp

    from reactive_kernel.kernel.reactive import ReactiveKernel

    IPKernelApp.launch_instance(kernel_class=ReactiveKernel)
