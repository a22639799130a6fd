"""The publishing rule: which files of a program's media/ folder reach its package, and as what.

A file is published only when all of these hold (`checks.media` reports each one that fails):
- the program refers to it: a step's media (src, captions, transcript, poster), or a link or
  image in Markdown (step bodies, module descriptions, the welcome text); an unreferenced file
  is not published (a warning says so);
- it lies in the program's media/ folder once every symbolic link in its path is resolved, and
  it is a regular file: nothing outside the program folder is ever read or published;
- its name's extension is of a kind sobc publishes (`TYPES`) and its content is of that kind:
  no HTML, SVG or script, whatever the file is called.

It is published under a name derived from the one the author wrote (`published_path`): Swedish
letters and other accents lose their marks, everything else but letters, digits, `.`, `_` and
`-` becomes `-`, all in lower case. The pages, the manifest and the runtime loader all use that
name; two files that would get the same name are an error.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model.program import Program, Ref
from ..runtime.layout import SOURCE_MEDIA_DIR as SOURCE_DIR
from ..runtime.layout import published_path, source_path
from .findings import link_targets

TEXT_LIMIT = 2 * 1024 * 1024  # captions and transcripts are read whole, to check their text
LOGO_LIMIT = 2 * 1024 * 1024  # a logo is shown in every page's header: a small image


@dataclass(frozen=True)
class Kind:
    """A kind of file sobc publishes: how it is named, and how its first bytes look."""

    name: str
    looks_right: Callable[[bytes], bool]
    text: bool = False  # UTF-8 text, read whole


def _starts(*magics: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(magics)


def _riff(form: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(b"RIFF") and head[8:12] == form


def _iso_media(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


def _any_text(head: bytes) -> bool:
    return True  # the whole file is checked as UTF-8 text


def _webvtt(head: bytes) -> bool:
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT")


_PNG, _JPEG = _starts(b"\x89PNG\r\n\x1a\n"), _starts(b"\xff\xd8\xff")
_OGG = _starts(b"OggS")
TYPES: dict[str, Kind] = {
    ".png": Kind("PNG image", _PNG),
    ".jpg": Kind("JPEG image", _JPEG),
    ".jpeg": Kind("JPEG image", _JPEG),
    ".gif": Kind("GIF image", _starts(b"GIF87a", b"GIF89a")),
    ".webp": Kind("WebP image", _riff(b"WEBP")),
    ".mp4": Kind("MP4 video", _iso_media),
    ".m4v": Kind("MP4 video", _iso_media),
    ".webm": Kind("WebM video", _starts(b"\x1a\x45\xdf\xa3")),
    ".mp3": Kind("MP3 audio", _starts(b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".m4a": Kind("M4A audio", _iso_media),
    ".ogg": Kind("Ogg audio", _OGG),
    ".oga": Kind("Ogg audio", _OGG),
    ".wav": Kind("WAV audio", _riff(b"WAVE")),
    ".vtt": Kind("WebVTT captions", _webvtt, text=True),
    ".md": Kind("Markdown text", _any_text, text=True),
    ".txt": Kind("plain text", _any_text, text=True),
    ".pdf": Kind("PDF document", _starts(b"%PDF-")),
}
# For messages: "PNG image (.png), JPEG image (.jpg, .jpeg), …"
KINDS_TEXT = ", ".join(
    f"{name} ({', '.join(e for e, k in TYPES.items() if k.name == name)})"
    for name in dict.fromkeys(k.name for k in TYPES.values())
)


# ---------------------------------------------------------------- references


@dataclass(frozen=True)
class Reference:
    """A local file the program refers to, and where."""

    path: str  # as a path inside the program folder: media/film.vtt
    ref: Ref
    at: tuple[str | int, ...]  # the key path of the value that refers to it
    referrer: str  # for messages: "step 'film'"
    offset: int | None = None  # in a Markdown text: where the link or image stands in it
    limit: int | None = None  # the largest file it may be, when smaller than any media's


@dataclass(frozen=True)
class Markdown:
    """A Markdown text of the program that may link to files."""

    text: str
    ref: Ref
    at: tuple[str | int, ...]
    referrer: str


def markdown_texts(program: Program) -> Iterator[Markdown]:
    """Step bodies, module descriptions and the welcome text, in order."""
    for module in program.modules:
        for step in module.steps:
            if step.body:
                yield Markdown(step.body, step.ref, ("body",), f"step '{step.id}'")
        if module.description:
            where = f"module '{module.id}'"
            yield Markdown(module.description, module.ref, ("description",), where)
    yield Markdown(program.welcome, program.ref, ("welcome",), "the welcome text")
    if program.emergency:
        yield Markdown(program.emergency, program.ref, ("emergency",), "the emergency text")


def references(program: Program) -> Iterator[Reference]:
    """Every local file the program's steps, modules and welcome text refer to, in order."""
    for module in program.modules:
        for step in module.steps:
            if step.media:
                for key, path in step.media.files():
                    at = ("media", key)
                    yield Reference(source_path(path), step.ref, at, f"step '{step.id}'")
    if program.theme and program.theme.logo:
        logo = program.theme.logo
        at, referrer = ("theme", "logo"), "the theme's logo"
        yield Reference(source_path(logo), program.ref, at, referrer, limit=LOGO_LIMIT)
    for md in markdown_texts(program):
        for target in link_targets(md.text):
            url = target.url
            if url and ":" not in url.split("/", 1)[0] and not url.startswith(("#", "//", "?")):
                path = source_path(url)
                yield Reference(path, md.ref, md.at, md.referrer, target.offset)


