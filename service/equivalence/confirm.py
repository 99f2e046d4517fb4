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
from dataclasses import dataclass, field, replace
from typing import Literal

from service.equivalence.errors import InvalidStatement
from service.equivalence.preamble import Preamble
from service.equivalence.statement import Statement
from service.lean.document import Document, Message, RunResult
from service.lean.errors import LeanSessionError
from service.lean.pool import LeanPool

TRACE = "[Elab.command]"
_TRACE_ON = "set_option trace.Elab.command true"
_OUT_OF_HEARTBEATS = re.compile(r"^\(deterministic\) timeout at")
"""Elaboration stopped by its heartbeat budget: the statement is not known to be ill-typed."""
_PARSE_ERROR = re.compile(
    r"^(unexpected (token|identifier|end of input|character)|expected |unterminated |missing end of "
    r"|invalid escape|tabs are not allowed|isolated carriage|unexpected additional newline)"
)
CACHE_SIZE = 20_000
MAX_AUTO_BIND_ROUNDS = 3
"""Lean may report one unknown name at a time: bind, confirm again, at most this often."""
Status = Literal["confirmed", "ill_typed", "unsupported", "refused", "error", "auto_bind"]
AUTO_BOUND = re.compile(r"(?:[a-zA-Z]|[α-κν-ορτυχ-ωΑ-ΟΡΤ-Ω])(?:[₀-₉]+|'+|[0-9]+)?")
"""Names Lean's `autoImplicit` binds when a theorem's signature uses them unbound (`theorem t
(h : x = 2) : …` is about every `x`), as datasets rely on. Lean binds any unknown atomic name;
we bind only variable-shaped ones (a letter, then digits, subscripts or primes; never π φ σ λ μ
or `I`), so that a Mathlib constant this Lean lacks is never read as a variable (that could make
a 1 that real Mathlib would not give)."""
_NEVER_AUTO_BOUND = frozenset({"I", "e"})
_UNKNOWN_NAME = re.compile(
    r"^Unknown (?:identifier|constant) `([^`]+)`|^unknown (?:namespace|constant) '([^']+)'"
)
MATHLIB_ROOTS = frozenset(
    [
        "Finset",
        "Multiset",
        "Set",
        "Real",
        "Complex",
        "Polynomial",
        "Nat",
        "Int",
        "Rat",
        "NNReal",
        "ENNReal",
        "EReal",
        "ZMod",
        "Fintype",
        "Finite",
        "Equiv",
        "Function",
        "Filter",
        "Matrix",
        "MeasureTheory",
        "Metric",
        "Topology",
        "BigOperators",
        "Submodule",
        "Ideal",
        "Module",
        "LinearMap",
        "Subgroup",
        "Irrational",
        "IsLeast",
        "IsGreatest",
        "Prime",
        "Even",
        "Odd",
        "deriv",
        "Icc",
        "Ico",
        "Ioc",
        "Ioo",
    ]
)
"""First components of names that are Mathlib's: an unknown one means the statement needs Mathlib
(a typo in a name of one's own stays `ill_typed`)."""


@dataclass(frozen=True)
class Confirmation:
    status: Status
    messages: tuple[Message, ...] = ()
    """Lean's errors, for `ill_typed` and `unsupported`."""
    unknown_names: tuple[str, ...] = ()
    """For `unsupported`: the Mathlib names this Lean lacks; for `auto_bind`: the names to bind."""
    statement: Statement | None = None
    """The statement as confirmed, when it differs from the one given (auto-bound names added)."""
    refusal: InvalidStatement | None = None
    error: str | None = None
    """Why Lean gave no answer, for `error`: a crash or time-out (not remembered), or elaboration
    out of heartbeats (with Lean's messages; deterministic, so remembered)."""

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


def _chunk(index: int, preamble: Preamble, statement: Statement) -> _Chunk:
    definition = f"def leq_confirm_{index} : Prop := {statement.prop}"
    text = preamble.wrap(definition)
    first = text[: text.index(definition)].count("\n")
    statement_lines = range(first, first + definition.count("\n") + 1)
    ours = {line for line in range(text.count("\n") + 1) if line not in statement_lines or line == first}
    return _Chunk(text, frozenset(ours))


def confirmation_document(
    items: list[tuple[Preamble, Statement]], heartbeats: int
) -> tuple[Document, list[_Chunk]]:
    chunks = [_chunk(i, preamble, statement) for i, (preamble, statement) in enumerate(items)]
    settings = f"{_TRACE_ON}\nset_option maxHeartbeats {heartbeats}"
    return Document(chunks=[settings] + [c.text for c in chunks]), chunks


