"""Statement transformations with known verdicts, for sanity suites.

They work on the parsed statement (binder groups and the type, split by the same lexer that
validates input), never on whole strings: a rewrite that cannot be applied safely returns None
and the suite says it was skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from service.equivalence.lexer import MATHLIB_TOKENS, OPENERS, lex
from service.equivalence.preamble import split_header
from service.equivalence.statement import Statement, parse_statement

_TOKENS = MATHLIB_TOKENS
"""Rewrites read statements with Mathlib's apostrophe tokens (`f '' s`), so Mathlib-style input
can be rewritten too; what they produce is validated again, with the right tokens, when a suite
parses its pairs."""
_NUMERAL = re.compile(r"(?<![\w.'])(\d+)(?![\w.'])")


@dataclass(frozen=True)
class Binder:
    bracket: str
    names: list[str]
    type: str

    def render(self) -> str:
        return f"{self.bracket}{' '.join(self.names)} : {self.type}{OPENERS[self.bracket]}"


def split_binders(binders: str) -> list[Binder] | None:
    """`(a b : Nat) (h : a < b)` → binder groups; None when a group is not `names : type`."""
    lexed = lex(binders, _TOKENS)
    groups, start = [], None
    for index, char in enumerate(binders):
        if char in OPENERS and lexed.code[index] and lexed.depth[index] == 1:
            start = index
        elif start is not None and lexed.code[index] and lexed.depth[index] == 0 and not char.isspace():
            inner = binders[start + 1 : index]
            names, colon, type_text = inner.partition(":")
            if not colon or not names.split():
                return None
            groups.append(Binder(binders[start], names.split(), type_text.strip()))
            start = None
    return groups


_DATA_CLASSES = ("Fintype", "Decidable", "DecidableEq", "DecidablePred", "DecidableRel", "Inhabited")
"""Classes whose instances are data, not proofs: a binder `(h : Fintype (f ⁻¹' {7}))` is no
hypothesis to drop or conjoin (the statement would not elaborate without it)."""


def _is_hypothesis(binder: Binder) -> bool:
    data = (binder.type.split() or [""])[0] in _DATA_CLASSES
    return binder.bracket == "(" and all(n.startswith("h") for n in binder.names) and not data


def _word(name: str) -> str:
    """The pattern of `name` as a whole identifier (not part of `name'`, `x.name`, `name₁`…)."""
    return rf"(?<![\w.']){re.escape(name)}(?![\w'])"


def _mentions(text: str, name: str) -> bool:
    return re.search(_word(name), text) is not None


def _rebuild(statement: Statement, binders: list[Binder], type_text: str) -> str:
    rendered = " ".join(b.render() for b in binders)
    return f"theorem {statement.name or 'stmt'} {rendered} : {type_text}"


def _rename(statement: Statement, binders: list[Binder]) -> str | None:
    mapping = {n: f"{n}_r" for b in binders for n in b.names if n.isidentifier() and n != "_"}
    if not mapping:
        return None

    def swap(text: str) -> str:
        for old, new in mapping.items():
            text = re.sub(_word(old), new, text)
        return text

    renamed = [Binder(b.bracket, [mapping.get(n, n) for n in b.names], swap(b.type)) for b in binders]
    return _rebuild(statement, renamed, swap(statement.type))


def _reorder(statement: Statement, binders: list[Binder]) -> str | None:
    for i in range(len(binders) - 1):
        first, second = binders[i], binders[i + 1]
        if (
            _is_hypothesis(first)
            and _is_hypothesis(second)
            and not any(_mentions(second.type, n) for n in first.names)
        ):
            swapped = [*binders[:i], second, first, *binders[i + 2 :]]
            return _rebuild(statement, swapped, statement.type)
    return None


def _top_level(text: str, symbol: str) -> list[int]:
    """Where `symbol` occurs at bracket depth 0, in code."""
    lexed = lex(text, _TOKENS)
    return [
        i for i in range(len(text)) if text.startswith(symbol, i) and lexed.code[i] and lexed.depth[i] == 0
    ]


def _single_relation(text: str, symbol: str) -> tuple[str, str] | None:
    """`X symbol Y` when symbol occurs once, at top level, with no other relation around it."""
    hits = _top_level(text, symbol)
    others = [s for s in ("<", ">", "≤", "≥", "=", "≠", "↔", "→", "∧", "∨", "∀", "∃", "¬") if s != symbol]
    if len(hits) != 1:
        return None
    left, right = text[: hits[0]].strip(), text[hits[0] + len(symbol) :].strip()
    if any(o in left or o in right for o in others) or not left or not right:
        return None
    return left, right


def _rewrite_relation(
    statement: Statement, binders: list[Binder], symbol: str, render: Callable[[str, str], str]
) -> str | None:
    """Rewrite the first hypothesis, else the conclusion, that is a single `X symbol Y`."""
    for i, binder in enumerate(binders):
        if (sides := _single_relation(binder.type, symbol)) is not None:
            rewritten = Binder(binder.bracket, binder.names, render(*sides))
            return _rebuild(statement, [*binders[:i], rewritten, *binders[i + 1 :]], statement.type)
    if (sides := _single_relation(statement.type, symbol)) is not None:
        return _rebuild(statement, binders, render(*sides))
    return None


def _flip_lt(statement: Statement, binders: list[Binder]) -> str | None:
    return _rewrite_relation(statement, binders, "<", lambda left, right: f"{right} > {left}")


def _ne_to_not_eq(statement: Statement, binders: list[Binder]) -> str | None:
    return _rewrite_relation(statement, binders, "≠", lambda left, right: f"¬ ({left} = {right})")


def _conjoin(statement: Statement, binders: list[Binder]) -> str | None:
    for i in range(len(binders) - 1):
        first, second = binders[i], binders[i + 1]
        names = first.names + second.names
        if (
            _is_hypothesis(first)
            and _is_hypothesis(second)
            and len(names) == 2
            and not any(_mentions(statement.type, n) or _mentions(second.type, n) for n in names)
        ):
            joined = Binder("(", ["h_conj"], f"({first.type}) ∧ ({second.type})")
            return _rebuild(statement, [*binders[:i], joined, *binders[i + 2 :]], statement.type)
    return None


def _change_numeral(statement: Statement, binders: list[Binder]) -> str | None:
    matches = list(_NUMERAL.finditer(statement.type))
    if not matches:
        return None
    last = matches[-1]
    changed = statement.type[: last.start()] + str(int(last.group()) + 1) + statement.type[last.end() :]
    return _rebuild(statement, binders, changed)


def _lt_to_le(statement: Statement, binders: list[Binder]) -> str | None:
    if (sides := _single_relation(statement.type, "<")) is None:
        return None
    return _rebuild(statement, binders, f"{sides[0]} ≤ {sides[1]}")


def _drop_hypothesis(statement: Statement, binders: list[Binder]) -> str | None:
    for i in range(len(binders) - 1, -1, -1):
        binder = binders[i]
        if _is_hypothesis(binder) and not any(_mentions(statement.type, n) for n in binder.names):
            return _rebuild(statement, [*binders[:i], *binders[i + 1 :]], statement.type)
    return None


def _replace_first(statement: Statement, binders: list[Binder], old: str, new: str) -> str | None:
    """The first top-level `old` of a hypothesis, else of the conclusion, becomes `new`."""
    for i, binder in enumerate(binders):
        if _is_hypothesis(binder) and (hits := _top_level(binder.type, old)):
            at = hits[0]
            rewritten = Binder(
                binder.bracket, binder.names, binder.type[:at] + new + binder.type[at + len(old) :]
            )
            return _rebuild(statement, [*binders[:i], rewritten, *binders[i + 1 :]], statement.type)
    if hits := _top_level(statement.type, old):
        at = hits[0]
        return _rebuild(statement, binders, statement.type[:at] + new + statement.type[at + len(old) :])
    return None


def _and_to_or(statement: Statement, binders: list[Binder]) -> str | None:
    return _replace_first(statement, binders, "∧", "∨")


def _le_to_lt(statement: Statement, binders: list[Binder]) -> str | None:
    return _replace_first(statement, binders, "≤", "<")


def _wrong_variable(statement: Statement, binders: list[Binder]) -> str | None:
    """In the conclusion, the first mention of a variable replaced by another of the same type."""
    variables = [(n, b.type) for b in binders if not _is_hypothesis(b) for n in b.names]
    for name, type_text in variables:
        if not _mentions(statement.type, name):
            continue
        for other, other_type in variables:
            if other != name and other_type == type_text:
                return _rebuild(statement, binders, re.sub(_word(name), other, statement.type, count=1))
    return None


def _forall_to_exists(statement: Statement, binders: list[Binder]) -> str | None:
    if not statement.type.startswith("∀"):
        return None
    return _rebuild(statement, binders, "∃" + statement.type[1:])


Rewrite = Callable[[Statement, list[Binder]], "str | None"]

TRANSFORMATIONS: dict[str, tuple[Rewrite, int]] = {
    "identical": (lambda s, b: _rebuild(s, b, s.type), 1),
    "rename_binders": (_rename, 1),
    "reorder_hypotheses": (_reorder, 1),
    "flip_lt_gt": (_flip_lt, 1),
    "ne_to_not_eq": (_ne_to_not_eq, 1),
    "conjoin_hypotheses": (_conjoin, 1),
    "change_numeral": (_change_numeral, 0),
    "lt_to_le": (_lt_to_le, 0),
    "drop_hypothesis": (_drop_hypothesis, 0),
    "forall_to_exists": (_forall_to_exists, 0),
    "and_to_or": (_and_to_or, 0),
    "le_to_lt": (_le_to_lt, 0),
    "wrong_variable": (_wrong_variable, 0),
}
MEASURED_ONLY = ("and_to_or", "le_to_lt", "wrong_variable")
"""Rewrites `benchmarks.answers` measures that the sanity suite leaves out: their label 0 is
sometimes wrong (`n ≤ 9` and `n < 9` agree when another hypothesis forces `n = 4`), and the
suite's generated cases, and so `.ci/sanity-baseline.json`, stay as they are."""
SANITY_KINDS = [kind for kind in TRANSFORMATIONS if kind not in MEASURED_ONLY]


@dataclass(frozen=True)
class Transformed:
    kind: str
    text: str | None
    expected: int
    skipped_because: str | None = None


def transform(text: str, kind: str) -> Transformed:
    """The rewrite applied to the statement; header lines it starts with (`import Mathlib`,
    `open …`, as datasets carry them) are kept in front of the result unchanged."""
    rewrite, expected = TRANSFORMATIONS[kind]
    header, body = split_header(text)
    result = _transform_body(body, kind, rewrite, expected)
    if header and result.text is not None:
        return replace(result, text=f"{header}\n{result.text}")
    return result


def _transform_body(text: str, kind: str, rewrite: Rewrite, expected: int) -> Transformed:
    statement = parse_statement(text, _TOKENS)
    binders = split_binders(statement.binders)
    if binders is None:
        return Transformed(kind, None, expected, "binders are not all `names : type` groups")
    rewritten = rewrite(statement, binders)
    if rewritten is None:
        return Transformed(kind, None, expected, "no place where the rewrite applies safely")
    return Transformed(kind, rewritten, expected)
