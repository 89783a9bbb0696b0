"""A real Oxigraph server (``oxigraph serve``, from the ``oxigraph`` package on PyPI) on
127.0.0.1, started and stopped by the tests that need a triple store over HTTP."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .conftest import free_port

OXIGRAPH = shutil.which("oxigraph")
MISSING = "the oxigraph server is not installed: pip install oxigraph"


@dataclass
class Oxigraph:
    base: str
    proc: subprocess.Popen[bytes]

    @property
    def store(self) -> str:
        return self.base + "/store"

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"


@contextmanager
def running_oxigraph(
    location: Path, wait_http: Callable[..., Any], *, union_default_graph: bool = True
) -> Iterator[Oxigraph]:
    """An ``oxigraph serve`` on a free port of 127.0.0.1 with its data in ``location``,
    ready when it answers a query; terminated on exit."""
    assert OXIGRAPH is not None, MISSING
    port = free_port()
    command = [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/query?query=ASK%7B%7D", ok=lambda r: r.status_code == 200, proc=proc)
        yield Oxigraph(base, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
