"""Which URLs a page may carry: the rule the renderer applies and the checks report against."""

from __future__ import annotations

import re

SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_ALLOWEDSCHEMES = {"http", "https", "mailto", "tel"}


def check_url(url: str) -> bool:
    """True if the URL is http(s), mailto, tel, or a relative path that stays in the package."""
    if not url or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in url):
        return False
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    if ":" in head:
        match = SCHEME.match(url)
        return match is not None and match.group(1).lower() in _ALLOWEDSCHEMES
    if url.startswith("/"):
        return False
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    return ".." not in path.split("/")


def is_external(url: str) -> bool:
    match = SCHEME.match(url)
    return match is not None and match.group(1).lower() in ("http", "https")
