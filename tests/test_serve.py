"""`sobc serve` without a browser: paths, the patient pages as built, problems, stopping."""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import sobc.preview.server as server_module
from sobc.package.build import build
from sobc.preview import PreviewServer, layer
from sobc.preview.headers import BUILT_CSP, PAGE_CSP, PREVIEW_CSP, SANDBOX_CSP, content_type
from sobc.preview.serve import is_loopback
from sobc.preview.server import clean_path, is_page
from sobc.preview.site import Site

from .browser.serving import Serving
from .conftest import EXAMPLE, ROOT

WAIT = 60.0  # every wait below is bounded; none is asserted on
META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _get(
    url: str, path: str, method: str = "GET", host: str | None = None, timeout: float = WAIT
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(_netloc(url), timeout=timeout)
    headers = {"Host": host} if host else {}
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def _netloc(url: str) -> str:
    return url.split("//", 1)[1].rstrip("/")


def _raw(url: str, request: bytes) -> bytes:
    """What the server sends back to a request written byte for byte, until it closes."""
    host, port = _netloc(url).rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=WAIT) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def _assert_guarded(headers: dict[str, str], policy: str) -> None:
    """The headers every answer of the preview carries."""
    assert headers["Content-Security-Policy"] == policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


@pytest.fixture
def preview(example: Path) -> Iterator[PreviewServer]:
    server = PreviewServer([example])
    server.start()
    yield server
    server.close()


@pytest.mark.parametrize(
    ("raw", "rel"),
    [
        ("/", "index.html"),
        ("/plus/", "plus/index.html"),
        ("/plus/index.html?x=1#y", "plus/index.html"),
        ("/_behandlare/plus/", "_behandlare/plus/index.html"),
        ("/a%20b.html", "a b.html"),
        ("/../etc/passwd", None),
        ("/%2e%2e/etc/passwd", None),
        ("/.sobc-cache", None),
        ("/plus/..%2f..%2fsecret", None),
        ("/a\\b", None),
        ("//attacker.example/example", None),
        ("/example//index.html", None),
    ],
)
def test_request_paths(raw: str, rel: str | None) -> None:
    assert clean_path(raw) == rel


def test_loopback_names() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")


def test_patient_pages_are_the_built_pages(preview: PreviewServer, tmp_path: Path) -> None:
    built = tmp_path / "built"
    assert build(preview.program_dirs, built).ok
    for rel in ("index.html", "example/index.html", "example/grunder/fragor.html"):
        status, headers, body = _get(preview.url, "/" + rel)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        served = body.decode("utf-8")
        bar = layer.render(
            "bar.html.j2",
            {
                "clinician": False,
                "patient_href": "/" + rel,
                "clinician_href": f"/_behandlare/{rel}",
            },
        )
        head = (
            f'<link rel="stylesheet" href="{layer.CSS}">\n'
            f'<script src="{layer.JS}" data-generation="1" defer></script>\n'
        )
        assert bar in served and head in served
        # Without the preview's switch and script (and its one CSP word), the page is as built.
        restored = served.replace(bar, "").replace(head, "")
        restored = restored.replace(PREVIEW_CSP, BUILT_CSP)
        assert restored.encode("utf-8") == (built / rel).read_bytes()
        assert "clinician-layer" not in served


def test_clinician_pages_carry_the_layer(preview: PreviewServer) -> None:
    status, _, body = _get(preview.url, "/_behandlare/example/grunder/index.html")
    page = body.decode("utf-8")
    assert status == 200
    assert 'class="clinician-layer"' in page and "<code>introduktion</code>" in page
    assert "I korthet" in page and "Efter modulen ska" in page  # the summary: the module's goals
    assert 'data-sim-start="grunder"' in page
    status, _, body = _get(preview.url, "/_behandlare/example/index.html")
    assert "Flaggor" in body.decode("utf-8") and "Aktivitetsplaner" in body.decode("utf-8")