def judge(chunk: _Chunk, start_line: int, messages: list[Message], mathlib: bool = False) -> Confirmation:
    """Lean's messages for one statement's chunk (starting at 1-based `start_line`) → verdict.
    `mathlib`: the input's header imports Mathlib, so any unknown name is one Mathlib has."""
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
    if timeout := next((e for e in errors if _OUT_OF_HEARTBEATS.match(e.text)), None):
        first_line = timeout.text.splitlines()[0]
        return Confirmation("error", tuple(errors), error=f"elaborating the statement: {first_line}")
    if names := _auto_bound(errors):
        return Confirmation("auto_bind", tuple(errors), unknown_names=names)
    if names := _mathlib_names(errors, mathlib):
        return Confirmation("unsupported", tuple(errors), unknown_names=names)
    if errors:
        return Confirmation("ill_typed", tuple(errors))
    if any(m.severity == "warning" and "sorry" in m.text for m in messages):
        return _refused("uses_sorry", "the statement elaborates to a term that uses sorry")
    return Confirmation("confirmed")


def _unknown_names(errors: list[Message]) -> list[str]:
    return [m.group(1) or m.group(2) for e in errors if (m := _UNKNOWN_NAME.match(e.text))]


def _auto_bound(errors: list[Message]) -> tuple[str, ...]:
    """The unknown names Lean's `autoImplicit` would bind (see `AUTO_BOUND`)."""
    names = (n for n in _unknown_names(errors) if AUTO_BOUND.fullmatch(n) and n not in _NEVER_AUTO_BOUND)
    return tuple(dict.fromkeys(names))


def _mathlib_names(errors: list[Message], mathlib: bool) -> tuple[str, ...]:
    """The unknown names among Lean's errors that Mathlib would supply."""
    unknown = _unknown_names(errors)
    return tuple(dict.fromkeys(n for n in unknown if mathlib or n.split(".")[0] in MATHLIB_ROOTS))


def _with_auto_bound(statement: Statement, names: tuple[str, ...]) -> Statement:
    """The statement with `names` bound implicitly in front, as Lean's `autoImplicit` binds them."""
    binders = f"{{{' '.join(names)}}} {statement.binders}".strip()
    return Statement(text=statement.text, name=statement.name, binders=binders, type=statement.type)


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
        """Every item's confirmation, by the `key` of the item as given; Lean runs only for those
        not known already. A statement using names Lean's `autoImplicit` would bind is confirmed
        again with them bound (`Confirmation.statement` is then the statement to use)."""
        answers: dict[Key, Confirmation] = {}
        pending = {key(*item): item for item in items}
        for _ in range(MAX_AUTO_BIND_ROUNDS + 1):
            todo = list({key(*item): item for item in pending.values()}.values())
            found = await self._settle(todo, timeout, wait_s)
            rebound: dict[Key, tuple[Preamble, Statement]] = {}
            for original, (preamble, statement) in pending.items():
                confirmation = found[key(preamble, statement)]
                if confirmation.status == "auto_bind":
                    rebound[original] = (preamble, _with_auto_bound(statement, confirmation.unknown_names))
                elif key(preamble, statement) != original:
                    answers[original] = replace(confirmation, statement=statement)
                else:
                    answers[original] = confirmation
            pending = rebound
            if not pending:
                break
        for original in pending:  # names still unbound after every round: the statement's fault
            answers[original] = replace(found[key(*pending[original])], status="ill_typed")
        return answers

    async def _settle(
        self, items: list[tuple[Preamble, Statement]], timeout: float | None, wait_s: float | None
    ) -> dict[Key, Confirmation]:
        """Confirmations of `items`, known or run; a document that a smuggled command polluted
        only settles the smuggler, the others run again without it."""
        answers = {key(*item): self._known[key(*item)] for item in items if key(*item) in self._known}
        todo = [item for item in items if key(*item) not in answers]
        while todo:
            found = await self._run(todo, timeout, wait_s)
            polluted = any(c.polluting for c in found.values())
            settled = {k: c for k, c in found.items() if c.polluting or not polluted or c.status == "error"}
            answers |= settled
            # Lean's own answers are remembered (running out of heartbeats is deterministic too);
            # an error without Lean's messages (a crash, a time-out) is not
            self._remember({k: c for k, c in settled.items() if c.status != "error" or c.messages})
            todo = [item for item in todo if key(*item) not in settled]
        return answers

    async def _run(
        self, items: list[tuple[Preamble, Statement]], timeout: float | None, wait_s: float | None
    ) -> dict[Key, Confirmation]:
        document, chunks = confirmation_document(items, self.heartbeats)
        document = document.model_copy(update={"header": self.pool.header})  # lines as Lean numbers them
        _, starts = document.render()
        found: dict[Key, Confirmation] = {}

        def judge_all(result: RunResult) -> bool:
            """Judge every statement; keep the session only if no statement smuggled a command."""
            for index, (item, chunk) in enumerate(zip(items, chunks, strict=True)):
                found[key(*item)] = judge(
                    chunk, starts[index + 1], result.for_chunk(index + 1), item[0].mathlib
                )
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
