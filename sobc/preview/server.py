"""The preview's HTTP server: the standard library's threading server, GET and HEAD only.

Paths map into the latest good build; `/_behandlare/…` is the same tree with the clinician
layer, `/_preview/…` the preview's own script, style sheet and status. Nothing is ever written
by a request, so answers typed into a previewed form never leave the browser.
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import layer
from .site import Site

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
TYPES = {".vtt": "text/vtt", ".md": "text/markdown", ".json": "application/json"}


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: Site, *, loopback: bool) -> None:
        super().__init__(address, Handler)
        self.site = site
        self.loopback = loopback


def clean_path(raw: str) -> str | None:
    """The request path relative to the tree, or None when it names nothing we would serve."""
    path = unquote(urlsplit(raw).path)
    if "\\" in path or "\0" in path or not path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p]
    if any(p.startswith(".") for p in parts):  # .., hidden files, the build cache
        return None
    rel = posixpath.join(*parts) if parts else ""
    return rel + "/index.html" if path.endswith("/") and rel else (rel or "index.html")


class Handler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "sobc-preview"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows builds and problems, not every request."""

    def _respond(self, *, head: bool) -> None:
        if self.server.loopback and not self._host_is_loopback():
            # A page elsewhere cannot reach this server through a name that points here.
            return self._send(HTTPStatus.FORBIDDEN, b"forbidden\n", "text/plain", head)
        rel = clean_path(self.path)
        if rel is None:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)
        first, _, rest = rel.partition("/")
        if first == layer.PREVIEW_PREFIX:
            return self._preview(rest, head)
        clinician = first == layer.CLINICIAN_PREFIX
        if clinician and not rest:  # relative links need the trailing slash
            return self._redirect(f"/{layer.CLINICIAN_PREFIX}/", head)
        if clinician:
            rel = rest
        self._page(rel, clinician, head)

    def _host_is_loopback(self) -> bool:
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.lower() in LOOPBACK_NAMES

    def _preview(self, name: str, head: bool) -> None:
        if name == "status.json":
            body = json.dumps(self.server.site.status, ensure_ascii=False).encode("utf-8")
            return self._send(HTTPStatus.OK, body, "application/json", head)
        data = layer.asset(name)
        if data is None:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        self._send(HTTPStatus.OK, data, kind, head)

    def _page(self, rel: str, clinician: bool, head: bool) -> None:
        site = self.server.site
        with site.lock:
            if site.generation == 0:
                return self._waiting(rel, head)
            target = (site.out / rel).resolve()
            if not target.is_relative_to(site.out.resolve()):
                return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)
            if target.is_dir():
                return self._redirect(self.path.split("?", 1)[0] + "/", head)
            try:
                data = target.read_bytes()
            except OSError:
                return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)
            if rel.endswith(".html"):
                extra = site.clinician_layer(rel) if clinician else ""
                html = layer.decorate(
                    data.decode("utf-8"),
                    rel,
                    clinician=clinician,
                    generation=site.generation,
                    layer=extra,
                )
                data = html.encode("utf-8")
        self._send(HTTPStatus.OK, data, _content_type(rel), head)

    def _waiting(self, rel: str, head: bool) -> None:
        if not rel.endswith(".html"):
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)
        message = "Programmet har fel, så det finns inget att visa ännu."
        html = layer.waiting_page(message, self.server.site.generation)
        self._send(HTTPStatus.SERVICE_UNAVAILABLE, html.encode("utf-8"), "text/html", head)

    def _redirect(self, location: str, head: bool) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool) -> None:
        if kind.startswith("text/") or kind == "application/json":
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _content_type(rel: str) -> str:
    suffix = Path(rel).suffix.lower()
    if suffix in TYPES:
        return TYPES[suffix]
    guessed, _ = mimetypes.guess_type(rel)
    return guessed or "application/octet-stream"
