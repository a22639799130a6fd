"""The preview's HTTP server: the standard library's threading server, GET and HEAD only.

Paths map into the latest good build; `/_behandlare/…` is the same tree with the clinician
layer, `/_preview/…` the preview's own script, style sheet and status. Nothing is ever written
by a request, so answers typed into a previewed form never leave the browser. Every request is
answered, with the security headers of `headers.py`; none leaves a traceback in the terminal.
"""

from __future__ import annotations

import json
import os
import posixpath
import socket
import sys
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote

from ..read.files import Unreadable, read_regular
from ..runtime.layout import ASSET_DIR, MEDIA_DIR
from . import headers, layer
from .site import Site

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
FILE_LIMIT = 256 * 1024 * 1024  # the largest file served, a long film included
# After the last answer, what the client still sends is read and dropped for a moment, so that
# an answer to a request the server did not read to its end is not lost to a reset.
LINGER_SECONDS = 2.0
LINGER_BYTES = 1024 * 1024


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Connections the system keeps waiting while the server is busy; the standard library's 5
    # left some of 200 requests a browser and its tabs make at once unanswered for 40 s.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], site: Site, *, loopback: bool) -> None:
        super().__init__(address, Handler)
        self.site = site
        self.loopback = loopback

    def shutdown_request(self, request: Any) -> None:
        """Close as RFC 9112 (9.6) asks: stop sending, read what is still coming, then close."""
        try:
            request.shutdown(socket.SHUT_WR)
            request.settimeout(LINGER_SECONDS)
            deadline = time.monotonic() + LINGER_SECONDS
            drained = 0
            while drained < LINGER_BYTES and time.monotonic() < deadline:
                chunk = request.recv(64 * 1024)
                if not chunk:
                    break
                drained += len(chunk)
        except OSError:
            pass  # the client is gone already
        self.close_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away mid-answer is no error of the preview's; anything else is."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class Answer:
    """One response, made whole before anything is sent."""

    status: HTTPStatus
    body: bytes = b""
    kind: str = headers.TEXT_TYPE
    page: bool = False  # HTML the preview decorates or makes: the page policy, not the sandbox
    fields: tuple[tuple[str, str], ...] = ()  # more headers: Location, Allow


NOT_FOUND = Answer(HTTPStatus.NOT_FOUND, b"not found\n")
FAILED = Answer(HTTPStatus.INTERNAL_SERVER_ERROR, b"the preview could not answer\n")
NOT_ALLOWED = Answer(
    HTTPStatus.METHOD_NOT_ALLOWED,
    b"the preview answers GET and HEAD only\n",
    fields=(("Allow", "GET, HEAD"), ("Connection", "close")),  # a body sent is not read
)


def clean_path(raw: str) -> str | None:
    """The request path relative to the tree, or None when it names nothing we would serve."""
    path = unquote(raw.partition("?")[0].partition("#")[0])
    if "\\" in path or "\0" in path or not path.startswith("/"):
        return None
    parts = path.split("/")[1:]
    if any(p.startswith(".") for p in parts):  # .., hidden files, the build cache
        return None
    if any(not p for p in parts[:-1]):  # `//`: a path no link of the build makes
        return None
    rel = posixpath.join(*parts) if parts else ""
    return rel + "index.html" if path.endswith("/") else rel


def is_page(rel: str) -> bool:
    """Whether the preview decorates the file: an HTML page of the build, never anything under
    a package's `_media/` or `_assets/` (a program's ids never begin with `_`)."""
    folders = rel.split("/")[:-1]
    return rel.endswith(".html") and MEDIA_DIR not in folders and ASSET_DIR not in folders


