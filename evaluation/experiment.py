"""The seed's experiment as one command: three rows a paper would quote.

1. fs* vs fs*: every reference against itself (must all be 1).
2. fs* vs transformation(fs*): meaning-preserving and meaning-changing rewrites with known
   verdicts (precision, recall).
3. fs* vs LLM(is*): the model's statements against the references (equivalence and type-check
   rates; agreement with labels where the set has them).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from evaluation.sanity import generate_cases
from evaluation.score import score_items, scoring_checker, summarize
from evaluation.testset import TestItem
from service.config import Settings

ROW_KEYS = (
    "pairs",
    "equivalence_rate_strict",
    "equivalence_rate_logical",
    "type_check_rate",
    "precision",
    "recall",
    "accuracy",
    "seconds_per_pair",
)


def transformation_items(references: list[TestItem]) -> list[TestItem]:
    cases = generate_cases([(item.id, item.fs1) for item in references])
    return [
        TestItem(id=c.id, fs1=c.fs1, fs2=c.fs2, label=c.expected if isinstance(c.expected, int) else 0)
        for c in cases
    ]


async def run_experiment(
    references: list[TestItem], settings: Settings, candidates: list[TestItem] | None = None
) -> dict[str, dict[str, Any]]:
    rows: list[tuple[str, list[TestItem]]] = [
        ("fs* vs fs*", [replace(item, fs2=item.fs1, label=1) for item in references]),
        ("fs* vs transformation(fs*)", transformation_items(references)),
    ]
    if candidates is not None:
        rows.append(("fs* vs LLM(is*)", candidates))
    table = {}
    async with scoring_checker(settings) as checker:  # one pool for every row
        for name, items in rows:
            summary = summarize(await score_items(checker, items, "strict"))
            table[name] = {"pairs": summary["items"], **{k: summary.get(k) for k in ROW_KEYS[1:]}}
    return table


def markdown_table(table: dict[str, dict[str, Any]]) -> str:
    header = "| experiment | " + " | ".join(ROW_KEYS) + " |"
    lines = [header, "|" + " --- |" * (len(ROW_KEYS) + 1)]
    for name, row in table.items():
        cells = ["—" if row.get(k) is None else f"{row[k]:g}" for k in ROW_KEYS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
