"""Agreement of predicted equivalence (0/1) with human labels, with bootstrap confidence intervals."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

Pairs = list[tuple[int, int]]  # (label, predicted)


@dataclass(frozen=True)
class Confusion:
    tp: int
    fp: int
    fn: int
    tn: int

    @classmethod
    def of(cls, pairs: Pairs) -> Confusion:
        return cls.of_counts(Counter(pairs))

    @classmethod
    def of_counts(cls, counts: Counter[tuple[int, int]]) -> Confusion:
        """From (label, predicted) counts already made, e.g. by a database's GROUP BY."""
        return cls(tp=counts[(1, 1)], fp=counts[(0, 1)], fn=counts[(1, 0)], tn=counts[(0, 0)])

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


def rate(count: int, total: int) -> float | None:
    """A share rounded for reports; None when there is nothing to divide by."""
    return round(count / total, 4) if total else None


def _ratio(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None


def precision(c: Confusion) -> float | None:
    return _ratio(c.tp, c.tp + c.fp)


def recall(c: Confusion) -> float | None:
    return _ratio(c.tp, c.tp + c.fn)


def accuracy(c: Confusion) -> float | None:
    return _ratio(c.tp + c.tn, c.total)


def f1(c: Confusion) -> float | None:
    return _ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn)


def kappa(c: Confusion) -> float | None:
    """Cohen's κ: agreement beyond what the two marginals give by chance."""
    if not c.total:
        return None
    observed = (c.tp + c.tn) / c.total
    chance = ((c.tp + c.fp) * (c.tp + c.fn) + (c.fn + c.tn) * (c.fp + c.tn)) / c.total**2
    return _ratio(observed - chance, 1 - chance) if chance != 1 else None


METRICS: dict[str, Callable[[Confusion], float | None]] = {
    "precision": precision,
    "recall": recall,
    "accuracy": accuracy,
    "f1": f1,
    "kappa": kappa,
}


def bootstrap_interval(
    pairs: Pairs, metric: Callable[[Confusion], float | None], rounds: int = 1000, seed: int = 0
) -> tuple[float, float] | None:
    """95% percentile interval over resamples of the items (fixed seed: reports are reproducible)."""
    chooser = random.Random(seed)
    values = sorted(
        v
        for _ in range(rounds)
        if (v := metric(Confusion.of(chooser.choices(pairs, k=len(pairs))))) is not None
    )
    if not values:
        return None
    return values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]


@dataclass
class VerdictCounts:
    """How many answered items got each verdict, and (label, predicted) for the labelled ones."""

    verdicts: Counter[str] = field(default_factory=Counter)
    strict_equivalent: int = 0
    logical_equivalent: int = 0
    labels: Counter[tuple[int, int]] = field(default_factory=Counter)
    score_total: float = 0.0
    scored: int = 0
    """Checks with a graded score (`CheckResult.score`), and the sum of their scores."""

    @property
    def answered(self) -> int:
        return self.verdicts.total()

    def rates(self) -> dict[str, float | None]:
        typed = self.answered - sum(self.verdicts[v] for v in ("ill_typed", "unsupported", "invalid"))
        return {
            "equivalence_rate_strict": rate(self.strict_equivalent, self.answered),
            "equivalence_rate_logical": rate(self.logical_equivalent, self.answered),
            "type_check_rate": rate(typed, self.answered),
            "mean_score": round(self.score_total / self.scored, 4) if self.scored else None,
        }
