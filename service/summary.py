"""The one summary builder: the numbers a researcher reports about a set of checked pairs.

Both views of a scored set use it: a batch's status (counts made in SQL by `storage.batches`) and
`lean-equiv score` (counts made from the scored items in memory). A refused (`invalid`) item
counts as answered with 0: it is in every rate's denominator and, when labelled, a prediction 0.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from service.metrics import METRICS, Confusion, VerdictCounts, bootstrap_interval, rate

__all__ = ["BatchSummary", "LabelScores", "VerdictCounts", "batch_summary", "label_intervals", "label_scores"]

REPORTED = ("precision", "recall", "accuracy")


class LabelScores(BaseModel):
    labelled: int
    precision: float | None
    recall: float | None
    accuracy: float | None


def label_scores(labels: Counter[tuple[int, int]]) -> LabelScores | None:
    """Agreement with the labels, or None for an unlabelled set."""
    if not labels:
        return None
    confusion = Confusion.of_counts(labels)
    scores = {name: METRICS[name](confusion) for name in REPORTED}
    rounded = {k: None if v is None else round(v, 4) for k, v in scores.items()}
    return LabelScores(labelled=labels.total(), **rounded)


def label_intervals(labels: Counter[tuple[int, int]], rounds: int = 1000) -> dict[str, object]:
    """Every metric with its 95% bootstrap interval and the confusion matrix (for reports)."""
    pairs = list(labels.elements())
    confusion = Confusion.of_counts(labels)
    summary: dict[str, object] = {"labelled": len(pairs), "confusion": confusion.__dict__}
    for name, metric in METRICS.items():
        value = metric(confusion)
        interval = bootstrap_interval(pairs, metric, rounds) if pairs else None
        summary[name] = None if value is None else round(value, 4)
        summary[f"{name}_ci95"] = None if interval is None else [round(v, 4) for v in interval]
    return summary


class BatchSummary(BaseModel):
    """A batch's progress and scores, as `GET /v1/batches/{id}` reports them."""

    status: str
    total: int
    done: int
    """Items finished: done, invalid or error."""
    progress: float
    items: dict[str, int]
    """Items by status."""
    verdicts: dict[str, int]
    equivalence_rate_strict: float | None
    equivalence_rate_logical: float | None
    type_check_rate: float | None
    mean_score: float | None = None
    """The mean graded score of the checks that have one (see `CheckResult.score`)."""
    labelled: int | None = None
    precision: float | None = None
    recall: float | None = None
    accuracy: float | None = None


def batch_summary(status: str, total: int, statuses: Counter[str], counts: VerdictCounts) -> BatchSummary:
    ended = sum(statuses[s] for s in ("done", "invalid", "error", "cancelled"))
    scores = label_scores(counts.labels)
    return BatchSummary(
        status=status,
        total=total,
        done=sum(statuses[s] for s in ("done", "invalid", "error")),
        progress=rate(ended, total) or 0.0,
        items=dict(statuses),
        verdicts=dict(counts.verdicts),
        **counts.rates(),
        **(scores.model_dump() if scores else {}),
    )
