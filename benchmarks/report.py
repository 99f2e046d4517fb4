"""How every benchmark prints its results: one two-column table, measure and result."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank `q` quantile of a non-empty sample."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def naive_row(unit: str, seconds_each: float, sampled: int, parallel: int, count: int) -> tuple[str, str]:
    """The naive baseline (a fresh `lean` process per `unit`), measured on a sample and scaled."""
    return (
        f"naive: one lean process per {unit} ({sampled} measured, {parallel} at a time)",
        f"{seconds_each:.1f} s/{unit} → {seconds_each * count:.0f} s for {count}",
    )


def print_table(
    title: str, rows: Iterable[tuple[str, ...]], columns: tuple[str, ...] = ("measure", "result")
) -> None:
    """One row per measure; a comparison passes more columns (e.g. baseline, ours, ratio)."""
    table = Table(title=title)
    table.add_column(columns[0])
    for column in columns[1:]:
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*row)
    Console().print(table)
