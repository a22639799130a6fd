"""What the preview tells the browser beside the body: the security headers and the content type.

Two policies. A page (HTML the preview decorates or makes) gets the policy its own `<meta>`
states, plus what only a header can say (`frame-ancestors`). Everything else (media, the
package's files, the preview's script and status, errors) gets `sandbox`: opened on its own, an
SVG or HTML file that got into a package runs no script and has no origin to reach this server's
pages from. Content types come from the table below, never from the machine's mimetypes
database, so every machine serves the same bytes alike.
"""

from __future__ import annotations

from pathlib import PurePosixPath

# The policy `sobc build` writes into every page (sobc/render/templates/base.html.j2).
BUILT_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "media-src 'self' https:; form-action 'self'; base-uri 'none'"
)
# The preview's copy of a page also asks its own server for the build status.
PREVIEW_CSP = BUILT_CSP.replace("default-src 'none';", "default-src 'none'; connect-src 'self';")
NO_FRAMING = "frame-ancestors 'none'"  # ignored in a <meta>: only a header can say it
PAGE_CSP = f"{PREVIEW_CSP}; {NO_FRAMING}"
SANDBOX_CSP = f"sandbox; default-src 'none'; {NO_FRAMING}"

TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".md": "text/markdown",
    ".txt": "text/plain",
    ".vtt": "text/vtt",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".pdf": "application/pdf",
}
UNKNOWN_TYPE = "application/octet-stream"


def content_type(name: str) -> str:
    """The Content-Type of a served file by its name; text is UTF-8, as sobc writes and reads it."""
    kind = TYPES.get(PurePosixPath(name).suffix.lower(), UNKNOWN_TYPE)
    if kind.startswith("text/") or kind == "application/json":
        return f"{kind}; charset=utf-8"
    return kind


PAGE_TYPE = content_type("index.html")
TEXT_TYPE = content_type("message.txt")  # the preview's own short answers: errors, redirects


def security(*, page: bool) -> list[tuple[str, str]]:
    """The headers every answer carries; `page` for HTML the preview decorates or makes."""
    return [
        ("Content-Security-Policy", PAGE_CSP if page else SANDBOX_CSP),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
    ]
