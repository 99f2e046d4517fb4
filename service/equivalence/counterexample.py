"""Kernel-checked counterexamples: a small point at which a statement's body fails.

For `∀ binders, body` whose variables range over small types (`Nat`, `Int`, `Bool`, `Fin n`), a
grid of small values is tried in one Lean command per statement: `¬ S` by `first`, one
alternative per point, each `exact absurd (fun hyps => @h v₁ … hyps …) (by decide)` followed by
`trace "leq-point K"`. `first` keeps only the messages of the alternative that held, so the one
trace left names the point. The proof kept is that alternative alone, and it is replayed in a
clean document like every proof a verdict rests on (see engine.py).

Why a counterexample cannot be wrong: it is a kernel-checked proof of `¬ S` from nothing but the
statement's own hypothesis `h : S`, its values, and `decide` on the closed proposition left at
that point. The choices made here (which binders are variables, which values, how many) only
decide what is tried.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from service.equivalence.attempts import first_traced, traced_index
from service.equivalence.lexer import lex
from service.equivalence.statement import Statement

MAX_POINTS = 32
"""Points tried per statement: about 25 μs of Lean each when `decide` fails at once, so the
search costs one command's fixed price; more points only help single-variable statements."""
_FIN = re.compile(r"^Fin\s+(\d+)$")
_POINT = "leq-point"
_OPENING = "({[⦃"


@dataclass(frozen=True)
class Binder:
    names: tuple[str, ...]
    type: str
    bracket: str


def binder_groups(binders: str) -> list[Binder] | None:
    """`(a b : Nat) {h : a < b}` → its groups; None when a group has no type or is an instance
    (`[inst : …]`: its value cannot be written as a small literal)."""
    lexed = lex(binders)
    groups: list[Binder] = []
    depth, start = 0, 0
    for index, char in enumerate(binders):
        if not lexed.code[index] or char not in "({[⦃)}]⦄":
            continue
        if char in _OPENING:
            start = index if depth == 0 else start
            depth += 1
            continue
        depth -= 1
        if depth == 0:
            group = _group(binders[start], binders[start + 1 : index])
            if group is None:
                return None
            groups.append(group)
    return groups


def _group(bracket: str, inner: str) -> Binder | None:
    names, colon, type_text = inner.partition(":")
    if bracket == "[" or not colon or not names.split():
        return None
    return Binder(tuple(names.split()), type_text.strip(), bracket)


def values(type_text: str) -> list[str] | None:
    """The small values of a type, smallest first, written with their type; None: not small."""
    type_text = " ".join(type_text.split())
    if type_text in ("Nat", "ℕ"):
        return [f"({n} : {type_text})" for n in range(MAX_POINTS)]
    if type_text in ("Int", "ℤ"):
        ordered = [0] + [s * n for n in range(1, MAX_POINTS) for s in (1, -1)]
        return [f"({n} : {type_text})" for n in ordered]
    if type_text == "Bool":
        return ["false", "true"]
    if (fin := _FIN.match(type_text)) is not None:
        return [f"({n} : {type_text})" for n in range(min(int(fin.group(1)), MAX_POINTS))]
    return None


@dataclass(frozen=True)
class Search:
    """One statement's counterexample search: the points tried and the `¬ S` attempt."""

    variables: tuple[str, ...]
    points: tuple[tuple[str, ...], ...]
    arguments: tuple[str | None, ...]
    """Per binder name, in order: the variable's index in a point, or None for a hypothesis."""

    def proof(self, point: tuple[str, ...]) -> str:
        """The tactic script proving `¬ S` at one point."""
        hypotheses = [f"leq_h{i}" for i, a in enumerate(self.arguments) if a is None]
        given = iter(point)
        names = iter(hypotheses)
        arguments = " ".join(next(given) if a is not None else next(names) for a in self.arguments)
        instance = f"@h {arguments}" if arguments else "h"
        held = f"(fun {' '.join(hypotheses)} => {instance})" if hypotheses else f"({instance})"
        return f"intro h\nexact absurd {held} (by decide)"

    def script(self) -> str:
        """Every point as one alternative of `first`, each tracing its index when it holds."""
        return first_traced([self.proof(point).replace("\n", "; ") for point in self.points], _POINT)

    def found(self, texts: list[str]) -> int | None:
        """The index of the point that held, from the messages of the attempt that succeeded."""
        return traced_index(texts, _POINT)

    def assignment(self, index: int) -> dict[str, str]:
        return dict(zip(self.variables, (_bare(v) for v in self.points[index]), strict=True))


CONTRADICTION_SCRIPT = "intros\nfirst | omega | simp_all | decide"
"""Cheap on purpose (no `grind`): it runs on every statement of a pair that is not equivalent."""


def contradiction_goal(statement: Statement) -> str | None:
    """`∀ binders, False`, provable exactly when the statement's hypotheses contradict each other
    (or a variable's type is empty): the statement is then vacuously true, a classic
    autoformalization error. None for a statement without binders."""
    if not statement.binders:
        return None
    return Statement(text=statement.text, name=None, binders=statement.binders, type="False").prop


def _bare(value: str) -> str:
    """`(2 : Nat)` → `2`: how the point is shown."""
    return value.strip("()").split(" : ")[0]


def search(statement: Statement) -> Search | None:
    """The search for a statement whose every binder is a small variable or a hypothesis; None
    when some variable's type is not small (or a binder cannot be read)."""
    groups = binder_groups(statement.binders)
    if groups is None:
        return None
    variables: list[str] = []
    domains: list[list[str]] = []
    arguments: list[str | None] = []
    for group in groups:
        domain = values(group.type)
        for name in group.names:
            if domain is None:
                arguments.append(None)  # a hypothesis (anything else fails `decide`: never wrong)
            else:
                arguments.append(name)
                variables.append(name)
                domains.append(domain)
    return Search(tuple(variables), _grid(domains), tuple(arguments))


def _grid(domains: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """At most MAX_POINTS points, small values first (by the sum of their ranks)."""
    if not domains:
        return ((),)
    side = max(2, round(MAX_POINTS ** (1 / len(domains))))
    ranked = itertools.product(*(range(min(side, len(d))) for d in domains))
    chosen = sorted(ranked, key=lambda ranks: (sum(ranks), ranks))[:MAX_POINTS]
    return tuple(tuple(d[r] for d, r in zip(domains, ranks, strict=True)) for ranks in chosen)
