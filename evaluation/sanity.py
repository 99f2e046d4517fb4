"""Sanity suites: pairs with known verdicts, run through the engine, scored and reported.

Expected values: 1 (must be equivalent), 0 (must not be: any 1 here is a precision failure) or
"ill_typed" (a statement does not elaborate).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.transform import SANITY_KINDS, transform
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.verdict import CheckResult

Expected = int | str


@dataclass(frozen=True)
class SanityCase:
    id: str
    kind: str
    fs1: str
    fs2: str
    expected: Expected


# Hand-written pairs beside the generated ones: each names the property it pins down.
BUILTIN_CASES: tuple[SanityCase, ...] = (
    SanityCase("weaker_conclusion", "vacuous_provable", "theorem a (n : Nat) (h : n > 0) : 1 ≤ n",
               "theorem a (n : Nat) (h : n > 0) : 0 ≤ n", 0),
    SanityCase("reorder", "reorder_hypotheses", "theorem a (a b : Nat) (h1 : a < b) (h2 : b < 10) : a < 10",
               "theorem a (a b : Nat) (h2 : b < 10) (h1 : a < b) : a < 10", 1),
    SanityCase("ne_not_eq", "ne_to_not_eq", "theorem a (x : Nat) (h : x ≠ 2) : x + 1 ≠ 3",
               "theorem a (x : Nat) (h : ¬ x = 2) : ¬ x + 1 = 3", 1),
    SanityCase("curry", "conjoin_hypotheses", "theorem a (x : Nat) (h : x > 2 ∧ x < 5) : x * x > 4",
               "theorem a (x : Nat) (h1 : x > 2) (h2 : x < 5) : x * x > 4", 1),
    SanityCase("false_numeral", "change_numeral", "theorem a : 2 + 2 = 4", "theorem a : 2 + 2 = 5", 0),
    SanityCase("strengthened_hyp", "lt_to_le", "theorem a (n : Nat) (h : n < 5) : n < 6",
               "theorem a (n : Nat) (h : n ≤ 5) : n < 6", 0),
    SanityCase("forall_exists", "forall_to_exists", "theorem a : ∀ n : Nat, n + 0 = n",
               "theorem a : ∃ n : Nat, n + 0 = n", 0),
    SanityCase("dropped_hyp", "drop_hypothesis", "theorem a (f : Nat → Nat) (h : ∀ x, f x = 2 * x) : f 3 = 6",
               "theorem a (f : Nat → Nat) : f 3 = 6", 0),
    SanityCase("commuted_hyp", "commute", "theorem a (a b : Int) (h : a + b = 5) (h2 : a - b = 1) : a = 3",
               "theorem a (a b : Int) (h : b + a = 5) (h2 : a - b = 1) : a = 3", 1),
    SanityCase("lt_gt", "flip_lt_gt", "theorem a (x : Nat) : x + 1 > x",
               "theorem a (y : Nat) : y < y + 1", 1),
    SanityCase("other_true", "vacuous_provable", "theorem a (x : Nat) : x + 1 > x",
               "theorem a (x : Nat) : x + 2 > x", 0),
    SanityCase("bare_prop", "identical", "∀ n : Nat, n * 1 = n", "theorem t (n : Nat) : n * 1 = n", 1),
    SanityCase("ill_typed", "ill_typed", "theorem a (x : Nat) : x + \"one\" = 2",
               "theorem a (x : Nat) : x + 1 = 2", "ill_typed"),
    SanityCase("unknown_ident", "ill_typed", "theorem a : foo_undefined 3 = 2",
               "theorem a : 1 = 1", "ill_typed"),
)  # fmt: skip


def generate_cases(statements: list[tuple[str, str]], kinds: list[str] | None = None) -> list[SanityCase]:
    """Cases from (id, formal statement) rows; rewrites that do not apply are skipped."""
    cases = []
    for item_id, text in statements:
        for kind in kinds or SANITY_KINDS:
            result = transform(text, kind)
            if result.text is not None:
                cases.append(SanityCase(f"{item_id}/{kind}", kind, text, result.text, result.expected))
    return cases


def load_statements(path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(id, statement) rows; a row's `header` (`import Mathlib`, `open …`) goes in front of its
    statement, as the dataset's file has it."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [(row["id"], _with_header(row.get("header", ""), row["formal_statement"])) for row in rows[:limit]]


def _with_header(header: str, statement: str) -> str:
    return f"{header.strip()}\n{statement}" if header.strip() else statement


def load_suite(path: Path) -> list[SanityCase]:
    return [SanityCase(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]


@dataclass
class SuiteReport:
    cases: list[SanityCase]
    results: list[CheckResult]
    mismatches: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mismatches = [i for i, (c, r) in enumerate(self.pairs()) if not passed(c, r)]

    def pairs(self) -> list[tuple[SanityCase, CheckResult]]:
        return list(zip(self.cases, self.results, strict=True))

    @property
    def precision(self) -> float:
        predicted = [c for c, r in self.pairs() if r.equivalent == 1]
        return sum(c.expected == 1 for c in predicted) / len(predicted) if predicted else 1.0

    @property
    def recall(self) -> float:
        positives = [r for c, r in self.pairs() if c.expected == 1]
        return sum(r.equivalent == 1 for r in positives) / len(positives) if positives else 1.0


def passed(case: SanityCase, result: CheckResult) -> bool:
    if case.expected == "ill_typed":
        return result.verdict == "ill_typed"
    return result.verdict != "error" and result.equivalent == case.expected


async def run_suite(engine: EquivalenceEngine, cases: list[SanityCase]) -> SuiteReport:
    pairs = [Pair.parse(c.fs1, c.fs2) for c in cases]
    return SuiteReport(cases, await engine.check_many(pairs))


def baseline_of(report: SuiteReport) -> dict[str, str]:
    """What a baseline file stores: each case's strict verdict."""
    return {case.id: result.verdict for case, result in report.pairs()}


def baseline_changes(report: SuiteReport, baseline: dict[str, str]) -> dict[int, str]:
    """Cases whose verdict differs from the baseline (a CI regression), by case index."""
    changes = {}
    for index, (case, result) in enumerate(report.pairs()):
        before = baseline.get(case.id)
        if before != result.verdict:
            changes[index] = f"baseline {before or 'has no such case'}, now {result.verdict}"
    return changes


def write_junit(report: SuiteReport, path: Path, failures: dict[int, str] | None = None) -> None:
    """JUnit XML; failures are the expected-value mismatches unless others (baseline changes) are
    given."""
    if failures is None:
        failures = {
            i: f"expected {c.expected}, got {r.verdict}" for i, (c, r) in enumerate(report.pairs())
            if i in report.mismatches
        }  # fmt: skip
    suite = ET.Element(
        "testsuite", name="lean-equiv-sanity", tests=str(len(report.cases)), failures=str(len(failures))
    )
    for index, (case, result) in enumerate(report.pairs()):
        element = ET.SubElement(
            suite, "testcase", classname=case.kind, name=case.id, time=f"{result.seconds:.3f}"
        )
        if index in failures:
            failure = ET.SubElement(element, "failure", message=failures[index])
            failure.text = f"fs1: {case.fs1}\nfs2: {case.fs2}\n{result.model_dump_json(indent=2)}"
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
