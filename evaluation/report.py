"""One self-contained HTML report of a scored test set: summary, plots (inline SVG, no external
files or scripts), and a per-pair table with a side-by-side diff and the proofs found."""

from __future__ import annotations

import difflib
import html
from collections import Counter, defaultdict
from typing import Any

from evaluation.score import ScoredItem

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}
.diff td{font-family:monospace;font-size:12px;border:none}.diff_add{background:#dfd}.diff_chg{background:#ffd}
.diff_sub{background:#fdd}pre{margin:0;white-space:pre-wrap}svg{margin-right:2em}
.counterexample{color:#a00}code{white-space:pre-wrap;overflow-wrap:anywhere}
"""


def bar_chart(title: str, values: dict[str, float], unit: str = "", width: int = 360) -> str:
    if not values:
        return ""
    top = max(values.values()) or 1
    rows = []
    for index, (label, value) in enumerate(values.items()):
        y = 24 + index * 22
        length = (width - 170) * value / top
        rows.append(
            f'<text x="0" y="{y + 12}" font-size="12">{html.escape(label)}</text>'
            f'<rect x="120" y="{y}" width="{length:.1f}" height="16" fill="#4a7ebb"/>'
            f'<text x="{125 + length:.1f}" y="{y + 12}" font-size="12">{value:g}{unit}</text>'
        )
    height = 30 + 22 * len(values)
    return (
        f'<svg width="{width}" height="{height}" role="img"><text x="0" y="14" font-weight="bold" '
        f'font-size="13">{html.escape(title)}</text>{"".join(rows)}</svg>'
    )


def _category(item: ScoredItem) -> str:
    return item.item.id.split("/")[0].split("_")[0] or "?"


def _accuracy_by_category(scored: list[ScoredItem]) -> dict[str, float]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for s in scored:
        if s.item.label is not None and s.predicted is not None:
            groups[_category(s)].append(s.item.label == s.predicted)
    return {name: round(sum(hits) / len(hits), 3) for name, hits in sorted(groups.items())}


def _time_histogram(scored: list[ScoredItem]) -> dict[str, float]:
    bins: Counter[str] = Counter()
    for s in scored:
        if s.result is not None and not s.cached:
            edge = next((e for e in (0.5, 1, 2, 5, 10, 30) if s.result.seconds <= e), None)
            bins[f"≤ {edge} s" if edge else "> 30 s"] += 1
    order = [f"≤ {e} s" for e in (0.5, 1, 2, 5, 10, 30)] + ["> 30 s"]
    return {k: bins[k] for k in order if bins[k]}


def _pair_row(s: ScoredItem, differ: difflib.HtmlDiff) -> str:
    diff = differ.make_table(
        s.item.fs1.splitlines(), (s.item.fs2 or "").splitlines(), "reference", "candidate"
    )
    proofs = ""
    if s.result is not None:
        for name, direction in (("fs1 → fs2", s.result.fs1_to_fs2), ("fs2 → fs1", s.result.fs2_to_fs1)):
            found = direction.proof or (f"refuted: {direction.refutation}" if direction.refuted else "open")
            vacuous = " (vacuous)" if direction.vacuous else ""
            proofs += f"<div><b>{name}</b>{vacuous}: <code>{html.escape(found)}</code></div>"
        for example in s.result.counterexamples:
            side = "reference" if example.side == "fs1" else "candidate"
            point = ", ".join(f"{k} = {v}" for k, v in example.assignment.items()) or "as stated"
            proofs += (
                f"<div class='counterexample'><b>{side} fails at {html.escape(point)}</b>"
                " (kernel-checked)</div>"
            )
        for side in s.result.contradictory_hypotheses:
            name = "reference" if side == "fs1" else "candidate"
            proofs += f"<div class='counterexample'><b>{name}'s hypotheses contradict each other</b></div>"
    if s.invalid:
        proofs = f"<div>refused: {html.escape(str(s.invalid.get('message')))}</div>"
    label = "" if s.item.label is None else s.item.label
    return (
        f"<tr><td>{html.escape(s.item.id)}</td><td>{label}</td><td>{s.predicted}</td>"
        f"<td>{html.escape(s.verdict)}</td><td>{diff}{proofs}</td></tr>"
    )


def render_report(title: str, summary: dict[str, Any], scored: list[ScoredItem]) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in summary.items()
    )
    charts = (
        bar_chart("Verdicts", dict(Counter(s.verdict for s in scored)))
        + bar_chart("Accuracy by category", _accuracy_by_category(scored))
        + bar_chart("Time per pair (new checks)", _time_histogram(scored))
    )
    differ = difflib.HtmlDiff(wrapcolumn=70)
    pairs = "".join(_pair_row(s, differ) for s in scored)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
        f"<table>{rows}</table><div>{charts}</div><h2>Pairs</h2>"
        f"<table class='pairs'><tr><th>id</th><th>label</th><th>predicted</th><th>verdict</th>"
        f"<th>reference ↔ candidate, proofs</th></tr>{pairs}</table></body></html>"
    )
