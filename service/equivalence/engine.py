"""Statements in, sound verdicts out.

0. Every statement is confirmed by Lean alone first (`confirm.py`): refused (a smuggled command,
   a parse error) → the pair is `invalid`; ill-typed → its errors, and nothing else runs for it.
Then the attempts of all pairs of a group are packed into Lean runs, each run holding what every
pair needs next (`_next_run`), cheapest first, until no pair needs anything:
1. the definitional fast path `Iff.rfl`, and stage 1's transport scripts on both directions (one
   command per direction: `first_of`);
2. on a direction still open, stage 1's decision procedures; then stage 2 with the refutations
   (`¬ (A → B)`); a direction stops at the first step that proves or refutes it;
3. on a proved direction, the vacuity probes (`True → B`) that can still change its verdict
   (`_needed_probes`), and stage 2's transports where it is proved only vacuously.
Every pair whose verdict is `equivalent` or `not_equivalent` has the proofs behind it checked
again in a clean document of its own (`_replay`): just its preamble and our examples, so nothing
another pair of the group (or an earlier request) put into an environment can be used. A pair
whose both directions are proved gets that document as soon as they are, with its vacuity probes
after the proofs (`_own_documents`). A proof that does not replay makes the pair an `error`,
never a verdict. A pair that is not equivalent gets one explanation run after the plan
(`_explanation_run`): obligations, counterexamples, contradictory hypotheses.

Attempts are `example`s, never `theorem`s: an example is kernel-checked but not added to the
environment, so no failed (sorry-filled) attempt can be found by `exact?` in a later chunk.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from dataclasses import dataclass, field, replace

from service.equivalence import obligations
from service.equivalence.attempts import (
    CONFIRM_HEARTBEATS_FACTOR,
    DEFAULT_HEARTBEATS,
    MAX_STALLS_PER_RUN,
    example,
)
from service.equivalence.confirm import Confirmation, StatementConfirmer, key
from service.equivalence.counterexample import CONTRADICTION_SCRIPT, contradiction_goal
from service.equivalence.counterexample import search as counterexample_search
from service.equivalence.errors import InvalidStatement
from service.equivalence.lexer import MATHLIB_TOKENS
from service.equivalence.portfolio import REFUTE, Script, fingerprint, first_of, proving_scripts, scripts
from service.equivalence.preamble import NO_PREAMBLE, Preamble, merge_preambles, parse_preamble, split_header
from service.equivalence.prelude import prelude_library
from service.equivalence.prover import SearchProver
from service.equivalence.statement import Statement, parse_statement
from service.equivalence.verdict import (
    CheckResult,
    Counterexample,
    DirectionResult,
    Mode,
    Refusal,
    Unsupported,
    VerdictName,
)
from service.lean.document import Document, Message, RunResult
from service.lean.errors import LeanSessionError, LeanTimeout
from service.lean.pool import HEARTBEATS_PER_SECOND, LeanPool, stall_limit_s

SOUNDNESS_REVISION = 3
"""Bumped whenever what may count as a proof changes (2: Lean confirms each statement alone, and
every verdict's proofs are replayed in a clean document; 3: counterexamples); older stored
verdicts are not reused."""
EXPLANATION_REVISION = 1
"""Bumped whenever what a result explains changes (1: obligations and the graded score): stored
results without it are not reused."""
MAX_PAIRS_PER_RUN = 10
MATHLIB_HEADER = re.compile(r"^\s*import\s+Mathlib\b", re.MULTILINE)
log = logging.getLogger(__name__)
_TRY_THIS = re.compile(r"Try this:\s*(.+)", re.DOTALL)
_DIRECTIONS = ("fs1_to_fs2", "fs2_to_fs1")


@dataclass(frozen=True)
class Pair:
    fs1: Statement
    fs2: Statement
    preamble: Preamble = NO_PREAMBLE

    @classmethod
    def parse(cls, fs1: str, fs2: str, preamble: str | None = None) -> Pair:
        """Both statements and the preamble validated (`InvalidStatement` on the first refusal).
        Header lines a statement starts with (`import Mathlib`, `open …`) join the preamble."""
        header1, body1 = split_header(fs1)
        header2, body2 = split_header(fs2)
        parsed = parse_preamble(merge_preambles(preamble, header1, header2))
        return cls(parse_statement(body1, parsed.tokens), parse_statement(body2, parsed.tokens), parsed)

    def goal(self, direction: str) -> str:
        """`(A) → (B)` in text: what the replay and ReProver's search prove."""
        return _Spelling.text(self).goal(direction)

    def target(self, direction: str) -> Statement:
        return self.fs2 if direction == _DIRECTIONS[0] else self.fs1

    def statement(self, side: str) -> Statement:
        """ "fs1" or "fs2"."""
        return self.fs1 if side == "fs1" else self.fs2


def _uses_mathlib_tokens(pair: Pair) -> bool:
    """The pair was read with Mathlib's apostrophe tokens and its text holds one: only there can
    our reading differ from a Lean that lacks them (see `MATHLIB_TOKENS`)."""
    texts = (pair.fs1.text, pair.fs2.text, pair.preamble.text)
    return pair.preamble.mathlib and any(token in text for token in MATHLIB_TOKENS for text in texts)


@dataclass(frozen=True)
class Limits:
    """One call's bounds, passed down to every Lean run it makes."""

    timeout: float | None = None
    wait_s: float | None = None


@dataclass(frozen=True)
class Attempt:
    pair: int
    role: str  # "declare", "iff", "prove", "probe", "refute", "replay", "obligations",
    # "counterexample", "contradiction"
    direction: str = ""
    """For "replay": the name of the claim (`_replay_claims`); for "counterexample" and
    "contradiction": the side ("fs1", "fs2")."""
    script: Script | None = None
    claim: str = ""
    """For "replay": the example replayed."""


@dataclass(frozen=True)
class _Spelling:
    """How a run's attempts write a pair's two statements: as their text, or as the names of two
    `Prop` definitions the run declares first (`_declarations`). Elaborating the statements was
    about three quarters of a first run's Lean time, once per attempt; declared, each statement is
    elaborated once per run, and every attempt starts with `delta`, which puts the elaborated
    statement back in the goal: the goal the tactic sees is the one the text gives.

    Why this cannot make a false 1: a `Prop` definition is a statement, not evidence, so no
    tactic proves more with it than from the text; every proof a verdict rests on is replayed
    in text form (`_replay`); and a vacuity probe sees the same goal with at least the budget the
    text leaves it (no heartbeats go to elaborating the statement), so it fails no more often.
    A run whose declaration fails makes the pair an error (`_record`)."""

    fs1: str
    fs2: str
    names: tuple[str, ...] = ()

    @classmethod
    def text(cls, pair: Pair) -> _Spelling:
        return cls(f"({pair.fs1.prop})", f"({pair.fs2.prop})")

    def goal(self, direction: str) -> str:
        source, target = (self.fs1, self.fs2) if direction == _DIRECTIONS[0] else (self.fs2, self.fs1)
        return f"{source} → {target}"

    def target(self, direction: str) -> str:
        return self.fs2 if direction == _DIRECTIONS[0] else self.fs1

    def tactic(self, tactic: str) -> str:
        return f"delta {' '.join(self.names)}\n{tactic}" if self.names else tactic


_UNDECLARABLE = re.compile(r"\b(?:variable|universe|Sort|Type)\b")
"""What keeps a pair's statements in text form: a `variable` of the preamble would become a
parameter of the definition, and a universe a parameter of each definition separately."""


def _spelling(k: int, pair: Pair) -> _Spelling:
    texts = (pair.fs1.prop, pair.fs2.prop, pair.preamble.text)
    if any(_UNDECLARABLE.search(text) for text in texts):
        return _Spelling.text(pair)
    names = (f"leq_pair{k}_fs1", f"leq_pair{k}_fs2")
    return _Spelling(*names, names=names)


def _declarations(pair: Pair, spelling: _Spelling, heartbeats: int) -> str:
    """The definitions a run's attempts on a pair refer to (see `_Spelling`)."""
    props = (pair.fs1.prop, pair.fs2.prop)
    return "\n".join(
        f"set_option maxHeartbeats {heartbeats} in\ndef {name} : Prop := {prop}"
        for name, prop in zip(spelling.names, props, strict=True)
    )


@dataclass
class _PairState:
    messages: list[Message] = field(default_factory=list)
    ill_typed: bool = False
    definitional: bool = False
    directions: dict[str, DirectionResult] = field(
        default_factory=lambda: {d: DirectionResult() for d in _DIRECTIONS}
    )
    proved_by: dict[str, list[Script]] = field(default_factory=lambda: {d: [] for d in _DIRECTIONS})
    probe_proved: dict[str, set[str]] = field(default_factory=lambda: {d: set() for d in _DIRECTIONS})
    probed: dict[str, set[str]] = field(default_factory=lambda: {d: set() for d in _DIRECTIONS})
    step: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_DIRECTIONS, 0))
    """How many of the engine's proving steps (`EquivalenceEngine.steps`) each direction has
    been through."""
    passed_over: dict[str, tuple[Script, ...]] = field(default_factory=lambda: {d: () for d in _DIRECTIONS})
    """The scripts of a `first_of` attempt after the one that proved a direction: not tried on
    it, so tried with stage 2's transports if the direction looks vacuous (`_untried_transports`)."""
    transported: set[str] = field(default_factory=set)
    """Directions on which stage 2's transports were tried after a vacuous proof."""
    tried_iff: bool = False
    seconds: float = 0.0
    error: str | None = None
    refusal: InvalidStatement | None = None
    unsupported: list[str] = field(default_factory=list)
    """Mathlib names a statement uses that this Lean lacks."""
    counterexamples: dict[str, Counterexample] = field(default_factory=dict)
    """By side ("fs1", "fs2"): see counterexample.py."""
    contradictory: set[str] = field(default_factory=set)
    """Sides whose hypotheses Lean proved contradictory (`contradiction_goal`)."""
    replays: dict[tuple[str, str], bool] = field(default_factory=dict)
    """(claim name, example) → whether it held in a clean document (see `_own_documents`)."""
    replayed: bool = False

    @property
    def active(self) -> bool:
        """Both statements confirmed and nothing has failed: attempts are worth running."""
        return not (self.ill_typed or self.error or self.refusal or self.unsupported)

    def confirmed(self, confirmation: Confirmation) -> None:
        """What Lean said of one of the pair's statements, elaborated alone."""
        if confirmation.status == "refused":
            self.refusal = self.refusal or confirmation.refusal
        elif confirmation.status == "ill_typed":
            self.ill_typed = True
            self.messages += list(confirmation.messages)
        elif confirmation.status == "unsupported":
            self.unsupported += [n for n in confirmation.unknown_names if n not in self.unsupported]
            self.messages += list(confirmation.messages)
        elif confirmation.status == "error":
            self.error = self.error or confirmation.error


