"""A warm Lean: one long-lived `lean --worker` process (Lean's LSP file worker) per session.

Each request replaces the whole document; Lean re-elaborates it with the header already loaded,
so start-up and imports are paid once per process. The version is done when
`$/lean/fileProgress` for it reports nothing processing; diagnostics may trail by a few
milliseconds, so we then read until the stream has been quiet for `QUIET_S`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from service.lean.backend import LeanBackend
from service.lean.document import Document, Message, Position, RunResult, attribute
from service.lean.sandbox import confine_child

log = logging.getLogger(__name__)

QUIET_S = 0.15
_SEVERITIES = {1: "error", 2: "warning", 3: "information", 4: "information"}
_session_ids = itertools.count(1)


class LeanSessionError(RuntimeError):
    """Lean itself failed (crash, time-out, memory): an infrastructure error, never a verdict."""


class LeanTimeout(LeanSessionError):
    pass


class LeanCrashed(LeanSessionError):
    pass


class LeanMemoryExceeded(LeanSessionError):
    pass


def _utf16_to_codepoints(line_text: str, utf16_offset: int) -> int:
    units = 0
    for index, char in enumerate(line_text):
        if units >= utf16_offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line_text)


class WorkerSession:
    def __init__(
        self,
        backend: LeanBackend,
        header: str = "",
        *,
        memory_limit_mb: int = 5000,
        start_timeout_s: float = 180.0,
        warm_up: list[str] | None = None,
    ) -> None:
        self.id = next(_session_ids)
        self.backend = backend
        self.header = header
        self.memory_limit_mb = memory_limit_mb
        self.start_timeout_s = start_timeout_s
        self.warm_up = warm_up or []
        self.lean_version = ""
        self.runs = 0
        self.ready = False
        self.busy = False
        self._proc: asyncio.subprocess.Process | None = None
        self._scratch: Path | None = None
        self._uri = ""
        self._version = 0
        self._lines: list[str] = []
        self._diagnostics: dict[int, list[dict[str, Any]]] = {}
        self._done: dict[int, asyncio.Event] = {}
        self._last_message_at = 0.0
        self._stderr_tail: list[str] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._exited = asyncio.Event()

    # ------------------------------------------------------------ lifecycle

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    async def start(self) -> None:
        self.lean_version = await asyncio.to_thread(self.backend.version)
        self._scratch = Path(tempfile.mkdtemp(prefix=f"lean-equiv-s{self.id}-"))
        launch = await asyncio.to_thread(self.backend.launch, ["--worker", "-j1"], self._scratch)
        self._proc = await asyncio.create_subprocess_exec(
            *launch.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=launch.env,
            cwd=launch.cwd,
            preexec_fn=confine_child,
            start_new_session=True,
            limit=1 << 24,
        )
        self._tasks = [
            asyncio.create_task(self._read_stdout()),
            asyncio.create_task(self._read_stderr()),
        ]
        self._uri = (self._scratch / "Check.lean").as_uri()
        self._send({"method": "initialize", "id": 0, "params": {"capabilities": {}}})
        text, _ = Document(header=self.header).render()
        self._version = 1
        self._lines = text.split("\n")
        self._send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {
                        "uri": self._uri,
                        "languageId": "lean4",
                        "version": 1,
                        "text": text,
                    },
                    "dependencyBuildMode": "never",
                },
            }
        )
        try:
            await self._await_version(1, self.start_timeout_s)
            if self.warm_up:
                await self.run(
                    Document(header=self.header, chunks=self.warm_up), timeout=self.start_timeout_s
                )
        except BaseException:
            await self.close()
            raise
        self.ready = True
        log.info("lean session %d ready (pid %s)", self.id, self.pid)

    async def close(self) -> None:
        """Kill the process group and remove the scratch directory; safe to call twice."""
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._proc.wait(), 10)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(BaseException):
                await task
        self._tasks = []
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    # ------------------------------------------------------------ requests

    async def run(self, document: Document, timeout: float) -> RunResult:
        if document.header != self.header:
            raise ValueError("a document's header must be the session's header")
        if not self.alive:
            raise LeanCrashed(self._death_note())
        started = time.monotonic()
        text, starts = document.render()
        self._version += 1
        version = self._version
        self._lines = text.split("\n")
        self._send(
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": self._uri, "version": version},
                    "contentChanges": [{"text": text}],
                },
            }
        )
        self.busy = True
        try:
            await self._await_version(version, timeout)
        finally:
            self.busy = False
        self.runs += 1
        raw = self._diagnostics.pop(version, [])
        for old in [v for v in self._diagnostics if v < version]:
            del self._diagnostics[old]
        messages = attribute([self._to_message(d) for d in raw], starts)
        return RunResult(
            messages=messages,
            elapsed_s=time.monotonic() - started,
            backend=self.backend.name,
            lean_version=self.lean_version,
        )

    async def _await_version(self, version: int, timeout: float) -> None:
        done = self._done.setdefault(version, asyncio.Event())
        watch = asyncio.create_task(self._watch_memory())
        exited = asyncio.create_task(self._exited.wait())
        waiter = asyncio.create_task(done.wait())
        try:
            finished, _ = await asyncio.wait(
                {waiter, exited, watch}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for task in (watch, exited, waiter):
                task.cancel()
            self._done.pop(version, None)
        if waiter in finished:
            await self._quiet()
            return
        if exited in finished:
            raise LeanCrashed(self._death_note())
        if watch in finished and (error := watch.exception()) is not None:
            await self.close()
            raise error
        await self.close()
        raise LeanTimeout(f"Lean did not finish within {timeout:g} s; its process was killed")

    async def _quiet(self) -> None:
        while (idle := time.monotonic() - self._last_message_at) < QUIET_S:
            await asyncio.sleep(QUIET_S - idle)

    async def _watch_memory(self) -> None:
        assert self._proc is not None
        process = psutil.Process(self._proc.pid)
        while True:
            await asyncio.sleep(0.5)
            try:
                rss_mb = process.memory_info().rss / 2**20
            except psutil.Error:  # gone: `_exited` reports it
                await self._exited.wait()
                return
            if rss_mb > self.memory_limit_mb:
                raise LeanMemoryExceeded(
                    f"Lean used {rss_mb:.0f} MB, over the session limit of "
                    f"{self.memory_limit_mb} MB; its process was killed"
                )

    def rss_mb(self) -> float:
        try:
            return psutil.Process(self.pid).memory_info().rss / 2**20 if self.pid else 0.0
        except psutil.Error:
            return 0.0

    def _death_note(self) -> str:
        code = self._proc.returncode if self._proc else None
        tail = " | ".join(self._stderr_tail[-5:])
        return f"the Lean process exited unexpectedly (exit code {code}){': ' + tail if tail else ''}"

    # ------------------------------------------------------------ LSP plumbing

    def _send(self, payload: dict[str, Any]) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **payload}, ensure_ascii=False).encode()
        self._proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def _read_stdout(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        stream = self._proc.stdout
        try:
            while True:
                length = None
                while (line := await stream.readline()) not in (b"\r\n", b"\n"):
                    if not line:
                        return
                    name, _, value = line.decode().partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length is None:
                    continue
                self._dispatch(json.loads(await stream.readexactly(length)))
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            await self._proc.wait()
            self._exited.set()

    def _dispatch(self, message: dict[str, Any]) -> None:
        self._last_message_at = time.monotonic()
        method = message.get("method")
        if method is None:
            return
        if "id" in message:  # a request from Lean (e.g. inlayHint/refresh): answer it
            self._send({"id": message["id"], "result": None})
            return
        params = message.get("params", {})
        if method == "textDocument/publishDiagnostics":
            version = params.get("version", self._version)
            self._diagnostics[version] = params.get("diagnostics", [])
        elif method == "$/lean/fileProgress" and not params.get("processing"):
            event = self._done.get(params["textDocument"].get("version"))
            if event is not None:
                event.set()

    async def _read_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        while line := await self._proc.stderr.readline():
            text = line.decode(errors="replace").rstrip()
            if text and not text.startswith(("[DEBUG", "  - ", "  mainModule")):
                self._stderr_tail = [*self._stderr_tail[-19:], text[:500]]

    def _to_message(self, diagnostic: dict[str, Any]) -> Message:
        full = diagnostic.get("fullRange") or diagnostic["range"]
        return Message(
            severity=_SEVERITIES.get(diagnostic.get("severity", 1), "error"),  # type: ignore[arg-type]
            pos=self._position(full["start"]),
            end_pos=self._position(full["end"]),
            text=diagnostic.get("message", ""),
            kind=str(diagnostic.get("code") or ""),
        )

    def _position(self, lsp: dict[str, int]) -> Position:
        line = lsp["line"]
        text = self._lines[line] if line < len(self._lines) else ""
        return Position(line=line + 1, column=_utf16_to_codepoints(text, lsp["character"]))
