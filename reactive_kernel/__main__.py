"""Start the reactive kernel: ``python -m reactive_kernel -f CONNECTION_FILE``."""

from reactive_kernel.kernel.app import launch

if __name__ == "__main__":
    launch()
