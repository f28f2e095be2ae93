"""The one exception the format raises for files it cannot read."""

from __future__ import annotations


class FormatError(ValueError):
    """The text is not a readable notebook; ``line`` (1-based) says where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)
