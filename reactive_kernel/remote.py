"""A kernel on a remote Jupyter server (a user's server behind JupyterHub, or any ``jupyter
server``), for ``reactive-kernel run --server`` and the hub tests.

``RemoteKernel`` starts a kernel through the server's REST API (``POST /api/kernels``), connects to
it over ``/api/kernels/<id>/channels``, interrupts it and deletes it at the end. Its failures are
``RemoteError`` with a message for a person: the server cannot be reached, refuses the token, is
not there (404) or not running (JupyterHub's 424/503), or cannot start the kernel (the server's
own message, e.g. no such kernelspec).

``KernelSocket`` is the websocket, shaped like the part of jupyter_client's
``BlockingKernelClient`` that ``ReactiveClient`` uses (``session``, ``shell_channel.send``,
``get_shell_msg``, ``get_iopub_msg``, ``is_alive``), so the same front end drives a local kernel
and a remote one. It speaks the server's default (JSON) websocket protocol: every message is one
JSON text frame carrying its ``channel``; a reader thread files incoming messages by channel. When
the socket closes (the user's server stopped, the proxy dropped the route, the network broke)
``is_alive()`` turns false and ``close_reason`` says why, so a waiting client ends with that
message instead of hanging.

The token travels only in the ``Authorization`` header; no message here contains it.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

import websocket
from jupyter_client.jsonutil import json_default
from jupyter_client.session import Session

Wire = dict[str, Any]
HTTP_TIMEOUT = 30.0
"""Seconds for one REST call; starting a kernel answers once the kernel process is up."""


class RemoteError(RuntimeError):
    """The server cannot be reached, refuses us, or cannot start the kernel."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        """The HTTP status when the server answered with an error."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect from an API call means a login page, not a kernel: report it, do not follow."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class RemoteKernel:
    """One kernel on the Jupyter server at ``server`` (its base URL, e.g.
    ``https://hub.example.org/user/alice/``): ``start`` it, ``interrupt`` it, ``shutdown``.

    ``shutdown`` never raises: it runs in ``finally`` blocks, also when the server is gone.
    """

    def __init__(
        self, server: str, token: str | None, kernel_name: str, timeout: float = 60.0
    ) -> None:
        self.server = server.rstrip("/")
        self.kernel_name = kernel_name
        self.timeout = timeout
        self.kernel_id: str | None = None
        self.socket: KernelSocket | None = None
        self._token = token

    def start(self) -> KernelSocket:
        """Start the kernel, connect and wait until it answers kernel_info."""
        try:
            model = self._call("POST", "/api/kernels", {"name": self.kernel_name})
        except RemoteError as error:
            # jupyter_server answers an unknown kernel name with a bare 500 "Unhandled error".
            names = self._kernelspecs() if error.status in (400, 404, 500) else set()
            if names and self.kernel_name not in names:
                raise RemoteError(
                    f"the Jupyter server at {self.server} has no kernel {self.kernel_name!r} "
                    f"(it has: {', '.join(sorted(names))})",
                    error.status,
                ) from None
            raise
        if not isinstance(model, dict) or "id" not in model:
            raise RemoteError(f"{self.server} did not answer like a Jupyter server: {model!r:.200}")
        self.kernel_id = str(model["id"])
        try:
            self.socket = KernelSocket(self.server, self.kernel_id, self._token, self.timeout)
            self.socket.kernel_info(self.timeout)
        except BaseException:  # also Ctrl-C while it starts: do not leave the kernel running
            self.shutdown()
            raise
        return self.socket

    def _kernelspecs(self) -> set[str]:
        """The names of the server's kernelspecs; none when they cannot be listed."""
        try:
            listing = self._call("GET", "/api/kernelspecs", None)
            return set(listing["kernelspecs"])
        except (RemoteError, TypeError, KeyError):
            return set()

    def interrupt(self) -> None:
        if self.kernel_id is not None:
            with contextlib.suppress(RemoteError):
                self._call("POST", f"/api/kernels/{self.kernel_id}/interrupt", {})

    def shutdown(self) -> None:
        """Close the socket and delete the kernel; a server that is gone is not an error here."""
        if self.socket is not None:
            self.socket.close()
            self.socket = None
        if self.kernel_id is not None:
            with contextlib.suppress(RemoteError):
                self._call("DELETE", f"/api/kernels/{self.kernel_id}", None, timeout=10.0)
            self.kernel_id = None

    def _call(self, method: str, path: str, body: Any, timeout: float = HTTP_TIMEOUT) -> Any:
        """A REST call; its JSON answer, or ``RemoteError`` saying what went wrong."""
        request = urllib.request.Request(
            self.server + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if self._token:
            request.add_unredirected_header("Authorization", f"token {self._token}")
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                text = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            raise RemoteError(self._refusal(error), error.code) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise RemoteError(
                f"cannot reach the Jupyter server at {self.server}: {reason}"
            ) from None
        try:
            return json.loads(text) if text else None
        except ValueError:
            raise RemoteError(
                f"{self.server} answered {path} with something other than JSON: is it the base "
                "URL of a Jupyter server (e.g. https://hub.example.org/user/NAME/)?"
            ) from None

    def _refusal(self, error: urllib.error.HTTPError) -> str:
        status, where = error.code, f"the Jupyter server at {self.server}"
        if status in (301, 302, 303, 307, 308):
            return (
                f"{where} redirected to {error.headers.get('Location')} (HTTP {status}): the token "
                "is missing or refused, or the URL is not a server's base URL"
            )
        if status in (401, 403):
            return (
                f"{where} refused the token (HTTP {status}): pass a valid one with --token, "
                "JUPYTER_TOKEN or JUPYTERHUB_API_TOKEN"
            )
        if status == 404:
            return f"no Jupyter server at {self.server} (HTTP 404): check the URL"
        if status in (424, 503):
            return (
                f"{where} is not running (HTTP {status}): start it (e.g. from the hub's home page)"
            )
        detail = _server_message(error)
        return f"{where} answered HTTP {status}" + (f": {detail}" if detail else "")


def _server_message(error: urllib.error.HTTPError) -> str:
    """The ``message`` (or ``reason``) of a Jupyter server's JSON error, else the HTTP reason."""
    try:
        body = json.loads(error.read().decode("utf-8", "replace"))
    except (ValueError, OSError):
        body = {}
    if isinstance(body, dict):
        for key in ("message", "reason"):
            if body.get(key):
                return str(body[key])
    return str(error.reason or "")


class _Channel:
    """The ``send`` half of a jupyter_client channel."""

    def __init__(self, owner: KernelSocket, name: str) -> None:
        self._owner = owner
        self._name = name

    def send(self, msg: Wire) -> None:
        self._owner.send(self._name, msg)


class KernelSocket:
    """One websocket connection to kernel ``kernel_id`` of the server at ``server``."""

    def __init__(
        self, server: str, kernel_id: str, token: str | None, timeout: float = 30.0
    ) -> None:
        self.server = server.rstrip("/")
        url = self.server.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        self.url = f"{url}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        self.session = Session(username="reactive-kernel")
        self.close_reason: str | None = None
        self._queues: dict[str, queue.Queue[Wire]] = {
            name: queue.Queue() for name in ("shell", "iopub", "control", "stdin")
        }
        header = [f"Authorization: token {token}"] if token else []
        try:
            self._ws = websocket.create_connection(self.url, header=header, timeout=timeout)
        except (websocket.WebSocketException, OSError) as error:
            raise RemoteError(
                f"cannot open the kernel's websocket at {self.server}: {error}"
            ) from None
        # The reader blocks in recv(); a short socket timeout lets it notice close() promptly.
        self._ws.settimeout(1.0)
        self._closing = False
        self._reader = threading.Thread(target=self._read, name="kernel-socket", daemon=True)
        self._reader.start()
        self.shell_channel = _Channel(self, "shell")

    # -- what ReactiveClient calls -----------------------------------------------------------

    def send(self, channel: str, msg: Wire) -> None:
        frame = {**msg, "channel": channel, "buffers": []}
        try:
            self._ws.send(json.dumps(frame, default=json_default))
        except (websocket.WebSocketException, OSError) as error:
            self._ended(f"{type(error).__name__}: {error}")
            # Nothing is raised: the reader's queues run dry and is_alive() says why.

    def get_shell_msg(self, timeout: float | None = None) -> Wire:
        return self._get("shell", timeout)

    def get_iopub_msg(self, timeout: float | None = None) -> Wire:
        return self._get("iopub", timeout)

    def is_alive(self) -> bool:
        return self.close_reason is None

    # -- the rest ------------------------------------------------------------------------------

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
                    raise RemoteError(str(self.close_reason)) from None
        raise RemoteError(f"the kernel at {self.server} did not answer within {timeout:.0f} s")

    def close(self) -> None:
        self._closing = True
        with contextlib.suppress(websocket.WebSocketException, OSError):
            self._ws.close(timeout=1.0)
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
                    self._ended("")
                    return
                continue
            except (websocket.WebSocketException, OSError) as error:
                self._ended(f"{type(error).__name__}: {error}")
                return
            if not frame:  # recv() gives an empty frame when the server closed the socket
                self._ended(f"closed by the server (status {getattr(self._ws, 'status', None)})")
                return
            if isinstance(frame, bytes):
                continue  # binary frames carry buffers (widgets); not needed here
            msg = json.loads(frame)
            self._queues.setdefault(msg.get("channel", ""), queue.Queue()).put(msg)

    def _ended(self, reason: str) -> None:
        """Record why the socket ended; the first reason wins."""
        if self.close_reason is not None:
            return
        if self._closing:
            self.close_reason = "closed by the client"
        else:
            self.close_reason = (
                f"the connection to the server at {self.server} was lost: {reason}; "
                "the server may have been stopped"
            )
