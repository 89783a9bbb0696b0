"""How ``ftz-kg serve`` is configured: one frozen :class:`ServerConfig`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServerConfig:
    """How ``ftz-kg serve`` runs; every limit is configurable on the command line."""

    out_dir: Path = Path("out")
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 4
    cors_origins: tuple[str, ...] = ("*",)
    # endpoints a query's SERVICE may call; none, so that no web page can make the server fetch
    allow_service: tuple[str, ...] = ()
    max_query_bytes: int = 1_000_000
    log_level: str = "info"
    # a SELECT result larger than this (bytes) is streamed as it is produced, without a count
    stream_after: int = 4 * 1024 * 1024
    # MB of memory one query may take in a worker (over what the open store uses); 0: no cap
    worker_memory: int = 2048
    # requests that may wait for a busy worker (None: 8 per worker), and how long (None: timeout, >= 10 s)
    max_queue: int | None = None
    queue_wait: float | None = None