def test_what_is_not_served(preview: PreviewServer) -> None:
    assert _get(preview.url, "/.sobc-cache")[0] == 404
    assert _get(preview.url, "/missing.html")[0] == 404
    assert _get(preview.url, "/_preview/other.js")[0] == 404
    assert _get(preview.url, "/", host="attacker.example")[0] == 403
    status, headers, body = _get(preview.url, "/example/index.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_a_folder_is_redirected_when_it_has_a_page(preview: PreviewServer) -> None:
    for folder in ("/example", "/_behandlare", "/_behandlare/example", "/example/grunder"):
        status, headers, _ = _get(preview.url, folder + "?x=1")
        assert (status, headers["Location"]) == (301, folder + "/")
    assert _get(preview.url, "/example/_media")[0] == 404  # a folder without a page
    assert _get(preview.url, "/example/_media/")[0] == 404
    assert _get(preview.url, "//attacker.example/example")[0] == 404  # never a redirect away


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head_are_answered(preview: PreviewServer, method: str) -> None:
    status, headers, body = _get(preview.url, "/example/index.html", method=method)
    assert (status, headers["Allow"]) == (405, "GET, HEAD")  # nothing is ever sent to it
    assert headers["Content-Type"] == "text/plain; charset=utf-8" and body
    _assert_guarded(headers, SANDBOX_CSP)


def test_a_method_http_does_not_define_is_not_implemented(preview: PreviewServer) -> None:
    status, headers, body = _get(preview.url, "/", method="BREW")
    assert status == 501 and body.startswith(b"501 ")
    _assert_guarded(headers, SANDBOX_CSP)


@pytest.mark.parametrize(
    "path", ["/", "/example/grunder/fragor.html", "/_behandlare/example/grunder/index.html"]
)
def test_a_page_carries_its_own_policy_as_a_header(preview: PreviewServer, path: str) -> None:
    status, headers, body = _get(preview.url, path)
    meta = META_CSP.search(body.decode("utf-8"))
    assert status == 200 and meta is not None
    # What the page says of itself, with the status check it needs, and no framing at all.
    assert html.unescape(meta.group(1)) == PREVIEW_CSP and "connect-src 'self'" in PREVIEW_CSP
    _assert_guarded(headers, f"{PREVIEW_CSP}; frame-ancestors 'none'")


@pytest.mark.parametrize(
    ("path", "status", "kind"),
    [
        ("/example/_media/film.vtt", 200, "text/vtt; charset=utf-8"),
        ("/example/_media/andning.md", 200, "text/markdown; charset=utf-8"),
        ("/_behandlare/example/_media/film.vtt", 200, "text/vtt; charset=utf-8"),
        ("/example/manifest.json", 200, "application/json; charset=utf-8"),
        ("/_preview/status.json", 200, "application/json; charset=utf-8"),
        ("/_preview/preview.js", 200, "text/javascript; charset=utf-8"),
        ("/_preview/preview.css", 200, "text/css; charset=utf-8"),
        ("/missing.html", 404, "text/plain; charset=utf-8"),
        ("/.sobc-cache", 404, "text/plain; charset=utf-8"),
        ("/example", 301, "text/plain; charset=utf-8"),
    ],
)
def test_what_is_not_a_page_is_sandboxed(
    preview: PreviewServer, path: str, status: int, kind: str
) -> None:
    got, headers, _ = _get(preview.url, path)
    assert (got, headers["Content-Type"]) == (status, kind)
    _assert_guarded(headers, SANDBOX_CSP)
    assert SANDBOX_CSP.startswith("sandbox;")  # no script, no origin of this server's


def test_media_is_served_as_it_is_never_decorated(preview: PreviewServer) -> None:
    media = preview.site.out / "example" / "_media"
    page = b'<html><head></head><body><header class="site-header">\n</header><main></main>'
    script = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    planted = {"page.html": page, "image.svg": script, "data.xyz": b"\0\1"}
    for name, data in planted.items():
        (media / name).write_bytes(data)
    for prefix in ("", "/_behandlare"):
        for name, data in planted.items():
            status, headers, body = _get(preview.url, f"{prefix}/example/_media/{name}")
            assert (status, body) == (200, data)
            assert headers["Content-Type"] == content_type(name)
            _assert_guarded(headers, SANDBOX_CSP)
    assert is_page("example/grunder/index.html") and not is_page("example/_media/page.html")


def test_content_types_come_from_a_fixed_table() -> None:
    assert content_type("a/b.SVG") == "image/svg+xml"
    assert content_type("film.mp4") == "video/mp4"
    assert content_type("sida.html") == "text/html; charset=utf-8"
    for unknown in ("data.xyz", "archive.tar.gz", "README", "script.php"):
        assert content_type(unknown) == "application/octet-stream"


def test_a_long_path_segment_is_not_found(
    preview: PreviewServer, capfd: pytest.CaptureFixture[str]
) -> None:
    connection = http.client.HTTPConnection(_netloc(preview.url), timeout=WAIT)
    for path in ("/" + "a" * 300, "/example/" + "b" * 300 + "/index.html", "/" + "c/" * 3000):
        connection.request("GET", path)
        response = connection.getresponse()
        assert (response.status, response.read()) == (404, b"not found\n")
        _assert_guarded(dict(response.getheaders()), SANDBOX_CSP)
    connection.request("GET", "/example/index.html")  # the same connection still answers
    assert connection.getresponse().status == 200
    connection.close()
    assert capfd.readouterr().err == ""  # no traceback


@pytest.mark.parametrize(
    ("request_line", "statuses"),
    [
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1", (b"414", b"400")),  # too long
        (b"GET", (b"400",)),  # no path, no version: still HTTP/1.1 with headers, not HTTP/0.9
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", (b"400",)),  # TLS by mistake
    ],
)
def test_a_broken_request_line_is_answered(
    preview: PreviewServer, request_line: bytes, statuses: tuple[bytes, ...]
) -> None:
    request = request_line + b"\r\nHost: 127.0.0.1\r\n\r\n"
    head, _, body = _raw(preview.url, request).partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    version, status, _ = status_line.encode("latin-1").split(b" ", 2)
    assert version == b"HTTP/1.1" and status in statuses and body
    _assert_guarded(dict(field.split(": ", 1) for field in fields), SANDBOX_CSP)
    assert _get(preview.url, "/")[0] == 200


def test_a_client_that_never_finishes_its_request_is_let_go(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module.Handler, "timeout", 0.5)
    server = PreviewServer([example])
    server.start()
    try:
        host, port = server.url.split("//")[1].rstrip("/").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as idle:
            idle.sendall(b"GET / HTTP/1.1\r\n")  # and nothing more
            assert idle.recv(1024) == b""  # closed by the server, not after 10 s
        assert _get(server.url, "/")[0] == 200
    finally:
        server.close()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_or_a_link_out_of_the_tree_is_not_served(preview: PreviewServer) -> None:
    package = preview.site.out / "example"
    os.mkfifo(package / "_media" / "pipe.vtt")
    os.mkfifo(package / "pipe.html")
    (package / "passwd.html").symlink_to("/etc/passwd")
    (package / "_media" / "etc").symlink_to("/etc", target_is_directory=True)
    (package / "again.html").symlink_to(package / "index.html")  # inside: served
    for path in (
        "/example/_media/pipe.vtt",
        "/example/pipe.html",
        "/_behandlare/example/pipe.html",
        "/example/passwd.html",
        "/example/_media/etc/passwd",
        "/example/_media/etc/",
    ):
        status, headers, body = _get(preview.url, path, timeout=10.0)  # a hang fails the test
        assert (status, body) == (404, b"not found\n"), path
        _assert_guarded(headers, SANDBOX_CSP)
    assert _get(preview.url, "/example/again.html")[0] == 200


def test_a_failure_while_answering_is_a_plain_500(
    preview: PreviewServer, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    def fail(*args: object, **kwargs: object) -> str:
        raise OSError("disk gone")

    monkeypatch.setattr(layer, "decorate", fail)
    status, headers, body = _get(preview.url, "/example/index.html")
    assert (status, body) == (500, b"the preview could not answer\n")
    _assert_guarded(headers, SANDBOX_CSP)
    assert _get(preview.url, "/example/_media/film.vtt")[0] == 200
    assert capfd.readouterr().err == ""


def test_a_failed_rebuild_keeps_the_last_good_pages(example: Path) -> None:
    site = Site([example])
    try:
        assert site.rebuild().ok and site.status == {"generation": 1, "ok": True, "problems": []}
        module = example / "modules" / "grunder.yaml"
        module.write_text(module.read_text().replace("length_days: 90", "length_days: x"))
        outcome = site.rebuild()
        assert not outcome.ok and site.generation == 1
        (problem,) = site.status["problems"]
        assert problem["where"].endswith("grunder.yaml:5:14") and problem["code"]
        assert problem["excerpt"] == ["5 | length_days: x", "  |              ^"]
        assert (site.out / "example" / "grunder" / "index.html").is_file()
    finally:
        site.close()
    assert not site.root.exists()


def test_before_any_good_build_pages_wait(example: Path) -> None:
    (example / "program.yaml").write_text("title: [\n")
    server = PreviewServer([example])
    server.start()
    try:
        status, headers, body = _get(server.url, "/example/index.html")
        assert status == 503 and "Förhandsvisningen väntar" in body.decode("utf-8")
        meta = META_CSP.search(body.decode("utf-8"))
        assert meta is not None and html.unescape(meta.group(1)) == PREVIEW_CSP
        _assert_guarded(headers, PAGE_CSP)
        assert _get(server.url, "/example/_media/page.html")[0] == 404
        _, _, body = _get(server.url, "/_preview/status.json")
        status_data = json.loads(body)
        assert status_data["ok"] is False and status_data["problems"][0]["where"]
    finally:
        server.close()


def test_a_change_rebuilds(example: Path) -> None:
    server = PreviewServer([example])
    server.start()
    stop = threading.Event()
    watcher = threading.Thread(target=server.watch, args=(stop,), daemon=True)
    watcher.start()
    try:
        module = example / "modules" / "grunder.yaml"
        module.write_text(module.read_text().replace("title: Introduktion", "title: Ny titel"))
        deadline = time.monotonic() + WAIT
        while server.site.generation < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        _, _, body = _get(server.url, "/example/grunder/introduktion.html")
        assert "Ny titel" in body.decode("utf-8")
    finally:
        stop.set()
        watcher.join(timeout=WAIT)
        server.close()


# How the server is started: as from a terminal, and as a non-interactive shell starts a
# background job (`make test > log &` in a script), with SIGINT ignored.
STARTED = pytest.mark.parametrize("sigint_ignored", [False, True], ids=["foreground", "background"])


@STARTED
def test_ctrl_c_stops_cleanly(tmp_path: Path, sigint_ignored: bool) -> None:
    server = Serving([EXAMPLE], tmp=tmp_path, sigint_ignored=sigint_ignored)
    status, _, _ = _get(server.url, "/")
    assert status == 200
    assert _ours(tmp_path) == ["sobc-serve-"]
    assert server.stop() == 0, server.output  # what it said, when it did not stop
    assert "stopped" in server.output
    server.close()
    assert not _ours(tmp_path)  # the preview's build is gone


@STARTED
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_supervisor_or_a_closed_terminal_stops_it_cleanly(
    tmp_path: Path, sigint_ignored: bool, signum: int
) -> None:
    server = Serving([EXAMPLE], tmp=tmp_path, sigint_ignored=sigint_ignored)
    assert _ours(tmp_path) == ["sobc-serve-"]
    assert server.stop(signum) == 0, server.output
    assert "stopped" in server.output and "Traceback" not in server.output
    server.close()
    assert not _ours(tmp_path)


@STARTED
@pytest.mark.parametrize("flag", ["-v", "-q"])
def test_serve_says_more_or_less(tmp_path: Path, flag: str, sigint_ignored: bool) -> None:
    server = Serving([EXAMPLE], flag, tmp=tmp_path, sigint_ignored=sigint_ignored)
    assert server.stop() == 0, server.output  # what it said, when it did not stop
    output = server.output
    server.close()
    assert "serving http://" in output  # the address, always
    verbose = flag == "-v"
    assert ("compiled example\n" in output) == verbose and ("cache: " in output) == verbose
    assert ("built (17 pages written)" in output) == verbose and ("stopped" in output) == verbose


def _printed(server: Serving, text: str, after: int = 0) -> int:
    """Wait until the server printed `text` after the first `after` characters; where it ends."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        output = server.output
        if text in output[after:]:
            return output.index(text, after) + len(text)
        time.sleep(0.05)
    raise AssertionError(f"sobc serve never printed {text!r}:\n{server.output}")


def test_a_fix_is_said_to_be_one_not_a_build_of_nothing(example: Path, tmp_path: Path) -> None:
    """Breaking a file and putting it back writes no page (the last good tree stands): the
    preview says the problem is fixed, never 'built (0 pages written)'."""
    server = Serving([example], tmp=tmp_path)
    try:
        start = _printed(server, "built (")
        module = example / "modules" / "grunder.yaml"
        good = module.read_text("utf-8")
        module.write_text(good.replace("title: Introduktion", "tittle: Introduktion"), "utf-8")
        broken = _printed(server, "build failed", start)
        module.write_text(good, "utf-8")
        _printed(server, "fixed: built, every page as it was before the problem", broken)
        assert "0 pages written" not in server.output
    finally:
        server.close()


def test_what_serve_says_after_a_good_build() -> None:
    from sobc.cli import built_message

    assert built_message(3, fixed=False) == "built (3 pages written)"
    assert built_message(1, fixed=True) == "fixed: built (1 page written)"
    assert built_message(0, fixed=True) == "fixed: built, every page as it was before the problem"
    assert built_message(0, fixed=False) == "built: no page changed"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_ctrl_c_stops_a_background_job_of_a_script(tmp_path: Path) -> None:
    """A script's background job inherits SIGINT ignored; Ctrl-C (kill -INT) stops it all the
    same, within seconds, and leaves no build folder."""
    log, took = tmp_path / "log", tmp_path / "took"
    script = (
        f"{shlex.quote(sys.executable)} -m sobc serve {shlex.quote(str(EXAMPLE))} --port 0 "
        f"> {log} 2>&1 & pid=$!; "
        f"until grep -q serving {log} || ! kill -0 $pid; do sleep 0.1; done; "
        "kill -INT $pid; start=$(date +%s%N); "
        "for i in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done; "
        "kill -KILL $pid 2>/dev/null; wait $pid; code=$?; "  # never one left running
        f"echo $(( ($(date +%s%N) - start) / 1000000 )) > {took}; exit $code"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, timeout=WAIT, check=False)
    assert done.returncode == 0, log.read_text()
    assert "stopped" in log.read_text()
    assert int(took.read_text()) < 5000  # milliseconds from Ctrl-C to its end
    assert [p for p in _ours(tmp_path) if p not in ("log", "took")] == []


def _ours(tmp: Path) -> list[str]:
    """What the preview keeps in the temporary folder; Jinja's private cache of compiled
    templates (kept between runs, like __pycache__) is not the preview's."""
    return [p.name[:11] for p in tmp.iterdir() if not p.name.startswith("_jinja2-cache-")]


def test_a_port_in_use_is_a_usage_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        command = [sys.executable, "-m", "sobc", "serve", str(EXAMPLE), "--port", port]
        done = subprocess.run(command, capture_output=True, text=True, timeout=WAIT, cwd=ROOT)
    assert done.returncode == 2
    assert "cannot listen" in done.stderr


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    from .browser.conftest import missing

    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="make test installs it"):
        missing("no Chromium")


def test_a_nul_in_a_media_link_is_a_problem_and_serve_stops_cleanly(
    example: Path, tmp_path: Path
) -> None:
    module = example / "modules" / "grunder.yaml"
    text = module.read_text("utf-8").replace("Lite text om", "Lite [a](media/a%00b.png) om")
    module.write_text(text, "utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    server = Serving([example], tmp=temp)
    _, _, body = _get(server.url, "/_preview/status.json")
    assert [p["code"] for p in json.loads(body)["problems"]] == ["SOBC325"]
    assert server.stop() == 0, server.output  # what it said, when it did not stop
    assert "Traceback" not in server.output and "SOBC325" in server.output
    server.close()
    assert not _ours(temp)


def test_a_server_that_never_began_serving_closes_at_once(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first build that fails unexpectedly: close() removes the build folder and does not
    wait for a serving loop that never began (it used to wait for ever)."""

    def fail(self: Site) -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(Site, "rebuild", fail)
    server = PreviewServer([example])
    with pytest.raises(RuntimeError):
        server.start()
    closing = threading.Thread(target=server.close, daemon=True)
    closing.start()
    closing.join(timeout=10)
    assert not closing.is_alive() and not server.site.root.exists()


def _inotify_watches() -> int:
    """How many inotify watches this process holds (Linux)."""
    count = 0
    for fd in os.listdir("/proc/self/fdinfo"):
        try:
            lines = Path("/proc/self/fdinfo", fd).read_text().splitlines()
        except OSError:
            continue
        count += sum(line.startswith("inotify wd:") for line in lines)
    return count


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="counts inotify watches")
def test_the_watcher_never_follows_a_link_out_of_the_program(example: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    for i in range(40):
        (elsewhere / f"folder-{i}").mkdir(parents=True)
    (example / "elsewhere").symlink_to(elsewhere, target_is_directory=True)
    (example / "root").symlink_to("/", target_is_directory=True)
    outcomes: list[object] = []
    server = PreviewServer([example], report=outcomes.append)
    server.start()
    stop = threading.Event()
    watcher = threading.Thread(target=server.watch, args=(stop,), daemon=True)
    before = _inotify_watches()
    watcher.start()
    try:
        module = example / "modules" / "grunder.yaml"
        module.write_text(module.read_text().replace("title: Introduktion", "title: Ny titel"))
        _wait_for(lambda: len(outcomes) >= 2)
        assert len(outcomes) == 2
        own = sum(1 for _ in os.walk(example))  # the program's own folders, links not followed
        assert _inotify_watches() - before <= own
        (elsewhere / "folder-1" / "x.yaml").write_text("changed elsewhere")
        time.sleep(1.5)
        assert len(outcomes) == 2  # nothing outside the program is watched
        (example / "media" / "ny").mkdir()  # a new folder is watched too
        time.sleep(0.3)
        (example / "media" / "ny" / "bild.txt").write_text("ny")
        _wait_for(lambda: len(outcomes) >= 3)
        assert len(outcomes) >= 3
    finally:
        stop.set()
        watcher.join(timeout=WAIT)
        server.close()


def test_many_connections_at_once_wait_to_be_answered(example: Path) -> None:
    """While the server is busy (here: not yet accepting), the system keeps 100 connections
    waiting rather than dropping them (the standard library's backlog of 5 did)."""
    server = PreviewServer([example])
    server.httpd = server_module.PreviewHTTPServer(("127.0.0.1", 0), server.site, loopback=True)
    address = server.httpd.server_address[:2]
    sockets = [socket.socket() for _ in range(100)]
    try:
        for s in sockets:
            s.setblocking(False)
            s.connect_ex(address)
        deadline = time.monotonic() + 5
        waiting = set(sockets)
        while waiting and time.monotonic() < deadline:
            _, writable, _ = select.select([], list(waiting), [], 0.1)
            waiting -= {
                s for s in writable if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
            }
        assert not waiting  # every one of them connected
    finally:
        for s in sockets:
            s.close()
        server.httpd.server_close()
        server.site.close()
