"""A bounded load test of ``ftz-kg serve`` on 127.0.0.1: 20 concurrent clients x 50 queries each.

Starts the real server (``ftz-kg serve``) on a free port as a separate process, waits until
its query workers are ready, then runs the clients (asyncio + httpx, one connection each)
through the saved queries with their default parameters (the editor text, with its VALUES
line), alternating GET and POST and the JSON/CSV/XML/TSV formats. Prints errors, median,
p90, p99 and max latency and the throughput. Run from the repository root after
``ftz-kg build``::

    python bench/bench_server.py                      # 20 x 50
    python bench/bench_server.py --clients 40 --queries 100 --workers 4

Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.store.query_text import query_form  # noqa: E402

FORMATS = [
    "application/sparql-results+json",
    "text/csv",
    "application/sparql-results+xml",
    "text/tab-separated-values",
]
GRAPH_FORMATS = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(
    base: str, workers: int, proc: subprocess.Popen[bytes], timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited with {proc.returncode}")
        try:
            health = httpx.get(base + "/health", timeout=2).json()
            if health["workers_ready"] >= workers:
                return
        except (httpx.TransportError, ValueError, KeyError):
            pass
        time.sleep(0.1)  # polling interval while waiting on /health
    sys.exit(f"the server was not ready within {timeout} s")


async def _client(
    base: str,
    queries: list[tuple[str, str]],
    n: int,
    offset: int,
    latencies: list[float],
    errors: list[str],
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        cycle = itertools.islice(itertools.cycle(queries), offset, None)
        for i in range(n):
            name, text, graph = next(cycle)
            accept = (GRAPH_FORMATS if graph else FORMATS)[(offset + i) % len(FORMATS)]
            started = time.perf_counter()
            try:
                if i % 2:
                    response = await client.post(
                        "/sparql", data={"query": text}, headers={"Accept": accept}
                    )
                else:
                    response = await client.get(
                        "/sparql", params={"query": text}, headers={"Accept": accept}
                    )
                await response.aread()
                if response.status_code != 200:
                    errors.append(f"{name}: HTTP {response.status_code} {response.text[:100]}")
            except httpx.HTTPError as exc:
                errors.append(f"{name}: {exc!r}")
            latencies.append((time.perf_counter() - started) * 1000)


async def _load(base: str, clients: int, per_client: int) -> tuple[list[float], list[str], float]:
    saved = httpx.get(base + "/api/queries", timeout=10).json()
    queries = [
        (q["name"], q["editor_text"], query_form(q["text"]) in ("construct", "describe"))
        for q in saved
    ]
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(_client(base, queries, per_client, c * 7, latencies, errors) for c in range(clients))
    )
    return latencies, errors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "out", help="build folder with store/")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--queries", type=int, default=50, help="queries per client")
    parser.add_argument("--workers", type=int, default=max(2, min(8, os.cpu_count() or 2)))
    args = parser.parse_args()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "kg.cli",
        "serve",
        "--out",
        str(args.out),
        "--port",
        str(port),
        "--workers",
        str(args.workers),
    ]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_ready(base, args.workers, proc)
        latencies, errors, wall = asyncio.run(_load(base, args.clients, args.queries))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]

    print(
        f"{args.clients} clients x {args.queries} queries = {len(latencies)} requests, {args.workers} query workers, {os.cpu_count()} CPUs"
    )
    print(f"errors: {len(errors)}")
    for e in errors[:10]:
        print("  " + e)
    print(
        f"latency ms: median {statistics.median(ordered):.1f}, p90 {pct(0.90):.1f}, "
        f"p99 {pct(0.99):.1f}, max {ordered[-1]:.1f}"
    )
    print(f"throughput: {len(latencies) / wall:.0f} queries/s over {wall:.1f} s")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