class EquivalenceEngine:
    def __init__(
        self,
        pool: LeanPool,
        heartbeats: int = DEFAULT_HEARTBEATS,
        reprover: SearchProver | None = None,
        tidy: bool = True,
        explain: bool = True,
    ) -> None:
        if not tidy and reprover is None:
            raise ValueError("an engine needs a prover: tidy, a ReProver, or both")
        self.pool = pool
        self.heartbeats = heartbeats
        self.reprover = reprover
        """With it, model-guided search on every direction the portfolio left open."""
        self.tidy = tidy
        """False: directions are proved by ReProver alone (refutations and vacuity probes still run
        the portfolio: they only ever take a 1 away)."""
        self.explain = explain
        """False: no explanation run (`_explanation_run`): 0s without obligations, counterexamples
        or contradiction flags, for measuring what they cost and find."""
        self.confirmer = StatementConfirmer(pool, CONFIRM_HEARTBEATS_FACTOR * heartbeats)
        self.mathlib = MATHLIB_HEADER.search(pool.header) is not None
        """The Lean has real Mathlib (a native project whose header imports it): the portfolio
        adds Mathlib's automation, and the compatibility prelude is not loaded."""
        self.reads_mathlib = self.mathlib or prelude_library() in pool.libraries
        """This Lean declares Mathlib's apostrophe tokens (`MATHLIB_TOKENS`), through Mathlib or
        the prelude. Elsewhere a pair read with them that holds one is not run."""
        self.steps = self._plan()
        """The proving steps every direction goes through (`_plan`), fixed per engine."""

    def configuration(self) -> dict[str, object]:
        """Everything besides the pair that a verdict depends on: part of the cache key, so a
        stored verdict of another configuration is never reused."""
        config: dict[str, object] = {
            "heartbeats": self.heartbeats,
            "portfolio": fingerprint(self.mathlib),
            "soundness": SOUNDNESS_REVISION,
            "explanations": EXPLANATION_REVISION if self.explain else 0,
            "header": self._header_digest(),
        }
        if self.reprover is not None:
            config["reprover"] = self.reprover.fingerprint()
        return config

    def _header_digest(self) -> str:
        """The header and the source of every library it imports (e.g. the prelude)."""
        parts = [self.pool.header, *(library.digest for library in self.pool.libraries)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def lean_version(self) -> str:
        return self.pool.lean_version()

    def backend_name(self) -> str:
        return self.pool.backend.name

    @property
    def prover(self) -> str:
        if self.reprover is None:
            return "tidy"
        return "tidy+reprover" if self.tidy else "reprover"

    async def check(
        self,
        fs1: Statement,
        fs2: Statement,
        mode: Mode = "strict",
        timeout: float | None = None,
        preamble: Preamble = NO_PREAMBLE,
        wait_s: float | None = None,
    ) -> CheckResult:
        return (await self.check_many([Pair(fs1, fs2, preamble)], mode, timeout, wait_s))[0]

    async def check_many(
        self,
        pairs: list[Pair],
        mode: Mode = "strict",
        timeout: float | None = None,
        wait_s: float | None = None,
    ) -> list[CheckResult]:
        """Pairs are split into groups, one per session, whose Lean runs go through the pool.
        `timeout` bounds each Lean run (default: from its attempts' heartbeats); `wait_s` how long
        a run may wait for a free session before `PoolSaturated` (None: as long as it takes)."""
        limits = Limits(timeout, wait_s)
        group_size = max(1, min(MAX_PAIRS_PER_RUN, -(-len(pairs) // self.pool.size)))
        groups = [pairs[i : i + group_size] for i in range(0, len(pairs), group_size)]
        results = await asyncio.gather(*(self._check_group(g, mode, limits) for g in groups))
        return [result for group in results for result in group]

    async def _check_group(self, pairs: list[Pair], mode: Mode, limits: Limits) -> list[CheckResult]:
        states = [_PairState() for _ in pairs]
        started = time.monotonic()
        try:
            pairs = await self._confirm(pairs, states, limits)
            while run := self._next_run(pairs, states):
                parts = _own_documents(pairs, states, run, self.heartbeats)
                await asyncio.gather(*(self._run(pairs, states, part, limits) for part in parts))
            if self.reprover is not None:
                await self._search_open_directions(pairs, states, limits)
            if self.explain:
                await self._run(pairs, states, _explanation_run(pairs, states), limits)
            await asyncio.gather(*(self._replay(p, s, limits) for p, s in zip(pairs, states, strict=True)))
        except LeanSessionError as error:  # (PoolSaturated is not one: the caller retries later)
            for state in states:
                state.error = str(error)
        elapsed = time.monotonic() - started
        version = self.pool.lean_version()
        return [
            _result(state, mode, version, self.pool.backend.name, self.prover, elapsed / max(1, len(pairs)))
            for state in states
        ]

    def first_document(self, pairs: list[Pair]) -> Document:
        """The document of the first Lean run for `pairs`: for baselines and debugging."""
        run = self._next_run(pairs, [_PairState() for _ in pairs])
        return _document(pairs, _with_declarations(pairs, run, CONFIRM_HEARTBEATS_FACTOR * self.heartbeats))

    async def _confirm(self, pairs: list[Pair], states: list[_PairState], limits: Limits) -> list[Pair]:
        """Each distinct statement confirmed by Lean alone (see confirm.py) before any attempt;
        the pairs as Lean reads them (names `autoImplicit` binds, bound)."""
        for pair, state in zip(pairs, states, strict=True):
            if not self.reads_mathlib and _uses_mathlib_tokens(pair):  # read as this Lean cannot
                state.unsupported = list(pair.preamble.imports)
        items = [
            (pair.preamble, statement)
            for pair, state in zip(pairs, states, strict=True)
            if state.active
            for statement in (pair.fs1, pair.fs2)
        ]
        confirmations = await self.confirmer.confirm(items, limits.timeout, limits.wait_s)
        confirmed = []
        for pair, state in zip(pairs, states, strict=True):
            if not state.active:
                confirmed.append(pair)
                continue
            first, second = (confirmations[key(pair.preamble, s)] for s in (pair.fs1, pair.fs2))
            state.confirmed(first)
            state.confirmed(second)
            confirmed.append(replace(pair, fs1=first.statement or pair.fs1, fs2=second.statement or pair.fs2))
        return confirmed

    # ------------------------------------------------------------ building runs

    def _portfolio(self, stage: int) -> tuple[Script, ...]:
        """The scripts that may prove a direction at this stage."""
        return self._scripts(stage) if self.tidy else ()

    def _scripts(self, stage: int) -> tuple[Script, ...]:
        return scripts(stage, self.mathlib)

    def _example(self, goal: str, tactic: str) -> str:
        return example(goal, tactic, self.heartbeats)

    def _plan(self) -> list[list[tuple[str, Script]]]:
        """The steps a direction goes through, one Lean run each, cheapest first: stage 1's
        transports (one command: `first_of`), stage 1's decision procedures, then stage 2 with
        the refutations. A direction stops at the first step that proves it: once a transport has
        proved it, no other script can change its verdict (see `_needed_probes` for what still
        runs, and `_untried_transports` for the transports `first` passed over)."""
        stage1 = self._portfolio(1)
        transports = tuple(s for s in stage1 if s.transport)
        steps = [
            [("prove", first_of(transports))] if transports else [],
            [("prove", s) for s in stage1 if not s.transport],
            [("prove", s) for s in self._portfolio(2)] + [("refute", s) for s in REFUTE],
        ]
        return [step for step in steps if step]

    def _next_run(self, pairs: list[Pair], states: list[_PairState]) -> list[tuple[Attempt, str]]:
        """The attempts every pair of the group needs next (empty: the group is done)."""
        run: list[tuple[Attempt, str]] = []
        for k, (pair, state) in enumerate(zip(pairs, states, strict=True)):
            if not state.active or state.definitional:
                continue
            if not state.tried_iff:
                state.tried_iff = True
                run.append((Attempt(k, "iff"), _iff(_spelling(k, pair), self.heartbeats)))
            for direction in _DIRECTIONS:
                run += self._next_for_direction(k, pair, state, direction)
        return run

    def _next_for_direction(
        self, k: int, pair: Pair, state: _PairState, direction: str
    ) -> list[tuple[Attempt, str]]:
        found = state.directions[direction]
        if found.proved:
            if _vacuous(state, direction) and _both_proved(state) and direction not in state.transported:
                state.transported.add(direction)
                transports = self._untried_transports(state, direction)
                if transports:  # with their own probes: those decide whether a proof counts
                    tries = self._attempts(k, pair, direction, [("prove", s) for s in transports])
                    return tries + self._probes(k, pair, state, direction, transports)
            return self._probes(k, pair, state, direction, self._needed_probes(state, direction))
        step = state.step[direction]
        if found.refuted or step >= len(self.steps):
            return []
        state.step[direction] = step + 1
        return self._attempts(k, pair, direction, self.steps[step])

    def _attempts(
        self, k: int, pair: Pair, direction: str, tries: list[tuple[str, Script]]
    ) -> list[tuple[Attempt, str]]:
        """Each (role, script) as an attempt on the direction: "prove" `A → B`, "refute"
        `¬ (A → B)`, "probe" `True → B` (with the script's probe tactic)."""
        spelling = _spelling(k, pair)
        goal = spelling.goal(direction)
        goals = {"prove": goal, "refute": f"¬ ({goal})", "probe": f"True → {spelling.target(direction)}"}
        return [
            (
                Attempt(k, role, direction, s),
                self._example(goals[role], spelling.tactic(s.probe_tactic if role == "probe" else s.tactic)),
            )
            for role, s in tries
        ]

    def _needed_probes(self, state: _PairState, direction: str) -> tuple[Script, ...]:
        """The vacuity probes that can still change whether a proved direction is vacuous (see
        `_vacuous`): one transport that proved it and fails its probe settles "not vacuous",
        whatever else holds, so a transport's direction probes the cheapest such script first;
        a direction only decision procedures proved is vacuous once any probe succeeds, so it
        probes stage by stage until one does."""
        probed, held = state.probed[direction], state.probe_proved[direction]
        transports = [s for s in state.proved_by[direction] if s.transport]
        if any(s.name in probed and s.name not in held for s in transports):
            return ()
        if transports:
            return tuple(s for s in transports if s.name not in probed)[:1]
        if held:
            return ()
        for stage in (1, 2):
            todo = tuple(s for s in self._scripts(stage) if s.name not in probed)
            if todo:
                return todo
        return ()

    def _untried_transports(self, state: _PairState, direction: str) -> tuple[Script, ...]:
        """Stage 2's transport scripts not yet tried on a direction, for one proved so far only
        vacuously in a pair whose both directions are proved (the only place a transport can
        still change a verdict): without them a pair of true statements (which a decision
        procedure proves alone) could never count."""
        passed_over = state.passed_over[direction]
        if state.step[direction] >= len(self.steps):  # stage 2 ran on it: they failed
            return passed_over
        return passed_over + tuple(s for s in self._portfolio(2) if s.transport)

    async def _search_open_directions(
        self, pairs: list[Pair], states: list[_PairState], limits: Limits
    ) -> None:
        """ReProver on each direction neither proved nor refuted; then vacuity probes for its finds."""
        assert self.reprover is not None
        probes: list[tuple[Attempt, str]] = []
        for k, (pair, state) in enumerate(zip(pairs, states, strict=True)):
            if not state.active or state.definitional:
                continue
            for direction in _DIRECTIONS:
                if state.directions[direction].proved or state.directions[direction].refuted:
                    continue
                found = await self.reprover.prove(
                    pair.goal(direction), self.pool, self.heartbeats, pair.preamble.wrap
                )
                state.seconds += found.seconds
                if found.proof is None:
                    continue
                script = Script(self.reprover.name, "\n".join(found.proof))
                state.proved_by[direction].append(script)
                state.directions[direction] = DirectionResult(
                    proved=True, script=script.name, proof=script.tactic
                )
                probes += self._probes(k, pair, state, direction, proving_scripts(self.mathlib))
                # The vacuity probe gets the same prover: can ReProver prove the target alone?
                target = f"True → ({pair.target(direction).prop})"
                alone = await self.reprover.prove(target, self.pool, self.heartbeats, pair.preamble.wrap)
                state.seconds += alone.seconds
                if alone.proof is not None:
                    state.probe_proved[direction].add(self.reprover.name)
        await self._run(pairs, states, probes, limits)

    def _probes(
        self, k: int, pair: Pair, state: _PairState, direction: str, portfolio: tuple[Script, ...]
    ) -> list[tuple[Attempt, str]]:
        """`True → B` with each script not yet probed: is B provable without the hypothesis?"""
        todo = [s for s in portfolio if s.name not in state.probed[direction]]
        state.probed[direction].update(s.name for s in todo)
        return self._attempts(k, pair, direction, [("probe", s) for s in todo])

    async def _replay(self, pair: Pair, state: _PairState, limits: Limits) -> None:
        """The proofs behind a 1 (or a refutation behind a 0) checked again in a document of their
        own; a proof that fails there makes the pair an error (its run's environment differed
        from a clean one), never a verdict."""
        _settle_vacuity(state)
        if not state.active or not (_decided(state) or state.counterexamples):
            return
        claims = _replay_claims(pair, state, self.heartbeats)
        todo = [claim for claim in claims if claim not in state.replays]  # (see `_own_documents`)
        if todo:
            document = Document(chunks=[pair.preamble.wrap(text) for _, text in todo])
            try:
                result = await self.pool.run(
                    document, limits.timeout, limits.wait_s, stall_s=stall_limit_s(self.heartbeats)
                )
            except LeanTimeout as error:
                state.error = f"replaying the proofs in a clean document: {error}"
                return
            state.seconds += result.elapsed_s
            for index, claim in enumerate(todo):
                state.replays[claim] = _succeeded(result.for_chunk(index))
        failed = sorted({name for name, text in claims if not state.replays[name, text]})
        if failed:
            log.warning("proofs that did not replay in a clean document: %s", failed)
            state.error = f"proofs did not hold in a clean document (environment pollution?): {failed}"
            return
        state.replayed = True

    # ------------------------------------------------------------ reading results

    async def _run(
        self,
        pairs: list[Pair],
        states: list[_PairState],
        run: list[tuple[Attempt, str]],
        limits: Limits,
    ) -> None:
        """One Lean run; an attempt on which Lean stalls is dropped (it failed) and the rest run
        again, so one pathological attempt cannot cost its whole group a verdict."""
        if not run:
            return
        run = _with_declarations(pairs, run, CONFIRM_HEARTBEATS_FACTOR * self.heartbeats)
        # Unless told otherwise, every attempt may spend its whole heartbeat budget.
        timeout = limits.timeout or 60 + len(run) * self.heartbeats / HEARTBEATS_PER_SECOND

        def drop(index: int, stalled: LeanTimeout) -> list[int]:
            return _drop_stalled(states, run, index, str(stalled))

        ran, result = await self.pool.run_dropping_stalls(
            _document(pairs, run),
            drop,
            max_stalls=MAX_STALLS_PER_RUN * len({attempt.pair for attempt, _ in run}),
            stall_s=stall_limit_s(self.heartbeats),
            timeout=timeout,
            wait_s=limits.wait_s,
        )
        touched = {run[index][0].pair for index in ran}
        for pair_index in touched:
            states[pair_index].seconds += result.elapsed_s / len(touched)
        for index in ran:
            attempt = run[index][0]
            _record(pairs[attempt.pair], states[attempt.pair], attempt, result, index)


def _own_documents(
    pairs: list[Pair], states: list[_PairState], run: list[tuple[Attempt, str]], heartbeats: int
) -> list[list[tuple[Attempt, str]]]:
    """The run split into the group's document and one of its own for each pair whose both
    directions are proved and that needs only vacuity probes now: that pair's proofs are replayed
    there first (see `_replay`), then its probes run, so a pair that a transport proves costs one
    Lean run fewer.

    Why the replay stays clean: its examples come first, after nothing but the pair's preamble,
    and Lean elaborates a document's commands in order, so nothing later in it (the pair's
    declarations, its probes) can change what they see: it is the replay document of `_replay`
    with more commands after it. The probes are the ones the group's run would hold, in the same
    form and with the same budgets, so vacuity is judged as before."""
    own: dict[int, list[tuple[Attempt, str]]] = {}
    for attempt, chunk in run:
        own.setdefault(attempt.pair, []).append((attempt, chunk))
    for k, attempts in list(own.items()):
        state = states[k]
        alone = state.definitional or not _both_proved(state) or not _decided(state)
        if alone or any(attempt.role != "probe" for attempt, _ in attempts):
            del own[k]
            continue
        claims = [c for c in _replay_claims(pairs[k], state, heartbeats) if c not in state.replays]
        own[k] = [(Attempt(k, "replay", name, claim=text), text) for name, text in claims] + attempts
    shared = [(attempt, chunk) for attempt, chunk in run if attempt.pair not in own]
    return [shared, *own.values()]


def _explanation_run(pairs: list[Pair], states: list[_PairState]) -> list[tuple[Attempt, str]]:
    """What explains a 0, for the pairs the plan did not make equivalent: on each direction that
    does not count (not proved, or proved only vacuously), the obligations applying the source
    leaves (see obligations.py); on a pair left undecided (neither refuted nor proved both ways),
    a counterexample search per statement (see counterexample.py); on every such pair, whether a
    statement's hypotheses contradict each other. None can make a 1: they only explain a 0 (a
    counterexample makes an open pair `not_equivalent`)."""
    run: list[tuple[Attempt, str]] = []
    for k, (pair, state) in enumerate(zip(pairs, states, strict=True)):
        _settle_vacuity(state)
        if not state.active or state.definitional or _verdict(state, "strict") == "equivalent":
            continue
        for name, direction in state.directions.items():
            if not direction.counts("strict"):
                attempt = example(pair.goal(name), obligations.SCRIPT, DEFAULT_HEARTBEATS)
                run.append((Attempt(k, "obligations", name), attempt))
        directions = state.directions.values()
        undecided = not any(d.refuted for d in directions) and not all(d.proved for d in directions)
        for side in ("fs1", "fs2"):
            statement = pair.statement(side)
            if undecided and (found := counterexample_search(statement)) is not None:
                attempt = example(f"¬ ({statement.prop})", found.script(), DEFAULT_HEARTBEATS)
                run.append((Attempt(k, "counterexample", side), attempt))
            if (goal := contradiction_goal(statement)) is not None:
                attempt = example(goal, CONTRADICTION_SCRIPT, DEFAULT_HEARTBEATS)
                run.append((Attempt(k, "contradiction", side), attempt))
    return run


def _counterexample(pair: Pair, side: str, messages: list[Message]) -> Counterexample | None:
    """The point a successful search attempt names, with the proof at that point alone."""
    found = counterexample_search(pair.statement(side))
    index = None if found is None else found.found([m.text for m in messages])
    if found is None or index is None:
        return None
    point = found.points[index]
    return Counterexample(side=side, assignment=found.assignment(index), proof=found.proof(point))


_DECLARED_ROLES = frozenset({"iff", "prove", "probe", "refute"})
"""The attempts written with a pair's declared statements (the others are text)."""


def _with_declarations(
    pairs: list[Pair], run: list[tuple[Attempt, str]], heartbeats: int
) -> list[tuple[Attempt, str]]:
    """The run with each pair's declarations (see `_Spelling`) before its first attempt (after
    its replayed proofs, which are text: see `_own_documents`)."""
    declared: list[tuple[Attempt, str]] = []
    seen: set[int] = set()
    for attempt, chunk in run:
        if attempt.pair not in seen and attempt.role in _DECLARED_ROLES:
            seen.add(attempt.pair)
            spelling = _spelling(attempt.pair, pairs[attempt.pair])
            if spelling.names:
                text = _declarations(pairs[attempt.pair], spelling, heartbeats)
                declared.append((Attempt(attempt.pair, "declare"), text))
        declared.append((attempt, chunk))
    return declared


def _drop_stalled(
    states: list[_PairState], run: list[tuple[Attempt, str]], index: int, error: str
) -> list[int]:
    """The stalled attempt; all of its pair's attempts if a statement itself stalled Lean."""
    stalled = run[index][0]
    log.warning("dropping a stalled attempt (pair %d, %s %s): %s", stalled.pair, stalled.role,
                stalled.script.name if stalled.script else "", error)  # fmt: skip
    state = states[stalled.pair]
    if stalled.role == "declare":  # its attempts would fail for want of the names: none may count
        state.error = f"declaring the statements: {error}"
        return [k for k, (attempt, _) in enumerate(run) if attempt.pair == stalled.pair]
    if stalled.role == "probe" and stalled.script is not None:
        # Unknown whether the target is provable alone: assume it is (only ever fewer 1s).
        state.probe_proved[stalled.direction].add(stalled.script.name)
    return [index]


def _iff(spelling: _Spelling, heartbeats: int) -> str:
    """The definitional fast path, bounded: defeq checks can run away."""
    goal = f"{spelling.fs1} ↔ {spelling.fs2}"
    return f"set_option maxHeartbeats {heartbeats} in\nexample : {goal} := Iff.rfl"


def _decided(state: _PairState) -> set[VerdictName]:
    """The verdicts (strict or logical) that rest on proofs, and so must be replayed."""
    return {_verdict(state, "strict"), _verdict(state, "logical")} & {"equivalent", "not_equivalent"}


def _replay_claims(pair: Pair, state: _PairState, heartbeats: int) -> list[tuple[str, str]]:
    """(claim name, example) for every proof the pair's verdicts rest on: both directions' proofs
    when a verdict is `equivalent`, and every refutation."""
    if state.definitional:
        return [("Iff.rfl", _iff(_Spelling.text(pair), heartbeats))]
    claims: list[tuple[str, str]] = []
    equivalent = "equivalent" in _decided(state)
    for name, direction in state.directions.items():
        if equivalent and direction.proved and direction.proof is not None:
            claims.append((name, example(pair.goal(name), direction.proof, heartbeats)))
            script = next((s for s in state.proved_by[name] if s.name == direction.script), None)
            if script is not None and script.tactic != direction.proof:  # e.g. exact?'s term: either holds
                claims.append((name, example(pair.goal(name), script.tactic, heartbeats)))
        if direction.refuted and direction.refutation is not None:
            claims.append((f"¬{name}", example(f"¬ ({pair.goal(name)})", direction.refutation, heartbeats)))
    for side, found in state.counterexamples.items():
        statement = pair.statement(side)
        claims.append((f"¬{side}", example(f"¬ ({statement.prop})", found.proof, heartbeats)))
    return claims


# A goal on which every script does its real work: `exact?` searches the library (no hypothesis
# closes it), `omega`/`simp_all`/`grind` prove it, `decide` fails on its free variables.
_WARM_UP_GOAL = "True → ∀ (a b : Nat), a + b = b + a"


def warm_up_chunks(heartbeats: int = DEFAULT_HEARTBEATS, mathlib: bool = False) -> list[str]:
    """Every portfolio script once, run as a session starts: Lean builds its lazy caches (the
    library index of `exact?`, the first `omega`/`grind` call, …) there and not inside a job, where
    they cost a fresh session's first check up to 7.6 CPU-seconds on a single command."""
    proofs = [example(_WARM_UP_GOAL, s.tactic, heartbeats) for s in proving_scripts(mathlib)]
    return proofs + [example(f"¬ ({_WARM_UP_GOAL})", s.tactic, heartbeats) for s in REFUTE]


def _document(pairs: list[Pair], run: list[tuple[Attempt, str]]) -> Document:
    """The Lean document of a run: each attempt inside its pair's preamble section."""
    return Document(chunks=[pairs[attempt.pair].preamble.wrap(chunk) for attempt, chunk in run])


def _succeeded(messages: list[Message]) -> bool:
    """No error, and no sorry (LSP diagnostics carry no message kind, so its text is checked)."""
    return not any(m.severity == "error" or (m.severity == "warning" and "sorry" in m.text) for m in messages)


def _record(pair: Pair, state: _PairState, attempt: Attempt, result: RunResult, index: int) -> None:
    messages = result.for_chunk(index)
    ok = _succeeded(messages)
    if attempt.role == "replay":
        state.replays[attempt.direction, attempt.claim] = ok
        return
    if attempt.role == "counterexample":
        if ok and (refuted := _counterexample(pair, attempt.direction, messages)) is not None:
            state.counterexamples[attempt.direction] = refuted
        return
    if attempt.role == "obligations":
        obligations.read(state.directions[attempt.direction], attempt.direction, messages)
        return
    if attempt.role == "contradiction":
        if ok:
            state.contradictory.add(attempt.direction)
        return
    if attempt.role == "declare":
        # Confirmed statements declare without error; if one did not, the pair's attempts in this
        # run failed for want of a name, and a failed probe would pass for a real one.
        if not ok:
            state.error = f"declaring the statements: {[m.text for m in messages if m.severity == 'error']}"
        return
    if state.error is not None:
        return
    if attempt.role == "iff":
        if ok:
            state.definitional = True
            for direction in _DIRECTIONS:
                state.directions[direction] = DirectionResult(proved=True, script="Iff.rfl", proof="Iff.rfl")
        return
    if not ok or state.definitional:
        return
    script = attempt.script
    assert script is not None
    found = state.directions[attempt.direction]
    if attempt.role == "prove" and script.alternatives:  # a `first_of`: which one held
        held = script.held([m.text for m in messages])
        if held is None:
            return
        state.passed_over[attempt.direction] = script.alternatives[script.alternatives.index(held) + 1 :]
        script = held
    if attempt.role == "prove":
        state.proved_by[attempt.direction].append(script)
        recorded = next((s for s in state.proved_by[attempt.direction] if s.name == found.script), None)
        # the proof shown (and replayed) is a transport where one exists: strict mode rests on it
        if not found.proved or (script.transport and recorded is not None and not recorded.transport):
            found.proved = True
            found.script = script.name
            found.proof = _proof_text(script, messages)
    elif attempt.role == "probe":
        state.probe_proved[attempt.direction].add(script.name)
    elif attempt.role == "refute" and not found.refuted:
        found.refuted = True
        found.refutation = script.tactic


def _proof_text(script: Script, messages: list[Message]) -> str:
    """The tactic script; for `exact?`, the term it found (from its "Try this" suggestion)."""
    for message in messages:
        if (found := _TRY_THIS.search(message.text)) is not None:
            return script.tactic.replace("exact?", found.group(1).strip())
    return script.tactic


def _both_proved(state: _PairState) -> bool:
    """Both directions proved (vacuously or not): only then can a transport make the pair's
    strict verdict `equivalent`, so only then are stage 2's transports worth their time."""
    return all(d.proved for d in state.directions.values())


def _vacuous(state: _PairState, direction: str) -> bool:
    """Target provable alone, and no transport script that proved it failed its own probe."""
    if state.definitional or not state.probe_proved[direction]:
        return False
    return not any(
        s.transport and s.name not in state.probe_proved[direction] for s in state.proved_by[direction]
    )


def _settle_vacuity(state: _PairState) -> None:
    for name, direction in state.directions.items():
        direction.vacuous = direction.proved and _vacuous(state, name)


def _verdict(state: _PairState, mode: Mode) -> VerdictName:
    if state.refusal is not None:
        return "invalid"
    if state.error is not None:
        return "error"
    if state.unsupported:
        return "unsupported"
    if state.ill_typed:
        return "ill_typed"
    directions = state.directions.values()
    if all(d.counts(mode) for d in directions):
        return "equivalent"
    if any(d.refuted for d in directions) or len(state.counterexamples) == 1:
        return "not_equivalent"
    return "unknown"


def _score(state: _PairState, mode: Mode) -> float | None:
    """The graded score (see `CheckResult.score`)."""
    if not state.active:
        return None
    first, second = (direction.score(mode) for direction in state.directions.values())
    return None if first is None or second is None else round((first + second) / 2, 3)


def _result(
    state: _PairState, mode: Mode, version: str, backend: str, prover: str, share: float
) -> CheckResult:
    _settle_vacuity(state)
    for direction in state.directions.values():
        direction.seconds = round(state.seconds / 2, 3)
    strict, logical = _verdict(state, "strict"), _verdict(state, "logical")
    chosen = strict if mode == "strict" else logical
    return CheckResult(
        prover=prover,
        verdict=chosen,
        equivalent=int(chosen == "equivalent"),
        mode=mode,
        verdict_strict=strict,
        verdict_logical=logical,
        fs1_to_fs2=state.directions[_DIRECTIONS[0]],
        fs2_to_fs1=state.directions[_DIRECTIONS[1]],
        definitional=state.definitional,
        score=_score(state, mode),
        counterexamples=[state.counterexamples[side] for side in sorted(state.counterexamples)],
        reference_false="fs1" in state.counterexamples,
        contradictory_hypotheses=sorted(state.contradictory),
        replayed=state.replayed,
        messages=state.messages,
        error=state.error,
        refusal=Refusal.of(state.refusal) if state.refusal else None,
        unsupported=Unsupported(names=state.unsupported) if state.unsupported else None,
        lean_version=version,
        backend=backend,
        seconds=round(state.seconds or share, 3),
    )
