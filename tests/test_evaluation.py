"""Evaluation: test-set loading, agreement metrics, and `lean-equiv score` end to end (real Lean,
real SQLite database, the real command line)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from evaluation.sanity import BUILTIN_CASES, baseline_changes, baseline_of
from evaluation.testset import TestSetError, load_test_set, parse_mapping
from service.metrics import Confusion, bootstrap_interval, f1, kappa, precision, recall
from service.summary import label_intervals
from tests.conftest import MINIF2F_CORE


def _write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows))
    return path


def test_proofnetverif_fields_are_mapped_and_bad_lines_reported(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "set.jsonl",
        [
            {
                "id": "a",
                "nl_statement": "n is one",
                "lean4_formalization": "n = 1",
                "lean4_prediction": "1 = n",
                "correct": True,
            },
            "{not json",
            {"id": "c", "nl_statement": "x", "lean4_formalization": "True"},
            {"id": "d", "lean4_formalization": "True", "lean4_prediction": "True", "correct": 2},
        ],
    )
    loaded = load_test_set(path, "proofnetverif")
    assert [(i.id, i.informal, i.fs1, i.fs2, i.label, i.line) for i in loaded.items] == [
        ("a", "n is one", "n = 1", "1 = n", 1, 1)
    ]
    assert [(p.line, p.message.split(":")[0]) for p in loaded.problems] == [
        (2, "Expecting property name enclosed in double quotes"),
        (3, "no candidate statement (fs2)"),
        (4, "label must be 0, 1 or absent, not 2"),
    ]
    with pytest.raises(TestSetError, match="3 bad lines"):
        load_test_set(path, "proofnetverif", on_bad="reject")
    custom = load_test_set(
        path, "canonical", parse_mapping(["lean4_formalization=fs1", "lean4_prediction=fs2"])
    )
    assert len(custom.items) == 2  # line 4's label is named `correct`, unmapped here: no label


def test_agreement_metrics_on_a_known_confusion_matrix() -> None:
    pairs = [(1, 1)] * 40 + [(0, 1)] * 10 + [(1, 0)] * 20 + [(0, 0)] * 30
    confusion = Confusion.of(pairs)
    assert (confusion.tp, confusion.fp, confusion.fn, confusion.tn) == (40, 10, 20, 30)
    assert precision(confusion) == 0.8 and recall(confusion) == pytest.approx(40 / 60)
    assert f1(confusion) == pytest.approx(80 / 110)
    assert kappa(confusion) == pytest.approx((0.7 - 0.5) / 0.5)  # observed 0.7, chance 0.5
    low, high = bootstrap_interval(pairs, precision)  # type: ignore[misc]
    assert low < 0.8 < high and high - low < 0.3
    assert label_intervals(Counter([(1, 1)]))["kappa"] is None  # undefined with one class, not a crash


def test_baseline_comparison_flags_every_change() -> None:
    from evaluation.sanity import SuiteReport
    from service.equivalence.verdict import CheckResult

    cases = list(BUILTIN_CASES[:3])
    verdicts = ["not_equivalent", "equivalent", "equivalent"]
    results = [
        CheckResult(verdict=v, equivalent=int(v == "equivalent"), mode="strict", verdict_strict=v,
                    verdict_logical=v) for v in verdicts
    ]  # fmt: skip
    report = SuiteReport(cases, results)
    baseline = baseline_of(report)
    assert baseline_changes(report, baseline) == {}
    baseline[cases[1].id] = "unknown"
    del baseline[cases[2].id]
    assert baseline_changes(report, baseline) == {
        1: "baseline unknown, now equivalent",
        2: "baseline has no such case, now equivalent",
    }


@pytest.mark.lean
def test_score_command_reports_resumes_and_writes_html(tmp_path: Path) -> None:
    chosen = [c for c in BUILTIN_CASES if c.expected in (0, 1)][:6]
    rows = [{"id": c.id, "fs1": c.fs1, "fs2": c.fs2, "label": c.expected} for c in chosen]
    refuted = "theorem b (n : Nat) (h : 1 < n) : 4 < n ^ 2"  # false at n = 2
    holds = refuted.replace("1 < n", "2 < n")
    rows.append({"id": "counterexample", "fs1": holds, "fs2": refuted, "label": 0})
    rows.append(
        {"id": "refused", "fs1": "True", "fs2": "theorem t : True := by native_decide\n#eval 1", "label": 0}
    )
    test_set = _write_jsonl(tmp_path / "set.jsonl", [*rows, "oops"])
    env = {**os.environ, "LEAN_EQUIV_DATA_DIR": str(tmp_path / "data"), "LEAN_EQUIV_POOL_SIZE": "1"}
    command = [sys.executable, "-m", "service.cli", "score", str(test_set), "--json"]

    first = subprocess.run([*command, "--report", str(tmp_path / "r.html")], env=env, capture_output=True,
                           text=True, timeout=900)  # fmt: skip
    assert first.returncode == 0, first.stderr[-2000:]
    output = json.loads(first.stdout)
    summary, items = output["summary"], output["items"]
    assert [i["id"] for i in items] == [r["id"] for r in rows]
    assert summary["skipped_lines"] == [{"line": 9, "message": "Expecting value: line 1 column 1 (char 0)"}]
    errors = {i["id"]: i["result"] and i["result"]["error"] for i in items if i["verdict"] == "error"}
    assert (summary["items"], summary["errors"], summary["cached"]) == (8, 0, 0), errors
    assert items[-1]["verdict"] == "invalid" and items[-1]["equivalent"] == 0
    assert summary["precision"] == 1.0 and summary["labelled"] == 8
    expected_accuracy = sum(i["label"] == i["equivalent"] for i in items) / 8
    [found] = next(i for i in items if i["id"] == "counterexample")["result"]["counterexamples"]
    assert found["assignment"] == {"n": "2"}
    assert summary["accuracy"] == round(expected_accuracy, 4)
    report = (tmp_path / "r.html").read_text()
    assert (
        "Confusion matrix" in report
        and "Verdicts by reason" in report
        and all(r["id"] in report for r in rows)
    )
    assert "candidate fails at n = 2</b> (kernel-checked)" in report
    assert "fs1 → fs2: hypothesis <code>2 &lt; n</code> of fs1 is not derived from fs2" in report
    assert next(i for i in items if i["id"] == "counterexample")["result"]["score"] == 0.75
    assert summary["mean_score"] is not None

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert json.loads(again.stdout)["summary"]["cached"] == 7  # every stored verdict reused: no Lean run


@pytest.mark.lean
async def test_experiment_rows_on_a_public_statement(tmp_path: Path) -> None:
    from evaluation.experiment import markdown_table, run_experiment
    from evaluation.score import score_items, scoring_checker
    from evaluation.testset import TestItem
    from service.config import Settings

    rows = [json.loads(line) for line in MINIF2F_CORE.read_text().splitlines() if line.strip()]
    row = next(r for r in rows if r["id"] == "aime_1994_p3")
    reference = TestItem(id=row["id"], fs1=row["formal_statement"], informal=row["informal"])
    settings = Settings(pool_size=1, data_dir=tmp_path)
    table = await run_experiment([reference], settings)
    identity, transformed = table["fs* vs fs*"], table["fs* vs transformation(fs*)"]
    assert (identity["pairs"], identity["equivalence_rate_strict"], identity["recall"]) == (1, 1.0, 1.0)
    assert transformed["pairs"] >= 5 and transformed["precision"] == 1.0
    assert markdown_table(table).splitlines()[2].startswith("| fs* vs fs* | 1 | 1 |")

    # a re-run the cache answers whole starts no Lean session (the experiment's pool started on its
    # first run, never explicitly)
    async with scoring_checker(settings) as checker:
        again = await score_items(checker, [replace(reference, fs2=reference.fs1)], "strict")
        assert again[0].cached and again[0].predicted == 1
        assert (checker.engine.pool.runs, checker.engine.pool.ready_sessions) == (0, 0)
