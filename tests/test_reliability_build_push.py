"""Issue 14, findings 3 and 10: two builds into one folder, and a push that meets a bad server.

Finding 3: a build holds one lock on its output folder (``OUT/.lock``) from its start to its
last output, so a second build into that folder stops at once with one line and exit 2,
with or without the cache, and the first build's outputs are whole.

Finding 10: each PUT of ``ftz-kg push`` has one total deadline, a push that stops part-way
says which graphs were replaced and which not, and an HTML page answered with 200 is an
error. The servers are real HTTP servers on 127.0.0.1, started in the test.
"""

from __future__ import annotations

import fcntl
import http.server
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.errors import EndpointError
from kg.store.embedded import open_store
from kg.store.push import push

from .conftest import ROOT, SEEDS

# -- finding 3: one lock per output folder --------------------------------------------------


def _corpus(folder: Path, copies: int) -> Path:
    """``copies`` documents, each the seed texts under a line of its own (distinct texts)."""
    folder.mkdir()
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    for i in range(copies):
        (folder / f"doc{i:02d}.txt").write_text(f"第{i + 1}号文件。\n{seeds}", encoding="utf-8")
    return folder


def _held(lock: Path) -> bool:
    """Whether another process holds ``lock`` (a non-blocking flock attempt)."""
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _wait_for_lock(out: Path, proc: subprocess.Popen[bytes], limit: float = 60.0) -> None:
    """Poll until ``proc`` holds ``OUT/.lock``. The build writes its process id into the
    lock file once it holds the lock, so the probe never takes the lock before the build."""
    lock = out / ".lock"
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the first build ended early: {proc.communicate()}"
        if lock.is_file() and lock.read_text().strip() == str(proc.pid):
            assert _held(lock)
            return
        time.sleep(0.02)
    raise AssertionError(f"the first build did not take {lock} within {limit} s")