# ---------------------------------------------------------------- files


def unnamable(path: str) -> str | None:
    """Why no file can have the path `path` (it holds a NUL character, which the system refuses
    in any name), or None; such a path is never given to the system."""
    return "it holds a NUL character (%00), which no file name can hold" if "\0" in path else None


def shown(path: str) -> str:
    """A path for a message: characters that are not printable written as escapes."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in path)


def locate(root: Path, path: str) -> Path | None:
    """The real path of `path` (inside the program folder `root`) when it lies in the program's
    media/ folder once every link is resolved; None when it leads anywhere else or can name no
    file (`unnamable`)."""
    if unnamable(path) is not None:
        return None
    media = Path(os.path.realpath(root)) / SOURCE_DIR
    real = Path(os.path.realpath(root / path))
    return real if real.is_relative_to(media) and real != media else None


def unpublishable(real: Path, limit: int | None = None) -> str | None:
    """Why the file at `real` (located) cannot be published, or None when it can; `limit`:
    the most bytes it may have (a logo's)."""
    kind = TYPES.get(real.suffix.lower())
    if kind is None:
        return f"a '{real.suffix or real.name}' file is not a kind sobc publishes"
    try:
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            return "it is not a regular file"
        if limit is not None and info.st_size > limit:
            return f"a logo of {info.st_size:,} bytes is larger than {limit:,}"
        if kind.text and info.st_size > TEXT_LIMIT:
            return f"a text file of {info.st_size:,} bytes is larger than {TEXT_LIMIT:,}"
        with open(real, "rb") as file:
            head = file.read(TEXT_LIMIT if kind.text else 64)
    except OSError as error:
        return f"it cannot be read: {error.strerror or error}"
    if not kind.looks_right(head):
        return f"its content is not a {kind.name}"
    if kind.text:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            line = head[: error.start].count(b"\n") + 1
            return f"it is not UTF-8 text (line {line})"
    return None


def files(root: Path) -> list[Path]:
    """Every file under the program's media/ folder (hidden ones and links to folders left out)."""
    media = root / SOURCE_DIR
    if media.is_symlink() or not media.is_dir():
        return []
    found: list[Path] = []
    for folder, subfolders, names in os.walk(media):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        found.extend(Path(folder) / n for n in sorted(names) if not n.startswith("."))
    return found


def published(program: Program) -> dict[str, Path]:
    """What the package holds of the program's media: its path there → the real source file.

    Only referenced files that `locate` finds; the checks have refused every other problem
    before anything is written."""
    found: dict[str, Path] = {}
    for reference in references(program):
        real = locate(program.root, reference.path)
        if real is not None and real.is_file():
            found.setdefault(published_path(reference.path), real)
    return dict(sorted(found.items()))
