"""A kernel reached over a Jupyter server's websocket (``/api/kernels/<id>/channels``), shaped
like the part of jupyter_client's ``BlockingKernelClient`` that ``ReactiveClient`` uses, so that
our Python front end drives a kernel behind JupyterHub's proxy exactly as it drives a local one.

It speaks the server's default (JSON) websocket protocol: every message is one JSON text frame
carrying its ``channel``. A reader thread files incoming messages by channel. When the socket
closes (the user's server stopped, the proxy dropped the route) ``is_alive()`` turns false and
``close_reason`` says why, so that a waiting client ends with an error instead of hanging.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from typing import Any

import websocket
from jupyter_client.jsonutil import json_default
from jupyter_client.session import Session

Wire = dict[str, Any]


class _Channel:
    """The ``send`` half of a jupyter_client channel."""

    def __init__(self, owner: KernelSocket, name: str) -> None:
        self._owner = owner
        self._name = name

    def send(self, msg: Wire) -> None:
        self._owner.send(self._name, msg)


class KernelSocket:
    """One websocket connection to a kernel through a Jupyter server (or JupyterHub's proxy)."""

    def __init__(self, http_url: str, kernel_id: str, token: str, timeout: float = 30.0) -> None:
        url = http_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        self.session = Session(username="reactive-hub-test")
        self.url = f"{url}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        self.close_reason: str | None = None
        self._queues: dict[str, queue.Queue[Wire]] = {
            name: queue.Queue() for name in ("shell", "iopub", "control", "stdin")
        }
        self._ws = websocket.create_connection(
            self.url, header=[f"Authorization: token {token}"], timeout=timeout
        )
        # The reader blocks in recv(); a short socket timeout lets it notice close() promptly.
        self._ws.settimeout(1.0)
        self._closing = False
        self._reader = threading.Thread(target=self._read, name="kernel-socket", daemon=True)
        self._reader.start()
        self.shell_channel = _Channel(self, "shell")

    # -- what ReactiveClient calls -----------------------------------------------------------

    def send(self, channel: str, msg: Wire) -> None:
        frame = {**msg, "channel": channel, "buffers": []}
        self._ws.send(json.dumps(frame, default=json_default))

    def get_shell_msg(self, timeout: float | None = None) -> Wire:
        return self._get("shell", timeout)

    def get_iopub_msg(self, timeout: float | None = None) -> Wire:
        return self._get("iopub", timeout)

    def is_alive(self) -> bool:
        return self.close_reason is None

    # -- helpers -------------------------------------------------------------------------------

    def kernel_info(self, timeout: float = 30.0) -> Wire:
        """Ask for kernel_info until the kernel answers (it may still be starting)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            request = self.session.msg("kernel_info_request", {})
            self.send("shell", request)
            try:
                while True:
                    reply = self._get("shell", max(0.1, min(2.0, deadline - time.monotonic())))
                    if reply["parent_header"].get("msg_id") == request["msg_id"]:
                        return dict(reply["content"])
            except queue.Empty:
                if not self.is_alive():
                    raise ConnectionError(f"kernel socket closed: {self.close_reason}") from None
        raise TimeoutError(f"no kernel_info_reply within {timeout:.0f} s")

    def close(self) -> None:
        self._closing = True
        self._ws.close()
        self._reader.join(timeout=5)

    def _get(self, channel: str, timeout: float | None) -> Wire:
        if not self.is_alive() and self._queues[channel].empty():
            raise queue.Empty  # nothing more can come: ReactiveClient then checks is_alive()
        return self._queues[channel].get(timeout=timeout)

    def _read(self) -> None:
        while True:
            try:
                frame = self._ws.recv()
            except websocket.WebSocketTimeoutException:
                if self._closing:
                    self.close_reason = "closed by the client"
                    return
                continue
            except (websocket.WebSocketException, OSError) as error:
                self.close_reason = f"{type(error).__name__}: {error}"
                return
            if not frame:  # recv() gives an empty frame when the server closed the socket
                status = getattr(self._ws, "status", None)
                self.close_reason = f"closed by the server (status {status})"
                return
            if isinstance(frame, bytes):
                continue  # binary frames carry buffers (widgets); not needed here
            msg = json.loads(frame)
            self._queues.setdefault(msg.get("channel", ""), queue.Queue()).put(msg)
