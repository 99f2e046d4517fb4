"""A warm Lean: one long-lived `lean --worker` process (Lean's LSP file worker) per session.

Each request replaces the whole document; Lean re-elaborates it with the header already loaded,
so start-up and imports are paid once per process.

A version is done when its published diagnostics contain the message of the end marker, a
`#check` we append as the document's last command. Lean reports diagnostics in document order,
so the marker's message proves that every message before it has arrived. Neither
`$/lean/fileProgress` with nothing processing (it can come before the diagnostics) nor
`textDocument/waitForDiagnostics` (the embedded worker sometimes never answers it) is such a
barrier, and a lost error message would otherwise read as a proof.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import shutil
import signal
import tempfile
import time
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil

from service.lean.backend import LeanBackend
from service.lean.document import Document, Message, Position, RunResult, attribute
from service.lean.errors import LeanCrashed, LeanIncomplete, LeanMemoryExceeded, LeanTimeout
from service.lean.lsp import LspStream
from service.lean.sandbox import confine_child

log = logging.getLogger(__name__)

# The last command of every run: its message proves that Lean's diagnostics reached the end of the
# document, so an attempt can never pass for want of a message that was lost.
END_MARKER_GRACE_S = 5.0
END_MARKER = "lean-equiv: end of run"
# Proofs elaborated in the background would report after the marker: elaborate in document order.
_SYNCHRONOUS = "set_option Elab.async false"
_END_COMMAND = f'#check "{END_MARKER}"'
_END_MESSAGE = f'"{END_MARKER}" : String'
_SEVERITIES = {1: "error", 2: "warning", 3: "information", 4: "information"}
_session_ids = itertools.count(1)


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
        libraries: Sequence[Path] = (),
        memory_limit_mb: int = 5000,
        start_timeout_s: float = 180.0,
        warm_up: list[str] | None = None,
    ) -> None:
        self.id = next(_session_ids)
        self.backend = backend
        self.header = header
        self.libraries = tuple(libraries)
        """Built library roots the header may import from (`LeanBackend.build`)."""
        self.memory_limit_mb = memory_limit_mb
        self.start_timeout_s = start_timeout_s
        self.warm_up = warm_up or []
        self.lean_version = ""
        self.runs = 0
        self.ready = False
        self.busy = False
        self._proc: asyncio.subprocess.Process | None = None
        self._lsp: LspStream | None = None
        self._process: psutil.Process | None = None
        """The same process for psutil (memory, CPU time), made once: the CPU clock is read on
        every progress notification."""
        self._scratch: Path | None = None
        self._uri = ""
        self._version = 0
        self._lines: list[str] = []
        self._diagnostics: dict[int, list[dict[str, Any]]] = {}
        self._end_lines: dict[int, int] = {}
        self._line_offset = 0
        self._stuck_line = -1
        """First line Lean reports still processing, and since when: the stall watchdog's clock."""
        self._stuck_since = 0.0
        """CPU seconds of the Lean process when `_stuck_line` last changed: a stall is CPU spent
        on one command, so a loaded machine (slow wall clock) does not fake one."""
        self._marked: dict[int, asyncio.Event] = {}
        self._idle: dict[int, asyncio.Event] = {}
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
        launch = await asyncio.to_thread(
            self.backend.launch, ["--worker", "-j1"], self._scratch, self.libraries
        )
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
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._lsp = LspStream(self._proc.stdin, self._proc.stdout)
        with contextlib.suppress(psutil.Error):  # gone already: `_exited` will report it
            self._process = psutil.Process(self._proc.pid)
        self._tasks = [
            asyncio.create_task(self._read_stdout()),
            asyncio.create_task(self._read_stderr()),
        ]
        self._uri = (self._scratch / "Check.lean").as_uri()
        self._send({"method": "initialize", "id": 0, "params": {"capabilities": {}}})
        text, _ = self._prepare(Document(header=self.header), version=1)
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

    async def run(self, document: Document, timeout: float, stall_s: float | None = None) -> RunResult:
        """Lean's messages for `document`. Past `timeout` in all, or `stall_s` on one command
        (Lean's progress stays on the same line), the process is killed: `LeanTimeout`."""
        if document.header != self.header:
            raise ValueError("a document's header must be the session's header")
        if not self.alive:
            raise LeanCrashed(self._death_note())
        started = time.monotonic()
        version = self._version + 1
        text, starts = self._prepare(document, version)
        self._send(
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": self._uri, "version": version},
                    "contentChanges": [{"text": text}],
                },
            }
        )
        assert self._lsp is not None
        await self._lsp.drain()
        self.busy = True
        self._stuck_line, self._stuck_since = -1, self._cpu_seconds()
        try:
            await self._await_version(version, timeout, stall_s)
        except LeanTimeout as error:
            line = self._stuck_line - self._line_offset + 1  # 1-based, in the caller's document
            chunk = bisect_right(starts, line) - 1 if self._stuck_line >= 0 else None
            raise LeanTimeout(str(error), chunk if chunk is not None and chunk >= 0 else None) from None
        finally:
            self.busy = False
        self.runs += 1
        raw = self._diagnostics.pop(version, [])
        for old in [v for v in self._diagnostics if v < version]:
            del self._diagnostics[old]
        end_line = self._end_lines.pop(version)
        raw = [d for d in raw if d["range"]["start"]["line"] < end_line]
        messages = attribute([self._to_message(d) for d in raw], starts)
        return RunResult(
            messages=messages,
            elapsed_s=time.monotonic() - started,
            backend=self.backend.name,
            lean_version=self.lean_version,
        )

    def _prepare(self, document: Document, version: int) -> tuple[str, list[int]]:
        """The text Lean sees, registered as `version`, and the chunks' start lines in the
        caller's document: `_SYNCHRONOUS` goes after the header and the end marker at the end,
        and positions are reported as if the two additions were not there."""
        text, starts = document.render()
        sync = document.model_copy(update={"header": f"{document.header}\n\n{_SYNCHRONOUS}".lstrip()})
        sync_text, _ = sync.render()
        self._line_offset = sync_text.count("\n") - text.count("\n")
        self._end_lines[version] = sync_text.count("\n")  # 0-based line of the marker
        sync_text += _END_COMMAND + "\n"
        self._version = version
        self._lines = sync_text.split("\n")
        self._marked[version] = asyncio.Event()
        self._idle[version] = asyncio.Event()
        return sync_text, starts

    async def _await_version(self, version: int, timeout: float, stall_s: float | None = None) -> None:
        """Wait for the end marker's message, a crash, the memory watchdog or the time-outs."""
        marked = asyncio.create_task(self._await_marker(version))
        watch = asyncio.create_task(self._watch(stall_s))
        exited = asyncio.create_task(self._exited.wait())
        try:
            finished, _ = await asyncio.wait(
                {marked, exited, watch}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for task in (marked, watch, exited):
                task.cancel()
            self._marked.pop(version, None)
            self._idle.pop(version, None)
        if marked in finished:
            marked.result()  # raises LeanIncomplete
            return
        if exited in finished:
            raise LeanCrashed(self._death_note())
        if watch in finished and (error := watch.exception()) is not None:
            await self.close()
            raise error
        await self.close()
        raise LeanTimeout(f"Lean did not finish within {timeout:g} s; its process was killed")

    async def _await_marker(self, version: int) -> None:
        """Until the marker arrives. Once Lean says nothing is processing, the marker must follow
        within the grace period, unless Lean reports work again (then it was not the end)."""
        marked, idle = self._marked[version], self._idle[version]
        while not marked.is_set():
            await idle.wait()
            try:
                await asyncio.wait_for(marked.wait(), END_MARKER_GRACE_S)
            except TimeoutError:
                if idle.is_set():
                    raise LeanIncomplete(
                        "Lean finished the document without reporting its end marker; "
                        "its diagnostics cannot be trusted"
                    ) from None

    async def _watch(self, stall_s: float | None) -> None:
        """Raise when the process outgrows its memory limit or one command stalls."""
        process = self._process
        assert process is not None
        while True:
            await asyncio.sleep(0.5)
            # Before Lean reports progress on a command there is no command to blame: a fresh
            # session's first request may spend seconds starting threads; `timeout` bounds that.
            stuck = self._cpu_seconds() - self._stuck_since
            if stall_s is not None and self._stuck_line >= 0 and stuck > stall_s:
                raise LeanTimeout(
                    f"Lean spent over {stuck:.0f} CPU seconds on one command; its process was killed"
                )
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

    def _cpu_seconds(self) -> float:
        try:
            times = self._process.cpu_times() if self._process else None
        except psutil.Error:
            return 0.0
        return times.user + times.system if times else 0.0

    def rss_mb(self) -> float:
        try:
            return self._process.memory_info().rss / 2**20 if self._process else 0.0
        except psutil.Error:
            return 0.0

    def _death_note(self) -> str:
        code = self._proc.returncode if self._proc else None
        tail = " | ".join(self._stderr_tail[-5:])
        return f"the Lean process exited unexpectedly (exit code {code}){': ' + tail if tail else ''}"

    # ------------------------------------------------------------ LSP plumbing

    def _send(self, payload: dict[str, Any]) -> None:
        assert self._lsp is not None
        self._lsp.send(payload)

    async def _read_stdout(self) -> None:
        assert self._proc is not None and self._lsp is not None
        try:
            async for message in self._lsp.messages():
                self._dispatch(message)
        finally:
            await self._proc.wait()
            self._exited.set()

    def _dispatch(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method is None:  # an answer to our `initialize`
            return
        if "id" in message:  # a request from Lean (e.g. inlayHint/refresh): answer it
            self._send({"id": message["id"], "result": None})
            return
        params = message.get("params", {})
        if method == "textDocument/publishDiagnostics":
            version = params.get("version")
            if version not in self._marked:
                # Unversioned, or for a version no run awaits (a replaced document's late
                # report): never stored with another request's messages.
                return
            diagnostics = params.get("diagnostics", [])
            self._diagnostics[version] = diagnostics
            if self._has_end_marker(version, diagnostics):
                self._marked[version].set()
        elif method == "$/lean/fileProgress":
            self._note_progress(params)

    def _note_progress(self, params: dict[str, Any]) -> None:
        version = params["textDocument"].get("version")
        if version != self._version:
            return
        processing = params.get("processing") or []
        if (idle := self._idle.get(version)) is not None:
            if processing:
                idle.clear()
            else:
                idle.set()
        if not processing:
            return
        # Zero-width ranges are bookkeeping left behind a finished command, not work in progress.
        spans = [i["range"] for i in processing if i["range"]["start"] != i["range"]["end"]] or [
            i["range"] for i in processing
        ]
        start = min((span["start"]["line"], span["start"]["character"]) for span in spans)
        line = self._next_code_line(*start)
        if line != self._stuck_line:
            self._stuck_line, self._stuck_since = line, self._cpu_seconds()

    def _next_code_line(self, line: int, character: int) -> int:
        """The line of the first non-blank text at or after an LSP position: a command's
        processing range starts where the previous command ended."""
        rest = self._lines[line][character:] if line < len(self._lines) else ""
        while not rest.strip() and line + 1 < len(self._lines):
            line += 1
            rest = self._lines[line]
        return line

    def _has_end_marker(self, version: int, diagnostics: list[dict[str, Any]]) -> bool:
        end_line = self._end_lines.get(version)
        return version in self._marked and any(
            d["range"]["start"]["line"] == end_line and d.get("message") == _END_MESSAGE
            for d in reversed(diagnostics)
        )

    async def _read_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        while line := await self._proc.stderr.readline():
            text = line.decode(errors="replace").rstrip()
            # the glue's debug lines and a trap's wasm stack frames would crowd out its reason
            if text and not text.lstrip().startswith(("[DEBUG", "- ", "mainModule", "at wasm://")):
                self._stderr_tail = [*self._stderr_tail[-19:], text[:500]]

    def _to_message(self, diagnostic: dict[str, Any]) -> Message:
        full = diagnostic.get("fullRange") or diagnostic["range"]
        return Message(
            severity=_SEVERITIES.get(diagnostic.get("severity", 1), "error"),
            pos=self._position(full["start"]),
            end_pos=self._position(full["end"]),
            text=diagnostic.get("message", ""),
            kind=str(diagnostic.get("code") or ""),
        )

    def _position(self, lsp: dict[str, int]) -> Position:
        line = lsp["line"]
        text = self._lines[line] if line < len(self._lines) else ""
        return Position(
            line=line + 1 - self._line_offset, column=_utf16_to_codepoints(text, lsp["character"])
        )
