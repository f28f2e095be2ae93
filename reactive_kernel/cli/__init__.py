"""The ``reactive-kernel`` command line (the outermost layer: it may import every other layer)."""
