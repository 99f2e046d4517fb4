"""One self-contained HTML report of a scored test set: headline metrics with their intervals, a
confusion-matrix picture, verdicts by reason, and a pair table that sorts and filters in the
browser (inline SVG and one small script; no external files), each pair with why it got its
verdict (the counterexample, the blocking obligation) and, folded, the diff and the proofs."""

from __future__ import annotations

import difflib
import html
from collections import Counter, defaultdict
from typing import Any

from evaluation.score import ScoredItem
from service.equivalence.verdict import CheckResult, DirectionResult

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1250px}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}
th{background:#f4f4f4;text-align:left}.pairs th{cursor:pointer;user-select:none}
.diff td{font-family:monospace;font-size:12px;border:none}.diff_add{background:#dfd}.diff_chg{background:#ffd}
.diff_sub{background:#fdd}pre{margin:0;white-space:pre-wrap}svg{margin:0 2em 1em 0;vertical-align:top}
.why{color:#a00}.mismatch td:first-child{border-left:4px solid #c33}
code{white-space:pre-wrap;overflow-wrap:anywhere}
.headline td{font-size:15px}.ci{color:#666;font-size:12px}#filters{margin:1em 0}#filters>*{margin-right:1em}
details summary{cursor:pointer;color:#36c}.diff{max-width:100%;overflow-x:auto;display:block}
.pairs td:first-child{overflow-wrap:anywhere;min-width:12em;max-width:18em}details{margin:.5em 0}
.pairs td:last-child{min-width:34em}
"""

_SCRIPT = """
const table=document.querySelector('table.pairs'),rows=[...table.tBodies[0].rows];
function filter(){const v=verdict.value,l=label.value,m=mismatch.checked,q=query.value.toLowerCase();
let shown=0;for(const r of rows){const ok=(!v||r.dataset.verdict===v)&&(!l||r.dataset.label===l)
&&(!m||r.classList.contains('mismatch'))&&(!q||r.textContent.toLowerCase().includes(q));
r.hidden=!ok;shown+=ok}count.textContent=shown+' of '+rows.length+' pairs'}
for(const e of [verdict,label,mismatch,query])e.addEventListener('input',filter);
table.tHead.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{
const up=th.dataset.order!=='up';th.dataset.order=up?'up':'down';
const key=r=>{const t=r.cells[i].textContent,n=parseFloat(t);return isNaN(n)?t:n};
rows.sort((a,b)=>{const x=key(a),y=key(b);return (x>y)-(x<y)}).forEach(r=>up?table.tBodies[0].append(r)
:table.tBodies[0].prepend(r))}));filter();
"""

_HEADLINE = (
    "items", "answered", "accuracy", "precision", "recall", "f1", "equivalence_rate_strict",
    "equivalence_rate_logical", "mean_score", "seconds_per_pair",
)  # fmt: skip


def bar_chart(title: str, values: dict[str, float], unit: str = "", width: int = 420) -> str:
    if not values:
        return ""
    top = max(values.values()) or 1
    rows = []
    for index, (label, value) in enumerate(values.items()):
        y = 24 + index * 22
        length = (width - 250) * value / top
        rows.append(
            f'<text x="0" y="{y + 12}" font-size="12">{html.escape(label)}</text>'
            f'<rect x="200" y="{y}" width="{length:.1f}" height="16" fill="#4a7ebb"/>'
            f'<text x="{205 + length:.1f}" y="{y + 12}" font-size="12">{value:g}{unit}</text>'
        )
    height = 30 + 22 * len(values)
    return (
        f'<svg width="{width}" height="{height}" role="img"><text x="0" y="14" font-weight="bold" '
        f'font-size="13">{html.escape(title)}</text>{"".join(rows)}</svg>'
    )


def confusion_matrix(confusion: dict[str, int]) -> str:
    """The 2×2 picture: labels down, predictions across, each cell shaded by its share."""
    cells = {(1, 1): "tp", (1, 0): "fn", (0, 1): "fp", (0, 0): "tn"}
    total = sum(confusion.get(name, 0) for name in cells.values()) or 1
    parts = [
        '<text x="0" y="14" font-weight="bold" font-size="13">Confusion matrix</text>',
        '<text x="150" y="36" font-size="12" text-anchor="middle">predicted 1</text>',
        '<text x="250" y="36" font-size="12" text-anchor="middle">predicted 0</text>',
    ]
    for row, label in enumerate((1, 0)):
        y = 44 + row * 60
        parts.append(f'<text x="0" y="{y + 34}" font-size="12">label {label}</text>')
        for column, predicted in enumerate((1, 0)):
            name = cells[(label, predicted)]
            count = confusion.get(name, 0)
            right = label == predicted
            colour = f"rgba({'40,140,60' if right else '200,50,50'},{0.15 + 0.85 * count / total:.2f})"
            x = 100 + column * 100
            parts.append(
                f'<rect x="{x}" y="{y}" width="98" height="58" fill="{colour}"/>'
                f'<text x="{x + 49}" y="{y + 28}" font-size="16" text-anchor="middle">{count}</text>'
                f'<text x="{x + 49}" y="{y + 46}" font-size="11" text-anchor="middle">{name.upper()}</text>'
            )
    return f'<svg width="320" height="170" role="img">{"".join(parts)}</svg>'


def reason(s: ScoredItem) -> str:
    """Why a pair got its verdict, in the report's words."""
    result = s.result
    if s.invalid:
        return "refused (invalid)"
    if result is None or result.verdict == "error":
        return "error"
    if result.verdict == "equivalent":
        return "equivalent"
    if result.verdict == "unsupported":
        return "needs Mathlib"
    if result.verdict == "ill_typed":
        return "ill-typed"
    if result.contradictory_hypotheses:
        return "contradictory hypotheses"
    if result.verdict == "not_equivalent":
        refuted = any(d.refuted for d in _directions(result))
        return "refuted: a direction" if refuted else "refuted: counterexample"
    if any(d.vacuous for d in _directions(result)):
        return "vacuous"
    kinds = {o.kind for d in _directions(result) for o in d.obligations}
    if kinds:
        return "blocked: conclusion" if "conclusion" in kinds else "blocked: hypothesis"
    return "unknown"


def _directions(result: CheckResult) -> tuple[DirectionResult, DirectionResult]:
    return result.fs1_to_fs2, result.fs2_to_fs1


def _categories(scored: list[ScoredItem]) -> dict[str, list[ScoredItem]]:
    """Items by the prefix of their id (`mathd_…`, `amc12_…`); empty when that groups nothing
    (every prefix its own, or one prefix for all)."""
    groups: dict[str, list[ScoredItem]] = defaultdict(list)
    for s in scored:
        groups[s.item.id.split("/")[0].split("_")[0] or "?"].append(s)
    if len(groups) < 2 or max(len(g) for g in groups.values()) < 2:
        return {}
    return groups


def _accuracy_by_category(scored: list[ScoredItem]) -> dict[str, float]:
    accuracy = {}
    for name, group in sorted(_categories(scored).items()):
        hits = [
            s.item.label == s.predicted for s in group if s.item.label is not None and s.predicted is not None
        ]
        if hits:
            accuracy[name] = round(sum(hits) / len(hits), 3)
    return accuracy if len(accuracy) > 1 else {}


def _time_histogram(scored: list[ScoredItem]) -> dict[str, float]:
    bins: Counter[str] = Counter()
    for s in scored:
        if s.result is not None and not s.cached:
            edge = next((e for e in (0.5, 1, 2, 5, 10, 30) if s.result.seconds <= e), None)
            bins[f"≤ {edge} s" if edge else "> 30 s"] += 1
    order = [f"≤ {e} s" for e in (0.5, 1, 2, 5, 10, 30)] + ["> 30 s"]
    return {k: bins[k] for k in order if bins[k]}


def _why(s: ScoredItem) -> str:
    """The explanation shown in the pair's row: counterexamples, contradictions, obligations."""
    if s.invalid:
        return f"refused: {html.escape(str(s.invalid.get('message')))}"
    if s.result is None:
        return html.escape(s.error or "")
    lines = []
    for example in s.result.counterexamples:
        side = "reference" if example.side == "fs1" else "candidate"
        point = ", ".join(f"{k} = {v}" for k, v in example.assignment.items()) or "as stated"
        lines.append(f"<b>{side} fails at {html.escape(point)}</b> (kernel-checked)")
    for side in s.result.contradictory_hypotheses:
        name = "reference" if side == "fs1" else "candidate"
        lines.append(f"<b>{name}'s hypotheses contradict each other</b>")
    for name, direction in zip(("fs1 → fs2", "fs2 → fs1"), _directions(s.result), strict=True):
        lines += [f"{name}: {_code_spans(o.summary)}" for o in direction.obligations]
    if s.result.error:
        lines.append(html.escape(s.result.error))
    return "<br>".join(lines)


def _code_spans(text: str) -> str:
    """`a` → <code>a</code>, the rest escaped."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if k % 2 else p for k, p in enumerate(parts))


def _details(s: ScoredItem, differ: difflib.HtmlDiff) -> str:
    diff = differ.make_table(
        s.item.fs1.splitlines(), (s.item.fs2 or "").splitlines(), "reference", "candidate"
    )
    proofs = ""
    if s.result is not None:
        for name, direction in zip(("fs1 → fs2", "fs2 → fs1"), _directions(s.result), strict=True):
            found = direction.proof or (f"refuted: {direction.refutation}" if direction.refuted else "open")
            vacuous = " (vacuous)" if direction.vacuous else ""
            proofs += f"<div><b>{name}</b>{vacuous}: <code>{html.escape(found)}</code></div>"
            for obligation in direction.obligations:
                proofs += f"<pre>{html.escape(obligation.goal)}</pre>"
        for example in s.result.counterexamples:
            proofs += f"<div>¬ {example.side}: <code>{html.escape(example.proof)}</code></div>"
    return f"<details><summary>diff and proofs</summary>{diff}{proofs}</details>"


def _pair_row(s: ScoredItem, differ: difflib.HtmlDiff) -> str:
    label = "" if s.item.label is None else str(s.item.label)
    predicted = "" if s.predicted is None else str(s.predicted)
    score = "" if s.result is None or s.result.score is None else f"{s.result.score:.2f}"
    mismatch = " class='mismatch'" if label and predicted and label != predicted else ""
    return (
        f"<tr{mismatch} data-verdict='{html.escape(s.verdict)}' data-label='{label}'>"
        f"<td>{html.escape(s.item.id)}</td><td>{label}</td><td>{predicted}</td>"
        f"<td>{html.escape(s.verdict)}</td><td>{score}</td><td>{html.escape(reason(s))}</td>"
        f"<td><div class='why'>{_why(s)}</div>{_details(s, differ)}</td></tr>"
    )


def _metric(summary: dict[str, Any], name: str) -> str:
    value = summary[name]
    interval = summary.get(f"{name}_ci95")
    shown = f"{value:.3f}" if isinstance(value, float) else html.escape(str(value))
    if interval:
        shown += f" <span class='ci'>95% CI [{interval[0]:.3f}, {interval[1]:.3f}]</span>"
    return f"<tr><th>{html.escape(name.replace('_', ' '))}</th><td>{shown}</td></tr>"


def _summary_tables(summary: dict[str, Any]) -> str:
    headline = "".join(_metric(summary, k) for k in _HEADLINE if summary.get(k) is not None)
    rest = {
        k: v for k, v in summary.items()
        if k not in _HEADLINE and not k.endswith("_ci95") and k != "confusion" and v is not None
    }  # fmt: skip
    other = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rest.items()
    )
    return (
        f"<table class='headline'>{headline}</table>"
        f"<details><summary>all figures</summary><table>{other}</table></details>"
    )


def _filters(scored: list[ScoredItem]) -> str:
    verdicts = "".join(f"<option>{html.escape(v)}</option>" for v in sorted({s.verdict for s in scored}))
    return (
        "<div id='filters'><label>verdict <select id='verdict'><option value=''>all</option>"
        f"{verdicts}</select></label><label>label <select id='label'><option value=''>all</option>"
        "<option>1</option><option>0</option></select></label>"
        "<label><input type='checkbox' id='mismatch'> label ≠ prediction only</label>"
        "<input id='query' type='search' placeholder='search ids, statements, reasons'>"
        "<span id='count'></span></div>"
    )


def render_report(title: str, summary: dict[str, Any], scored: list[ScoredItem]) -> str:
    charts = ""
    if isinstance(summary.get("confusion"), dict):
        charts += confusion_matrix(summary["confusion"])
    charts += (
        bar_chart("Verdicts by reason", dict(Counter(reason(s) for s in scored).most_common()))
        + bar_chart("Accuracy by category", _accuracy_by_category(scored))
        + bar_chart("Time per pair (new checks)", _time_histogram(scored))
    )
    differ = difflib.HtmlDiff(wrapcolumn=60)
    pairs = "".join(_pair_row(s, differ) for s in scored)
    head = "".join(
        f"<th>{name}</th>" for name in ("id", "label", "pred.", "verdict", "score", "reason", "why")
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
        f"{_summary_tables(summary)}<div>{charts}</div><h2>Pairs</h2>{_filters(scored)}"
        f"<table class='pairs'><thead><tr>{head}</tr></thead><tbody>{pairs}</tbody></table>"
        f"<script>{_SCRIPT}</script></body></html>"
    )
