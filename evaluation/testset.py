"""Test sets: JSONL files of (informal statement, reference, candidate, label) items.

Canonical fields are `id`, `informal`, `fs1` (reference), `fs2` (candidate), `label` (1/0),
`preamble`. Common datasets name them differently; a preset or an explicit mapping renames them.
A line that cannot be read is reported with its number, and either skipped or the whole set is
rejected, never silently dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

CANONICAL = ("id", "informal", "fs1", "fs2", "label", "preamble")

# dataset field → canonical field
PRESETS: dict[str, dict[str, str]] = {
    "canonical": {},
    "proofnet": {"nl_statement": "informal", "formal_statement": "fs1"},
    "proofnetverif": {
        "nl_statement": "informal",
        "lean4_formalization": "fs1",
        "lean4_prediction": "fs2",
        "correct": "label",
    },
    "minif2f": {"informal_prefix": "informal", "formal_statement": "fs1", "name": "id"},
    "lean_equiv": {"reference": "fs1", "candidate": "fs2"},
}


class TestSetError(ValueError):
    """The set was rejected: its bad lines, with numbers."""

    __test__ = False  # not a pytest test class, despite the name


@dataclass(frozen=True)
class TestItem:
    __test__ = False
    id: str
    fs1: str
    fs2: str | None = None
    informal: str | None = None
    label: int | None = None
    preamble: str | None = None
    line: int = 0


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str


@dataclass
class TestSet:
    __test__ = False
    items: list[TestItem]
    problems: list[LineProblem] = field(default_factory=list)


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """`source=canonical` strings (the command line's --map) as a mapping."""
    mapping = {}
    for pair in pairs:
        source, _, target = pair.partition("=")
        if not source or target not in CANONICAL:
            raise TestSetError(f"bad --map {pair!r}: expected FIELD=one of {', '.join(CANONICAL)}")
        mapping[source] = target
    return mapping


def load_test_set(
    path: Path,
    preset: str = "canonical",
    mapping: dict[str, str] | None = None,
    require_candidate: bool = True,
    on_bad: Literal["skip", "reject"] = "skip",
) -> TestSet:
    if preset not in PRESETS:
        raise TestSetError(f"unknown field preset {preset!r}; known: {', '.join(PRESETS)}")
    renames = {**PRESETS[preset], **(mapping or {})}
    items, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(_item(json.loads(line), renames, number, require_candidate))
        except (json.JSONDecodeError, ValueError, TypeError) as error:
            problems.append(LineProblem(number, str(error)))
    if problems and on_bad == "reject":
        listed = "; ".join(f"line {p.line}: {p.message}" for p in problems[:10])
        raise TestSetError(f"{path}: {len(problems)} bad lines ({listed})")
    return TestSet(items, problems)


def _item(row: Any, renames: dict[str, str], number: int, require_candidate: bool) -> TestItem:
    if not isinstance(row, dict):
        raise ValueError("a line must be a JSON object")
    fields = {renames.get(key, key): value for key, value in row.items()}
    if not isinstance(fields.get("fs1"), str) or not fields["fs1"].strip():
        raise ValueError("no reference statement (fs1)")
    if require_candidate and not isinstance(fields.get("fs2"), str):
        raise ValueError("no candidate statement (fs2)")
    label = fields.get("label")
    if isinstance(label, bool):
        label = int(label)
    if label not in (None, 0, 1):
        raise ValueError(f"label must be 0, 1 or absent, not {label!r}")
    return TestItem(
        id=str(fields.get("id", number)),
        fs1=fields["fs1"],
        fs2=fields.get("fs2"),
        informal=fields.get("informal"),
        label=label,
        preamble=fields.get("preamble"),
        line=number,
    )
