"""The Lean runtime layer against the real embedded Lean (no mocks of Lean)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import stat
import uuid
from pathlib import Path

import psutil
import pytest

from service.config import Settings
from service.lean.backend import EmbeddedBackend, NativeBackend
from service.lean.document import Document
from service.lean.errors import LeanCrashed, LeanRuntimeError, LeanTimeout
from service.lean.install import runtime_paths
from service.lean.library import LeanLibrary, build_library
from service.lean.pool import LeanPool
from service.lean.session import WorkerSession
from tests.conftest import RUNAWAY_CHUNK

pytestmark = pytest.mark.lean

TRUE_FALSE_CHECK = [
    "theorem two_plus_two : 2 + 2 = 4 := by decide",
    "theorem one_eq_two : 1 = 2 := by decide",
    "#check (∀ n : Nat, n = n)",
]


def assert_true_false_check(result) -> None:
    assert [(m.chunk, m.severity) for m in result.messages] == [(1, "error"), (2, "information")]
    error, info = result.messages
    assert error.text == "Tactic `decide` proved that the proposition\n  1 = 2\nis false"
    assert (error.pos.line, error.pos.column) == (3, 33)  # at `decide`
    assert info.text == "∀ (n : Nat), n = n : Prop"
    assert (info.pos.line, info.pos.column) == (5, 0)
    assert result.for_chunk(0) == []


async def test_messages_are_attributed_to_their_chunks(lean_pool: LeanPool) -> None:
    result = await lean_pool.run(Document(chunks=TRUE_FALSE_CHECK))
    assert_true_false_check(result)
    assert result.backend == "embedded"
    assert result.lean_version.startswith("Lean (version 4.")


async def test_slow_failure_is_reported_before_the_run_counts_as_done(lean_pool: LeanPool) -> None:
    """A run is done only once every message has arrived: a lost error would read as a proof."""
    slow_failure = (
        "set_option maxHeartbeats 0 in\nexample : (∀ a b : Fin 40, a * b = b * a) ∧ 1 = 2 := by decide"
    )
    quick = [f"example : {k} + 0 = {k} := rfl" for k in range(30)]
    result = await lean_pool.run(Document(chunks=[slow_failure, *quick]))
    assert [(m.chunk, m.severity) for m in result.messages] == [(0, "error")]
    assert "proved that the proposition" in result.messages[0].text


async def test_unicode_crosses_buffer_boundaries_byte_exact(lean_pool: LeanPool) -> None:
    text = "∀ ℕ → ⟨⟩ x₁ " * 9000  # ~100 kB of multi-byte UTF-8: many 64 kB stdin/stdout chunks
    result = await lean_pool.run(Document(chunks=[f'#check "{text}"', "#check (⟨1, 2⟩ : Nat × Nat)"]))
    assert [m.text for m in result.messages] == [f'"{text}" : String', "(1, 2) : Nat × Nat"]


async def test_runaway_is_stopped_and_the_pool_serves_the_next_job(lean_pool: LeanPool) -> None:
    with pytest.raises(LeanTimeout, match="did not finish within 3 s"):
        await lean_pool.run(Document(chunks=[RUNAWAY_CHUNK]), timeout=3)
    result = await lean_pool.run(Document(chunks=TRUE_FALSE_CHECK))
    assert_true_false_check(result)


async def test_stalled_command_is_named_so_the_rest_can_run_again(lean_pool: LeanPool) -> None:
    chunks = ["example : 1 + 1 = 2 := rfl", RUNAWAY_CHUNK, "example : 2 + 2 = 4 := rfl"]
    with pytest.raises(LeanTimeout, match="over 3 CPU seconds on one command") as stalled:
        await lean_pool.run(Document(chunks=chunks), timeout=120, stall_s=3)
    assert stalled.value.chunk == 1

    dropped: list[int] = []
    chunks[2] = "example : 2 + 2 = 5 := rfl"  # an error, to see where its message lands

    def drop(index: int, _: LeanTimeout) -> list[int]:
        dropped.append(index)
        return [index]

    ran, result = await lean_pool.run_dropping_stalls(Document(chunks=chunks), drop, max_stalls=1, stall_s=3)
    assert (dropped, ran) == ([1], [0, 2])
    assert [m.chunk for m in result.errors()] == [2]  # the caller's index, not the rerun's


async def test_killed_process_fails_its_job_clearly_and_pool_recovers(lean_pool: LeanPool) -> None:
    await lean_pool.wait_ready()
    job = asyncio.create_task(lean_pool.run(Document(chunks=[RUNAWAY_CHUNK]), timeout=60))
    await asyncio.sleep(2)
    busy = lean_pool.pids(busy_only=True)
    assert len(busy) == 1
    os.kill(busy[0], signal.SIGKILL)
    with pytest.raises(LeanCrashed, match="exited unexpectedly"):
        await job
    for _ in range(2):  # both the survivor and the replacement serve
        assert_true_false_check(await lean_pool.run(Document(chunks=TRUE_FALSE_CHECK)))
    assert lean_pool.restarts >= 1


async def test_untrusted_code_cannot_touch_the_host_file_system(lean_pool: LeanPool) -> None:
    target = Path("/tmp") / f"lean-equiv-escape-{uuid.uuid4().hex}"
    result = await lean_pool.run(
        Document(
            chunks=[
                f'#eval IO.FS.writeFile "{target}" "pwned"',
                '#eval IO.FS.readFile "/etc/hostname"',
            ]
        )
    )
    assert not target.exists()
    assert [m.severity for m in result.for_chunk(1)] == ["error"]


async def test_native_backend_through_a_wrapper_script(settings: Settings, tmp_path: Path) -> None:
    """A `lean` command that runs the embedded Lean stands in for a native toolchain; closing the
    pool leaves no process of its sessions' trees behind (the same `close` as the embedded one's).
    What it cannot show: a real native toolchain's own output and speed, or Mathlib."""
    paths = runtime_paths(settings.cache_dir)
    EmbeddedBackend(settings).prepare()  # installs if needed
    wrapper = tmp_path / "lean"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'export LEAN_PATH="{paths.lib}" LEAN_WASM_MOUNTS="{paths.root}:$PWD"\n'
        f'exec "{paths.node}" "{paths.lean_js}" "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    backend = NativeBackend(Settings(backend="native", native_lean=str(wrapper)))
    async with LeanPool(backend, size=1) as pool:
        result = await pool.run(Document(chunks=TRUE_FALSE_CHECK))
        tree = [psutil.Process(pid) for pid in pool.pids()]
        tree += [child for process in tree for child in process.children(recursive=True)]
        assert tree and all(process.is_running() for process in tree)
    assert_true_false_check(result)
    assert result.backend == "native"
    assert result.lean_version.startswith("Lean (version 4.")
    assert [p.pid for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []


@pytest.mark.lean
async def test_a_session_is_recycled_between_jobs_and_the_pool_regains_its_size(lean_pool: LeanPool) -> None:
    """RSS grows under load: a session is replaced after N runs (or above a soft memory limit)
    once its job is done, never mid-job, and a new one takes its place."""
    recycled, limit = lean_pool.recycled, lean_pool.recycle_after_runs
    lean_pool.recycle_after_runs = 1
    try:
        result = await lean_pool.run(Document(chunks=["example : True := trivial"]))
    finally:
        lean_pool.recycle_after_runs = limit
    assert result.errors() == [] and lean_pool.recycled == recycled + 1
    await lean_pool.wait_ready()
    assert (await lean_pool.run(Document(chunks=["example : 1 = 2 := rfl"]))).errors()


TINY_LIBRARY = LeanLibrary(
    "LeanEquivTest.Tiny",
    # the embedded Lean builds a `module`: definitions are opaque to importers unless exposed
    'set_option compiler.extract_closed false\n@[expose] public section\nnotation "⟪answer⟫" => (42 : Nat)\n'
    "def tinyAnswer : Nat := 42\n",
)


async def test_a_library_is_built_once_and_imported_read_only(settings: Settings, tmp_path: Path) -> None:
    """A library is compiled by the backend's Lean into the cache (once: the second call finds
    it), sessions import it, with its notation, and cannot write into it; a library that does
    not compile is an error that leaves nothing behind."""
    backend = EmbeddedBackend(settings)
    backend.prepare()
    root = build_library(TINY_LIBRARY, backend, tmp_path)
    olean = root / "LeanEquivTest" / "Tiny.olean"
    built_at = olean.stat().st_mtime_ns
    assert build_library(TINY_LIBRARY, backend, tmp_path) == root and olean.stat().st_mtime_ns == built_at
    target = root / "written-by-a-session"
    session = WorkerSession(backend, TINY_LIBRARY.import_line, libraries=[root])
    await session.start()
    try:
        document = Document(
            header=TINY_LIBRARY.import_line, chunks=["example : tinyAnswer = ⟪answer⟫ := rfl"]
        )
        result = await session.run(document, timeout=120)
        assert result.messages == []
        write = document.model_copy(update={"chunks": [f'#eval IO.FS.writeFile "{target}" "x"']})
        with contextlib.suppress(LeanCrashed):  # Node's permission model denies it: Lean dies
            await session.run(write, timeout=120)
    finally:
        await session.close()
    assert not target.exists()
    broken = LeanLibrary("LeanEquivTest.Broken", "def broken : Nat := true\n")
    with pytest.raises(LeanRuntimeError, match=r"building LeanEquivTest\.Broken failed"):
        build_library(broken, backend, tmp_path)
    assert sorted(p.name for p in (tmp_path / "libraries").iterdir()) == sorted([root.name, "build.lock"])