class Handler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    protocol_version = "HTTP/1.1"
    # A request line too broken to name a version is answered with a status line and the
    # headers, not as HTTP/0.9 (a bare body).
    default_request_version = "HTTP/1.1"
    server_version = "sobc-preview"
    # A connection that sends nothing for this long is closed: a client that never finishes
    # its request would otherwise hold a server thread for ever.
    timeout = 30
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s\n"
    page = False  # whether the answer being sent is a page (see end_headers)

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _not_allowed(self) -> None:
        self._send(NOT_ALLOWED, head=False)

    # The methods HTTP defines; a method it does not is answered 501 by the standard library.
    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def end_headers(self) -> None:
        """Every answer, the standard library's own errors included, carries the headers."""
        for name, value in headers.security(page=self.page):
            self.send_header(name, value)
        self.page = False
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows builds and problems, not every request."""

    def _respond(self, *, head: bool) -> None:
        try:
            answer = self._answer()
        except Exception:  # a failure of the preview's own: still an answer, never a traceback
            answer = FAILED
        self._send(answer, head)

    def _answer(self) -> Answer:
        if self.server.loopback and not self._host_is_loopback():
            # A page elsewhere cannot reach this server through a name that points here.
            return Answer(HTTPStatus.FORBIDDEN, b"forbidden\n")
        rel = clean_path(self.path)
        if rel is None:
            return NOT_FOUND
        first, _, rest = rel.partition("/")
        if first == layer.PREVIEW_PREFIX:
            return self._preview(rest)
        if first == layer.CLINICIAN_PREFIX:
            return self._file(rest, clinician=True)
        return self._file(rel, clinician=False)

    def _host_is_loopback(self) -> bool:
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.lower() in LOOPBACK_NAMES

    def _preview(self, name: str) -> Answer:
        if name == "status.json":
            body = json.dumps(self.server.site.status, ensure_ascii=False).encode("utf-8")
            return Answer(HTTPStatus.OK, body, headers.content_type(name))
        data = layer.asset(name)
        if data is None:
            return NOT_FOUND
        return Answer(HTTPStatus.OK, data, headers.content_type(name))

    def _file(self, rel: str, *, clinician: bool) -> Answer:
        """A file of the latest good build, a page decorated; a folder with a page is sent to
        its own address with a `/` (relative links need it), any other folder is not found."""
        site = self.server.site
        with site.lock:
            if site.generation == 0:
                return self._waiting(rel)
            path = site.out / rel
            try:
                data = read_regular(path, FILE_LIMIT, inside=site.out)
            except Unreadable:
                if os.path.isfile(path / "index.html"):  # (false for a name too long)
                    return _redirect_to_folder(rel, clinician=clinician)
                return NOT_FOUND
            if not is_page(rel):
                return Answer(HTTPStatus.OK, data, headers.content_type(rel))
            extra = site.clinician_layer(rel) if clinician else ""
            html = layer.decorate(
                data.decode("utf-8"),
                rel,
                clinician=clinician,
                generation=site.generation,
                layer=extra,
            )
        return _page(HTTPStatus.OK, html)

    def _waiting(self, rel: str) -> Answer:
        if not is_page(rel):
            return NOT_FOUND
        message = "Programmet har fel, så det finns inget att visa ännu."
        html = layer.waiting_page(message, self.server.site.generation)
        return _page(HTTPStatus.SERVICE_UNAVAILABLE, html)

    def _send(self, answer: Answer, head: bool) -> None:
        self.send_response(answer.status)
        for name, value in answer.fields:
            self.send_header(name, value)
        self.send_header("Content-Type", answer.kind)
        self.send_header("Content-Length", str(len(answer.body)))
        self.page = answer.page
        self.end_headers()
        if not head:
            self.wfile.write(answer.body)


def _page(status: HTTPStatus, html: str) -> Answer:
    return Answer(status, html.encode("utf-8"), headers.PAGE_TYPE, page=True)


def _redirect_to_folder(rel: str, *, clinician: bool) -> Answer:
    prefix = f"/{layer.CLINICIAN_PREFIX}/" if clinician else "/"
    location = prefix + quote(rel) + "/" if rel else prefix
    return Answer(HTTPStatus.MOVED_PERMANENTLY, fields=(("Location", location),))
