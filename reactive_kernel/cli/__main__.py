"""``python -m reactive_kernel.cli``: the ``reactive-kernel`` console script."""

from reactive_kernel.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
