"""Lean's own word on a validated statement, before it shares a document with anything.

Each statement (with its pair's preamble) is elaborated as `def … : Prop := ∀ binders, (type)`
in a confirmation document, with `trace.Elab.command` on: Lean then reports every command it
elaborates as an `[Elab.command]` message at the command's first character, and every command
of ours starts a line. So a statement is confirmed only when

- every `[Elab.command]` message sits at column 0 of a line where one of *our* commands starts,
  at most one per line (any other is a command the statement smuggled in: `extra_command`);
- Lean reports no parse error anywhere in its chunk (`parse_error`: error recovery is how a
  broken term reaches command position);
- no "declaration uses `sorry`" warning.

A statement whose only errors are elaboration errors is `ill_typed` (a verdict, not a refusal).

Several statements share one confirmation document for speed. That is as good as one document
each only when the document is clean, so whenever any statement in it is refused as
`extra_command`, the others are confirmed again without it, and the session that ran it is
replaced (a smuggled `#eval` could have changed process-wide state). Results are remembered per
(preamble, statement): a test set scores many candidates against the same reference.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal

from service.equivalence.errors import InvalidStatement
from service.equivalence.preamble import Preamble
from service.equivalence.statement import Statement
from service.lean.document import Document, Message, RunResult
from service.lean.errors import LeanSessionError
from service.lean.pool import LeanPool

TRACE = "[Elab.command]"
_TRACE_ON = "set_option trace.Elab.command true"
_PARSE_ERROR = re.compile(
    r"^(unexpected (token|identifier|end of input|character)|expected |unterminated |missing end of "
    r"|invalid escape|tabs are not allowed|isolated carriage|unexpected additional newline)"
)
CACHE_SIZE = 20_000
Status = Literal["confirmed", "ill_typed", "refused", "error"]


@dataclass(frozen=True)
class Confirmation:
    status: Status
    messages: tuple[Message, ...] = ()
    """Lean's errors, for `ill_typed`."""
    refusal: InvalidStatement | None = None
    error: str | None = None
    """Why Lean gave no answer, for `error` (crash, time-out): not remembered."""

    @property
    def polluting(self) -> bool:
        return self.refusal is not None and self.refusal.reason == "extra_command"


Key = tuple[str, str]
"""(preamble text, proposition): what a confirmation depends on, the session header aside."""


def key(preamble: Preamble, statement: Statement) -> Key:
    return preamble.text, statement.prop


@dataclass
class _Chunk:
    text: str
    command_lines: frozenset[int]
    """Lines (0-based, within the chunk) on which a command of ours starts."""
    statement_lines: range


def _chunk(index: int, preamble: Preamble, statement: Statement) -> _Chunk:
    definition = f"def leq_confirm_{index} : Prop := {statement.prop}"
    text = preamble.wrap(definition)
    first = text[: text.index(definition)].count("\n")
    statement_lines = range(first, first + definition.count("\n") + 1)
    ours = {line for line in range(text.count("\n") + 1) if line not in statement_lines or line == first}
    return _Chunk(text, frozenset(ours), statement_lines)


def confirmation_document(
    items: list[tuple[Preamble, Statement]], heartbeats: int
) -> tuple[Document, list[_Chunk]]:
    chunks = [_chunk(i, preamble, statement) for i, (preamble, statement) in enumerate(items)]
    settings = f"{_TRACE_ON}\nset_option maxHeartbeats {heartbeats}"
    return Document(chunks=[settings] + [c.text for c in chunks]), chunks


def judge(chunk: _Chunk, start_line: int, messages: list[Message]) -> Confirmation:
    """Lean's messages for one statement's chunk (starting at 1-based `start_line`) → verdict."""
    traces: dict[int, int] = {}
    for message in messages:
        line = message.pos.line - start_line
        if message.text.startswith(TRACE):
            traces[line] = traces.get(line, 0) + 1
            if message.pos.column != 0 or line not in chunk.command_lines or traces[line] > 1:
                return _refused(
                    "extra_command", f"Lean read a second command inside the statement: {message.text}"
                )
    errors = [m for m in messages if m.severity == "error"]
    for error in errors:
        if _PARSE_ERROR.match(error.text):
            return _refused("parse_error", f"Lean cannot parse the statement: {error.text}")
    if errors:
        return Confirmation("ill_typed", tuple(errors))
    if any(m.severity == "warning" and "sorry" in m.text for m in messages):
        return _refused("uses_sorry", "the statement elaborates to a term that uses sorry")
    return Confirmation("confirmed")


def _refused(reason: str, message: str) -> Confirmation:
    return Confirmation("refused", refusal=InvalidStatement(reason, message))


@dataclass
class StatementConfirmer:
    """Confirms statements with Lean, a few at a time, remembering the answers."""

    pool: LeanPool
    heartbeats: int
    _known: OrderedDict[Key, Confirmation] = field(default_factory=OrderedDict)

    async def confirm(
        self,
        items: list[tuple[Preamble, Statement]],
        timeout: float | None = None,
        wait_s: float | None = None,
    ) -> dict[Key, Confirmation]:
        """Every item's confirmation, by `key`; Lean runs only for those not known already."""
        answers = {k: self._known[k] for k in map(lambda item: key(*item), items) if k in self._known}
        todo = list({key(*item): item for item in items if key(*item) not in answers}.values())
        while todo:
            found = await self._run(todo, timeout, wait_s)
            polluted = any(c.polluting for c in found.values())
            settled = {k: c for k, c in found.items() if c.polluting or not polluted or c.status == "error"}
            answers |= settled
            self._remember({k: c for k, c in settled.items() if c.status != "error"})
            todo = [item for item in todo if key(*item) not in settled]
        return answers

    async def _run(
        self, items: list[tuple[Preamble, Statement]], timeout: float | None, wait_s: float | None
    ) -> dict[Key, Confirmation]:
        document, chunks = confirmation_document(items, self.heartbeats)
        _, starts = document.render()
        found: dict[Key, Confirmation] = {}

        def judge_all(result: RunResult) -> bool:
            """Judge every statement; keep the session only if no statement smuggled a command."""
            for index, (item, chunk) in enumerate(zip(items, chunks, strict=True)):
                found[key(*item)] = judge(chunk, starts[index + 1], result.for_chunk(index + 1))
            return not any(c.polluting for c in found.values())

        try:
            await self.pool.run(document, timeout, wait_s, keep_session=judge_all)
        except LeanSessionError as error:
            if len(items) == 1:
                return {key(*items[0]): Confirmation("error", error=f"confirming the statement: {error}")}
            alone = await asyncio.gather(*(self._run([item], timeout, wait_s) for item in items))
            return {k: c for answer in alone for k, c in answer.items()}
        return found

    def _remember(self, confirmations: dict[Key, Confirmation]) -> None:
        self._known.update(confirmations)
        while len(self._known) > CACHE_SIZE:
            self._known.popitem(last=False)
