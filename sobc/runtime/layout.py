"""Where things are in an output folder and in a program's package: the names that the build,
the renderer, the manifest and the runtime reader share. Imports nothing else of sobc's."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache
from urllib.parse import unquote

from ..resources import package_dir

CATALOGUE = "index.html"  # the output folder's list of packages
MANIFEST_FILE = "manifest.json"  # in each package
ASSET_DIR = "_assets"  # the style sheet and script, in the output folder and in each package
MEDIA_DIR = "_media"  # a package's copy of its program's media/ (the files it uses: media.py)
SOURCE_MEDIA_DIR = "media"  # in a program folder
_ASSET_FILES = {"css": "sobc.css", "js": "sobc.js"}


@cache
def assets() -> dict[str, tuple[str, bytes]]:
    """The shared assets: key → (content-hashed path under _assets/, bytes)."""
    found = {}
    for key, name in _ASSET_FILES.items():
        data = (package_dir() / "render" / "assets" / name).read_bytes()
        stem, ext = name.rsplit(".", 1)
        digest = hashlib.sha256(data).hexdigest()[:12]
        found[key] = (f"{ASSET_DIR}/{stem}.{digest}.{ext}", data)
    return found


def site_logo_asset(data: bytes, suffix: str) -> str:
    """Where the site's logo goes in the output folder, named by its content."""
    return f"{ASSET_DIR}/logo.{hashlib.sha256(data).hexdigest()[:12]}{suffix.lower()}"


def theme_asset(data: bytes) -> str:
    """Where a program's theme style sheet goes in its package, named by its content."""
    return f"{ASSET_DIR}/theme.{hashlib.sha256(data).hexdigest()[:12]}.css"


def asset_paths() -> dict[str, str]:
    return {key: path for key, (path, _) in assets().items()}


# ---- pages: where each page of a program is, and the addresses Markdown links to them by

STEP_SCHEME = "step:"  # [text](step:module-id/step-id)
MODULE_SCHEME = "module:"  # [text](module:module-id)


def step_page(module_id: str, step_id: str) -> str:
    """A step's page, from the program's folder in the package. `index` would clash with the
    module's page, and `_` never occurs in ids."""
    name = "index_.html" if step_id == "index" else f"{step_id}.html"
    return f"{module_id}/{name}"


def transcript_page(module_id: str, step_id: str) -> str:
    """The readable page of a step's video captions, beside the step's (`_` never occurs in
    ids, so it can be no step's page)."""
    return f"{module_id}/{step_id}_text.html"


def module_page(module_id: str) -> str:
    return f"{module_id}/index.html"


def is_page_link(url: str) -> bool:
    """A Markdown link to a page of the program: step:module-id/step-id or module:module-id."""
    return url.startswith((STEP_SCHEME, MODULE_SCHEME))


def page_link_target(url: str) -> str | None:
    """The page a well-formed page link leads to (`step_page`, `module_page`), else None."""
    if url.startswith(MODULE_SCHEME):
        module_id = url.removeprefix(MODULE_SCHEME)
        return module_page(module_id) if _ID.fullmatch(module_id) else None
    if url.startswith(STEP_SCHEME):
        module_id, _, step_id = url.removeprefix(STEP_SCHEME).partition("/")
        if _ID.fullmatch(module_id) and _ID.fullmatch(step_id):
            return step_page(module_id, step_id)
    return None


_ID = re.compile(r"[a-z0-9][a-z0-9-]*")  # as the schema has ids (common.schema.json)


def is_media_path(url: str) -> bool:
    return url.startswith(SOURCE_MEDIA_DIR + "/")


def source_path(url: str) -> str:
    """A local URL as the file path it names: no fragment or query, %-escapes decoded."""
    return unquote(url.split("#", 1)[0].split("?", 1)[0])


def published_path(url: str) -> str:
    """Where a media file is in the package: 'media/Övning 1.VTT' → '_media/ovning-1.vtt'.

    Deterministic, and safe in a URL and as a file name: no segment is empty, hidden or `..`."""
    rel = source_path(url).removeprefix(SOURCE_MEDIA_DIR + "/")
    return "/".join([MEDIA_DIR, *(_slug(part) for part in rel.split("/") if part)])


def _slug(segment: str) -> str:
    plain = unicodedata.normalize("NFKD", segment).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9._-]+", "-", plain).strip("-.") or "_"
