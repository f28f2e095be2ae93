"""ProtocolError: why an incoming (or outgoing) message is not a valid protocol message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactive_kernel.protocol.message import ErrorCode, ErrorReply


class ProtocolError(ValueError):
    """A message the protocol refuses, with what the ``error`` reply needs.

    ``code`` is the wire error code, ``message`` a sentence for people that names the message type,
    the JSON path of the problem and what was allowed; ``details`` the same for programs (``path``,
    ``keyword``, ``allowed``...). ``request_id`` is the offending message's ``request_id`` when it
    could be read, so that the error reply can still answer the request.
    """

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: Mapping[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        self.request_id = request_id

    def reply(self) -> ErrorReply:
        """The ``error`` message that answers the refused request."""
        return ErrorReply(
            code=self.code,
            message=self.message,
            reply_to=self.request_id,
            details=self.details or None,
        )

    def __repr__(self) -> str:
        return f"ProtocolError({self.code!r}, {self.message!r})"