def test_finding_3_second_build_fails_at_once(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    first = subprocess.Popen(
        [sys.executable, "-c", "from kg.cli import main; main()", "build", str(corpus)]
        + ["--out", str(out), "--engine", "serial"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_lock(out, first)
        runner = CliRunner()
        for mode in (["--no-cache"], []):
            start = time.monotonic()
            second = runner.invoke(
                main, ["build", str(corpus), "--out", str(out), "--engine", "serial", *mode]
            )
            took = time.monotonic() - start
            assert second.exit_code == 2, (mode, second.output)
            lines = second.output.strip().splitlines()
            assert len(lines) == 1, (mode, second.output)
            assert lines[0].startswith("error[E501]")
            assert str(out) in lines[0] and "another build" in lines[0], lines[0]
            assert "--out" in lines[0]  # what to do
            assert took < 5, f"{mode}: the second build took {took:.1f} s to refuse"
            assert first.poll() is None, "the first build should still be running"
        stdout, stderr = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, stderr.decode()
    graph = Graph().parse(out / "kg.ttl", format="turtle")
    assert len(graph) > 1000
    store = open_store(out)
    try:
        rows = list(
            store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        )
        assert int(rows[0][0].value) == 6  # type: ignore[index,union-attr]
    finally:
        del store
    assert not _held(out / ".lock")  # released with the build


def test_finding_3_the_lock_is_released_after_a_failed_build(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    failed = runner.invoke(main, ["build", str(tmp_path / "nosuch.txt"), "--out", str(out)])
    assert failed.exit_code == 2 and "E501" not in failed.output
    assert (out / ".lock").is_file() and not _held(out / ".lock")
    corpus = _corpus(tmp_path / "in", 1)
    assert runner.invoke(main, ["build", str(corpus), "--out", str(out)]).exit_code == 0


# -- finding 10: push with a deadline, a summary and a checked answer ----------------------


Respond = Callable[[http.server.BaseHTTPRequestHandler, int, str], None]


class _Server:
    """A real HTTP server on 127.0.0.1 (a thread) that records the graph of each PUT."""

    def __init__(self, respond: Respond) -> None:
        self.puts: list[str] = []
        self.stop = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            stop = self.stop  # set when the test ends: a slow answer gives up

            def do_PUT(self) -> None:  # noqa: N802 (the http.server name)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                graph = query.get("graph", ["default graph"])[0]
                server.puts.append(graph)
                respond(self, len(server.puts), graph)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/store"

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def _answer(
    handler: http.server.BaseHTTPRequestHandler, status: int, kind: str, body: bytes
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture()
def nine_graphs(tmp_path: Path) -> Path:
    """A dataset of 8 named graphs and a default graph: 9 PUTs."""
    lines = ["@prefix ex: <http://example.org/> .", 'ex:shared ex:p "shared" .']
    lines += [f'ex:g{i} {{ ex:s{i} ex:p "{i}" . }}' for i in range(1, 9)]
    path = tmp_path / "nine.trig"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_finding_10_a_trickling_server_is_bounded_by_the_timeout(nine_graphs: Path) -> None:
    def trickle(handler: http.server.BaseHTTPRequestHandler, _n: int, _graph: str) -> None:
        # A status line and a header that never end: one byte every 0.3 s, for up to 20 s.
        handler.wfile.write(b"HTTP/1.1 204 No Content\r\nX-Slow: ")
        handler.wfile.flush()
        stop: threading.Event = handler.stop  # type: ignore[attr-defined]
        for _ in range(66):
            if stop.wait(0.3):
                return
            try:
                handler.wfile.write(b"a")
                handler.wfile.flush()
            except OSError:
                return
        handler.wfile.write(b"\r\nContent-Length: 0\r\n\r\n")

    timeout = 1.5
    with _Server(trickle) as server:
        start = time.monotonic()
        with pytest.raises(EndpointError) as caught:
            push(server.url, data=nine_graphs, timeout=timeout)
        took = time.monotonic() - start
    assert took < timeout + 3, f"the push took {took:.1f} s with --timeout {timeout}"
    assert "--timeout 1.5" in caught.value.message
    assert len(server.puts) == 1  # the first PUT failed; nothing else was sent


def test_finding_10_a_push_that_stops_says_what_was_replaced(nine_graphs: Path) -> None:
    def fail_the_fourth(handler: http.server.BaseHTTPRequestHandler, _n: int, graph: str) -> None:
        if graph == "http://example.org/g4":  # the 4th of 9 PUTs, on each push
            _answer(handler, 500, "text/plain", b"disk full\n")
        else:
            handler.send_response(204)
            handler.end_headers()

    with _Server(fail_the_fourth) as server:
        runner = CliRunner()
        result = runner.invoke(main, ["push", "--endpoint", server.url, "--data", str(nine_graphs)])
        with pytest.raises(EndpointError) as caught:
            push(server.url, data=nine_graphs)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    sent = [f"http://example.org/g{i}" for i in range(1, 9)] + ["default graph"]
    assert server.puts[:4] == sent[:4]
    message = lines[0]
    assert "disk full" in message and "3 of 9 graph(s) were replaced" in message
    replaced, rest = message.split("were replaced", 1)[1].split("were not", 1)
    assert all(g in replaced for g in sent[:3]) and not any(g in replaced for g in sent[3:8])
    assert all(g in rest for g in sent[3:])
    assert "push again" in message
    assert getattr(caught.value, "replaced", None) == sent[:3]
    assert getattr(caught.value, "not_replaced", None) == sent[3:]


def test_finding_10_an_html_page_answered_with_200_is_an_error(nine_graphs: Path) -> None:
    def login_page(handler: http.server.BaseHTTPRequestHandler, _n: int, _g: str) -> None:
        page = b"<!DOCTYPE html><html><body><form>Sign in</form></body></html>"
        _answer(handler, 200, "text/html; charset=utf-8", page)

    with _Server(login_page) as server:
        with pytest.raises(EndpointError, match="HTML page") as caught:
            push(server.url, data=nine_graphs)
        result = CliRunner().invoke(
            main, ["push", "--endpoint", server.url, "--data", str(nine_graphs)]
        )
    assert "none of the 9 graph(s) was replaced" in caught.value.message
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    assert "200" in result.output and "login page" in result.output


def test_push_takes_the_answers_of_a_graph_store_as_success(nine_graphs: Path) -> None:
    def store(handler: http.server.BaseHTTPRequestHandler, n: int, _g: str) -> None:
        if n % 2:
            handler.send_response(204)
            handler.end_headers()
        else:  # Fuseki answers 200 with a JSON count
            _answer(handler, 200, "application/json", b'{"count": 1}')

    with _Server(store) as server:
        report = push(server.url, data=nine_graphs, timeout=5)
    assert [status for _g, _n, status in report.graphs] == [204, 200] * 4 + [204]
    assert len(server.puts) == 9
