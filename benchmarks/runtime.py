"""Runtime benchmark: warm pool vs one `lean` process per chunk, measured in the same run.

    python -m benchmarks.runtime [--chunks 100] [--naive-sample 4] [--pool-size 2]

Prints a table. The naive baseline costs ~10 s per chunk on this runtime, so it is measured on a
sample (run two at a time, as the pool does) and its per-chunk time is scaled; the table says so.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.report import naive_row, print_table
from service.config import get_settings
from service.lean.backend import EmbeddedBackend
from service.lean.document import Document
from service.lean.pool import LeanPool
from service.lean.session import WorkerSession

TACTICS = ("omega", "simp_all", "grind")


def small_chunks(count: int, salt: str = "") -> list[str]:
    """Distinct small theorems closed by omega/simp/grind (distinct so no result is reused)."""
    return [
        f"theorem bench{salt}_{i} (a b : Nat) (h : a ≤ b) : a + {i} ≤ b + {i} := by {TACTICS[i % 3]}"
        for i in range(count)
    ]


def naive_run(backend: EmbeddedBackend, document: Document) -> float:
    """Seconds for a fresh `lean --json` process to check `document` (start-up included)."""
    text, _ = document.render()
    with tempfile.TemporaryDirectory(prefix="lean-equiv-bench-") as scratch:
        Path(scratch, "Chunk.lean").write_text(text)
        launch = backend.launch(["--json", "Chunk.lean"], Path(scratch))
        started = time.monotonic()
        subprocess.run(launch.argv, env=launch.env, cwd=launch.cwd, capture_output=True, text=True)
        return time.monotonic() - started


async def naive_seconds(backend: EmbeddedBackend, documents: list[Document], parallel: int) -> float:
    """Seconds per document, `parallel` fresh processes at a time."""
    started = time.monotonic()
    semaphore = asyncio.Semaphore(parallel)

    async def one(document: Document) -> None:
        async with semaphore:
            await asyncio.to_thread(naive_run, backend, document)

    await asyncio.gather(*(one(d) for d in documents))
    return (time.monotonic() - started) / len(documents)


async def idle_cpu_share(session: WorkerSession, seconds: float = 20.0) -> float:
    """What a warm session costs while it waits for work (the glue polls its stdin)."""
    assert session.pid is not None
    process = psutil.Process(session.pid)
    await asyncio.sleep(2)  # past the glue's one-second active window
    before = sum(process.cpu_times()[:2])
    await asyncio.sleep(seconds)
    return (sum(process.cpu_times()[:2]) - before) / seconds


async def main(chunks: int, naive_sample: int, pool_size: int) -> None:
    settings = get_settings()
    backend = EmbeddedBackend(settings)
    backend.prepare()
    rows: list[tuple[str, str]] = []

    started = time.monotonic()
    session = WorkerSession(backend)
    await session.start()
    first = await session.run(Document(chunks=small_chunks(1, "cold")), timeout=120)
    rows.append(("cold start to first result (1 session)", f"{time.monotonic() - started:.1f} s"))
    latencies: list[float] = []
    for i in range(20):
        result = await session.run(Document(chunks=small_chunks(1, f"warm{i}")), timeout=60)
        latencies.append(result.elapsed_s)
    rows.append(("warm latency, 1 small chunk (median of 20)", f"{statistics.median(latencies):.3f} s"))
    rows.append(("warm latency, worst of 20", f"{max(latencies):.3f} s"))
    rows.append(("peak RSS of a warm session", f"{session.rss_mb():.0f} MB"))
    idle = await idle_cpu_share(session)
    rows.append(("CPU of the warm session while idle (20 s)", f"{idle:.1%} of a core"))
    await session.close()
    assert not first.errors()

    async with LeanPool(backend, size=pool_size) as pool:
        await pool.wait_ready()
        work = small_chunks(chunks, "pool")
        per_doc = max(1, chunks // (pool_size * 2))
        docs = [Document(chunks=work[i : i + per_doc]) for i in range(0, chunks, per_doc)]
        started = time.monotonic()
        results = await asyncio.gather(*(pool.run(d) for d in docs))
        pool_time = time.monotonic() - started
        assert not any(r.errors() for r in results)
        peak_rss = max(pool.rss_mb())
    pool_per_chunk = pool_time / chunks
    rows.append((f"{chunks} chunks through a pool of {pool_size}", f"{pool_time:.1f} s"))
    rows.append(("pool RSS per session after the batch", f"{peak_rss:.0f} MB"))

    naive_documents = [Document(chunks=[chunk]) for chunk in small_chunks(naive_sample, "naive")]
    naive = await naive_seconds(backend, naive_documents, pool_size)
    rows.append(naive_row("chunk", naive, naive_sample, pool_size, chunks))
    rows.append(("throughput ratio pool / naive", f"{naive / pool_per_chunk:.0f}×"))

    print_table(f"lean-equiv runtime benchmark ({first.lean_version})", rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=100)
    parser.add_argument("--naive-sample", type=int, default=4)
    parser.add_argument("--pool-size", type=int, default=2)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.chunks, arguments.naive_sample, arguments.pool_size))
