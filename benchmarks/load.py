"""Load benchmark: concurrent clients against a real server on loopback.

    python -m benchmarks.load [--clients 8] [--seconds 60] [--cached-share 0.5] [--pool-size 2]

Each client posts checks for a fixed time: with probability `cached-share` a pair the server has
already answered (a cache hit), otherwise a new pair (a Lean run). The baseline, measured first in
the same run, is one client posting new pairs one after another. Reports p50/p95 latency per
kind, throughput, errors (must be 0) and the server's RSS (with its Lean sessions) at start and end.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

from benchmarks.report import percentile, print_table
from tests.service_harness import Server

_fresh = itertools.count()
_fresh_lock = threading.Lock()


def new_pair() -> tuple[str, str]:
    with _fresh_lock:
        k = next(_fresh)
    return (
        f"theorem t (x y : Nat) (h : x + {k} < y) : x < y + {k + 1}",
        f"theorem t (a b : Nat) (h : {k} + a < b) : a < {k + 1} + b",
    )


WARM_PAIRS = [
    (f"theorem t (n : Nat) (h : n > {k}) : n ≥ {k + 1}", f"theorem t (n : Nat) (h : {k} < n) : {k + 1} ≤ n")
    for k in range(10)
]


def tree_rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def post(client: httpx.Client, pair: tuple[str, str]) -> tuple[float, int, bool]:
    started = time.monotonic()
    response = client.post("/v1/check", json={"fs1": pair[0], "fs2": pair[1]})
    cached = response.status_code == 200 and response.json()["cached"]
    return time.monotonic() - started, response.status_code, cached


def run_clients(url: str, clients: int, seconds: float, cached_share: float) -> list[tuple[float, int, bool]]:
    samples: list[tuple[float, int, bool]] = []
    deadline = time.monotonic() + seconds

    def client_loop(seed: int) -> None:
        chooser = random.Random(seed)
        with httpx.Client(base_url=url, timeout=300) as client:
            while time.monotonic() < deadline:
                pair = chooser.choice(WARM_PAIRS) if chooser.random() < cached_share else new_pair()
                samples.append(post(client, pair))

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def percentiles(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values) * 1000:.0f} / {percentile(values, 0.95) * 1000:.0f} ms"


def main(clients: int, seconds: float, cached_share: float, pool_size: int) -> None:
    with tempfile.TemporaryDirectory(prefix="lean-equiv-load-") as directory:
        url = f"sqlite:///{Path(directory) / 'load.db'}"
        server = Server(url, Path(directory) / "server.log", pool_size=str(pool_size)).start()
        try:
            assert server.process is not None
            with httpx.Client(base_url=server.url, timeout=300) as client:
                for pair in WARM_PAIRS:  # the pairs later requests will find in the cache
                    post(client, pair)
                rss_start = tree_rss_mb(server.process.pid)
                baseline = run_clients(server.url, 1, seconds / 3, cached_share=0.0)
            loaded = run_clients(server.url, clients, seconds, cached_share)
            rss_end = tree_rss_mb(server.process.pid)
        finally:
            server.stop()

    def throughput(samples: list[tuple[float, int, bool]], span: float) -> float:
        return sum(1 for _, status, _ in samples if status == 200) / span

    base_rate, load_rate = throughput(baseline, seconds / 3), throughput(loaded, seconds)
    new_rate = sum(1 for _, status, cached in loaded if status == 200 and not cached) / seconds
    rows = [
        ("baseline: 1 client, new pairs (p50 / p95)", percentiles([s[0] for s in baseline])),
        ("baseline throughput", f"{base_rate:.2f} checks/s"),
        ("load: cached checks (p50 / p95)", percentiles([s[0] for s in loaded if s[2]])),
        ("load: new checks (p50 / p95)", percentiles([s[0] for s in loaded if s[1] == 200 and not s[2]])),
        ("load throughput, all / new only", f"{load_rate:.2f} / {new_rate:.2f} checks/s"),
        ("new-check throughput vs baseline", f"{new_rate / base_rate:.1f}×" if base_rate else "—"),
        ("requests / errors (non-200)", f"{len(loaded)} / {sum(1 for s in loaded if s[1] != 200)}"),
        ("server RSS with Lean sessions, start → end", f"{rss_start:.0f} → {rss_end:.0f} MB"),
    ]
    print_table(f"lean-equiv load benchmark: {clients} clients, {seconds:g} s, pool of {pool_size}", rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--cached-share", type=float, default=0.5)
    parser.add_argument("--pool-size", type=int, default=2)
    arguments = parser.parse_args()
    main(arguments.clients, arguments.seconds, arguments.cached_share, arguments.pool_size)
