"""A pool of warm Lean sessions: FIFO queueing, time-outs, restart after a failure.

Modelled on how Kimina Lean Server bounds its REPL workers: a fixed number of processes,
each doing one job at a time; a job that fails its session (time-out, crash, memory) gets a
clear `LeanSessionError` and the session is replaced in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import psutil

from service.lean.backend import LeanBackend
from service.lean.document import Document, RunResult
from service.lean.errors import LeanSessionError, LeanTimeout, PoolClosed, PoolSaturated
from service.lean.library import LeanLibrary
from service.lean.session import WorkerSession

log = logging.getLogger(__name__)

RESTART_BACKOFF_S = (1.0, 5.0, 30.0)
"""Waits between a session's start attempts; after the last, it keeps trying at that pace: a
pool that lost a session to a passing fault regains its size."""
HEARTBEATS_PER_SECOND = 1500  # conservative: measured 3,000-5,000 on the embedded Lean
STALL_FLOOR_S = 30.0
"""CPU-seconds on one command before it counts as a stall. Honest commands under a small
heartbeat budget measured up to 7.6 CPU-s (a fresh session's first tactics); the clock also
counts Node's helper threads (5.1 CPU-s in 2.7 s of wall time seen), and CI machines ran 2x
slower than the one measured. At 13 s, honest attempts were dropped as stalls in CI."""
Drop = Callable[[int, LeanTimeout], Collection[int]]
"""Told which chunk Lean stalled on, names the chunks to leave out of the next try."""


def stall_limit_s(heartbeats: int) -> float:
    """The stall watchdog's limit for attempts bounded by `heartbeats`: a runaway outlives its
    heartbeats only outside them (kernel reduction, `decide`), and is stopped here."""
    return max(STALL_FLOOR_S, 5 * heartbeats / HEARTBEATS_PER_SECOND)


def auto_pool_size(session_memory_mb: int) -> int:
    """As many sessions as memory allows, but no more than cores + 1 (Lean is CPU-bound)."""
    available_mb = psutil.virtual_memory().available / 2**20
    by_memory = int((available_mb - 1024) // session_memory_mb)
    by_cores = (os.cpu_count() or 1) + 1
    return max(1, min(by_memory, by_cores))


class LeanPool:
    def __init__(
        self,
        backend: LeanBackend,
        *,
        size: int = 1,
        header: str = "",
        libraries: Sequence[LeanLibrary] = (),
        job_timeout_s: float = 120.0,
        memory_limit_mb: int = 5000,
        start_timeout_s: float = 180.0,
        warm_up: list[str] | None = None,
        recycle_after_runs: int = 2000,
        recycle_above_mb: float = 4000.0,
    ) -> None:
        self.backend = backend
        self.size = size
        self.header = header
        self.libraries = tuple(libraries)
        """Modules the header imports, built by the backend before the first session starts."""
        self._library_roots: list[Path] = []
        self.job_timeout_s = job_timeout_s
        self.memory_limit_mb = memory_limit_mb
        self.start_timeout_s = start_timeout_s
        self.warm_up = warm_up
        self.recycle_after_runs = recycle_after_runs
        self.recycle_above_mb = recycle_above_mb
        """A session is replaced, between jobs, after this many runs or above this resident size
        (a soft limit below `memory_limit_mb`, which kills mid-job): RSS grows under load."""
        self.recycled = 0
        self.start_failures = 0
        self._idle: asyncio.Queue[WorkerSession] = asyncio.Queue()
        self._sessions: set[WorkerSession] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._closing: set[asyncio.Future[None]] = set()
        self._waiting = 0
        self._closed = False
        self._prepared = False
        self._started = False
        self._start_lock = asyncio.Lock()
        self.last_start_error: str | None = None
        self.restarts = 0
        self.runs = 0
        """Lean runs started: lets a test observe that a cached answer ran none."""
        self.lean_seconds = 0.0
        """Time the sessions spent inside Lean on finished runs (the engine benchmark's share)."""

    # ------------------------------------------------------------ lifecycle

    async def prepare(self) -> None:
        """Prepare the backend (the embedded runtime installed if missing) and build the
        libraries (once per cache), in a thread; idempotent. Enough for `lean_version()`: a
        caller whose answers may all come from a cache prepares, and sessions start on the first
        `run` (see `_start_once`)."""
        if self._prepared:
            return
        await asyncio.to_thread(self.backend.prepare)
        self._library_roots = [await asyncio.to_thread(self.backend.build, lib) for lib in self.libraries]
        self._prepared = True

    async def start(self, wait: bool = True) -> None:
        """Prepare, then start all sessions; with `wait`, return once the first is warm (or
        raise why none is)."""
        await self.prepare()
        if not self._started:
            self._started = True
            for _ in range(self.size):
                self._spawn()
        if not wait:
            return
        give_up_after = self.size * (len(RESTART_BACKOFF_S) + 1)
        while self._idle.empty():
            if self.start_failures >= give_up_after:
                raise LeanSessionError(f"no Lean session could start: {self.last_start_error}")
            await asyncio.sleep(0.2)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._starting):
            task.cancel()
        for task in list(self._starting):
            with contextlib.suppress(BaseException):
                await task
        await asyncio.gather(*(s.close() for s in list(self._sessions)))
        self._sessions.clear()

    async def __aenter__(self) -> LeanPool:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------ jobs

    @property
    def queue_depth(self) -> int:
        return self._waiting

    @property
    def ready_sessions(self) -> int:
        return sum(1 for s in self._sessions if s.ready and s.alive)

    def pids(self, busy_only: bool = False) -> list[int]:
        return [s.pid for s in self._sessions if s.pid is not None and (s.busy or not busy_only)]

    def rss_mb(self) -> list[float]:
        return [s.rss_mb() for s in self._sessions if s.alive]

    async def wait_ready(self, count: int | None = None, timeout: float = 300) -> None:
        """Wait until `count` sessions (default: all) are warm, e.g. after a restart."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.ready_sessions < (count or self.size):
            if asyncio.get_running_loop().time() > deadline:
                raise LeanSessionError(f"Lean sessions not ready after {timeout:g} s")
            await asyncio.sleep(0.2)

    def lean_version(self) -> str:
        return self.backend.version()

    async def _start_once(self) -> None:
        """The first run of a pool nobody started starts it, waiting for a warm session; a
        start that fails raises here (`LeanSessionError`) instead of leaving the run queued."""
        async with self._start_lock:
            await self.start()

    async def run(
        self,
        document: Document,
        timeout: float | None = None,
        wait_s: float | None = None,
        stall_s: float | None = None,
        keep_session: Callable[[RunResult], bool] | None = None,
    ) -> RunResult:
        """Run one document on the next free session (FIFO); `wait_s` bounds the queueing,
        `stall_s` the time on any one command (see `WorkerSession.run`). When `keep_session`
        says no to the result, the session is replaced instead of reused."""
        if self._closed:
            raise PoolClosed("the Lean pool is shut down")
        if document.header != self.header:
            document = document.model_copy(update={"header": self.header})
        if not self._started:
            await self._start_once()
        self._waiting += 1
        try:
            session = await asyncio.wait_for(self._idle.get(), wait_s)
        except TimeoutError:
            raise PoolSaturated(f"no Lean session became free within {wait_s:g} s") from None
        finally:
            self._waiting -= 1
        if not session.alive:  # died while idle
            self._retire(session)
            return await self.run(document, timeout, wait_s, stall_s, keep_session)
        self.runs += 1
        try:
            result = await session.run(document, timeout or self.job_timeout_s, stall_s)
        except LeanSessionError:
            self._retire(session)
            raise
        except BaseException:  # cancelled mid-run: the session's state is unknown
            self._retire(session)
            raise
        self.lean_seconds += result.elapsed_s
        if keep_session is not None and not keep_session(result):
            log.warning(
                "replacing Lean session %d: its last document could have changed its state", session.id
            )
            self._retire(session)
        elif session.runs >= self.recycle_after_runs or session.rss_mb() > self.recycle_above_mb:
            log.info(
                "recycling Lean session %d (%d runs, %.0f MB)", session.id, session.runs, session.rss_mb()
            )
            self.recycled += 1
            self._retire(session)
        else:
            self._idle.put_nowait(session)
        return result

    async def run_dropping_stalls(
        self,
        document: Document,
        drop: Drop,
        max_stalls: int,
        stall_s: float,
        timeout: float | None = None,
        wait_s: float | None = None,
    ) -> tuple[list[int], RunResult]:
        """`run`, but a chunk Lean stalls on costs only itself: `drop` names what to leave out
        and the rest run again, up to `max_stalls` times. Returns the chunks that ran (indices
        into `document.chunks`) and their result, messages attributed to those same indices."""
        ran = list(range(len(document.chunks)))
        for _ in range(max_stalls + 1):
            if not ran:
                return ran, RunResult(messages=[], elapsed_s=0.0, backend=self.backend.name,
                                      lean_version=self.lean_version())  # fmt: skip
            attempt = document.model_copy(update={"chunks": [document.chunks[i] for i in ran]})
            try:
                result = await self.run(attempt, timeout, wait_s, stall_s)
            except LeanTimeout as stalled:
                if stalled.chunk is None:
                    raise
                dropped = set(drop(ran[stalled.chunk], stalled))
                ran = [i for i in ran if i not in dropped]
                continue
            messages = [m.model_copy(update={"chunk": None if m.chunk is None else ran[m.chunk]})
                        for m in result.messages]  # fmt: skip
            return ran, result.model_copy(update={"messages": messages})
        raise LeanTimeout(f"Lean stalled on {max_stalls + 1} commands of one run")

    def _retire(self, session: WorkerSession) -> None:
        self._sessions.discard(session)
        closing = asyncio.ensure_future(session.close())
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)
        if not self._closed:
            self.restarts += 1
            self._spawn()

    def _spawn(self) -> asyncio.Task[None]:
        task = asyncio.create_task(self._start_session())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)
        return task

    async def _start_session(self) -> None:
        for attempt in itertools.count():
            await asyncio.sleep((0.0, *RESTART_BACKOFF_S)[min(attempt, len(RESTART_BACKOFF_S))])
            session = WorkerSession(
                self.backend,
                self.header,
                libraries=self._library_roots,
                memory_limit_mb=self.memory_limit_mb,
                start_timeout_s=self.start_timeout_s,
                warm_up=self.warm_up,
            )
            self._sessions.add(session)
            try:
                await session.start()
            except (LeanSessionError, OSError, RuntimeError) as error:
                self._sessions.discard(session)
                self.last_start_error = str(error)
                self.start_failures += 1
                log.warning("Lean session failed to start (attempt %d): %s", attempt + 1, error)
                continue
            if self._closed:
                await session.close()
                return
            self.last_start_error = None
            self._idle.put_nowait(session)
            return
