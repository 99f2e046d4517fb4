"""The HTTP service as users meet it: real `lean-equiv serve` processes on loopback ports, real
Lean, driven with httpx, over SQLite and over PostgreSQL."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import HTTPException
from sqlalchemy import func, select

from evaluation.sanity import BUILTIN_CASES
from service.api.dependencies import require_api_key
from service.config import Settings
from service.storage.database import Database
from service.storage.models import BatchItemRow, CheckRow
from tests.conftest import LEARNED_TACTIC
from tests.service_harness import Server, database_url, free_port, wait_for_batch
from tests.test_hostile import AXIOM_INJECTION, CHAR_FORGERY
from tests.test_prover import INDUCTION_PAIR

pytestmark = pytest.mark.lean
DATABASES = ["sqlite", "postgresql"]
BODY_LIMIT = 200_000
API_KEY = "s3cret"


@pytest.fixture(scope="module")
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Server]]:
    """One server per database, and one with ReProver (the tiny trained model) behind an API key,
    all started at once: their Lean sessions warm up together, and the model trains meanwhile."""
    with contextlib.ExitStack() as stack:
        launched = {}
        for kind in DATABASES:
            directory = tmp_path_factory.mktemp(f"service-{kind}")
            url = stack.enter_context(database_url(kind, directory))
            launched[kind] = Server(url, directory / "server.log", max_body_bytes=str(BODY_LIMIT)).launch()
            stack.callback(launched[kind].stop)
        with contextlib.suppress(pytest.skip.Exception):  # no torch: no ReProver server
            model = request.getfixturevalue("tactic_model")
            directory = tmp_path_factory.mktemp("service-reprover")
            reprover = {"reprover_model": str(model), "reprover_k": "4", "reprover_expansions": "4",
                        "reprover_device": "cpu"}  # fmt: skip
            database = f"sqlite:///{directory / 'db.sqlite'}"
            launched["reprover"] = Server(
                database, directory / "server.log", api_key=API_KEY, **reprover
            ).launch()
            stack.callback(launched["reprover"].stop)
        yield {kind: server.wait_ready() for kind, server in launched.items()}


@pytest.fixture(scope="module", params=DATABASES)
def server(request: pytest.FixtureRequest, servers: dict[str, Server]) -> Server:
    return servers[request.param]


def _post_check(url: str, fs1: str, fs2: str, **options: object) -> httpx.Response:
    return httpx.post(f"{url}/v1/check", json={"fs1": fs1, "fs2": fs2, **options}, timeout=300)


def test_check_round_trip_is_stored_and_cached(server: Server) -> None:
    fs1 = "theorem t (n : Nat) (h : 0 < n) : 1 ≤ n"
    first = _post_check(server.url, fs1, "theorem u (m : Nat) (h : m > 0) : 1 ≤ m")
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["equivalent"], body["verdict"], body["cached"]) == (1, "equivalent", False)
    assert body["fs1_to_fs2"]["proof"] == "Iff.rfl"

    runs = httpx.get(f"{server.url}/v1/info").json()["lean_runs"]
    # The same request modulo names, comments and spacing: answered from the database.
    again = _post_check(
        server.url,
        "theorem other (n : Nat) (h : 0 < n) :   1 ≤ n -- same",
        "theorem v (m : Nat) (h : m > 0) : 1 ≤ m",
    )
    assert (again.json()["cached"], again.json()["id"]) == (True, body["id"])
    assert httpx.get(f"{server.url}/v1/info").json()["lean_runs"] == runs

    stored = httpx.get(f"{server.url}/v1/checks/{body['id']}").json()
    assert (stored["verdict"], stored["fs1_to_fs2"]["proof"]) == ("equivalent", "Iff.rfl")

    logical = _post_check(server.url, fs1, "theorem u (m : Nat) (h : m > 0) : 1 ≤ m", mode="logical")
    assert (logical.json()["cached"], logical.json()["mode"]) == (False, "logical")


def test_a_counterexample_is_answered_and_stored(server: Server) -> None:
    holds = "theorem a (n : Nat) (h : 2 < n) : 4 < n ^ 2"
    response = _post_check(server.url, holds, holds.replace("2 < n", "1 < n"))  # fails at n = 2
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["verdict"], body["replayed"], body["reference_false"]) == ("not_equivalent", True, False)
    stored = httpx.get(f"{server.url}/v1/checks/{body['id']}").json()
    assert stored["counterexamples"] == body["counterexamples"]
    assert [(c["side"], c["assignment"]) for c in stored["counterexamples"]] == [("fs2", {"n": "2"})]
    [blocked] = body["fs1_to_fs2"]["obligations"]  # fs2's weaker hypothesis does not give fs1's
    assert blocked["summary"] == "hypothesis `2 < n` of fs1 is not derived from fs2's hypotheses"
    assert body["score"] == stored["score"] == 0.75  # fs1 → fs2: 1 of 2 obligations; fs2 → fs1 proved
    database = Database(server.database)
    try:
        with database.session() as session:
            assert session.scalar(select(CheckRow.score).where(CheckRow.id == body["id"])) == 0.75
    finally:
        database.dispose()


def test_cli_check_asks_a_running_server(server: Server) -> None:
    """`lean-equiv check --server URL` starts no Lean: the server answers (here from its cache of
    the test above or fresh), a refusal is exit 2 as locally, and a server that is not there 3."""
    holds = "theorem a (n : Nat) (h : 2 < n) : 4 < n ^ 2"
    command = [sys.executable, "-m", "service.cli", "check", "--json", "--server", server.url]
    answered = subprocess.run([*command, holds, holds.replace("2 < n", "1 < n")], capture_output=True,
                              text=True, timeout=300)  # fmt: skip
    assert answered.returncode == 1, answered.stderr[-2000:]
    result = json.loads(answered.stdout)
    assert (result["verdict"], result["counterexamples"][0]["assignment"]) == ("not_equivalent", {"n": "2"})
    refused = subprocess.run([*command, "True", "theorem t : True := by native_decide\n#eval 1"],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert refused.returncode == 2 and json.loads(refused.stdout)["error"] == "invalid_input"
    gone = [*command[:-1], f"http://127.0.0.1:{free_port()}", "True", "True"]
    assert subprocess.run(gone, capture_output=True, text=True, timeout=60).returncode == 3


def test_bad_requests_get_clear_errors(server: Server) -> None:
    invalid = _post_check(server.url, "theorem t : 1 = 1\n#eval 1", "True")
    assert invalid.status_code == 422
    assert invalid.json()["detail"] == {
        "reason": "command",
        "message": "commands (#…) are not allowed in a statement",
        "span": [18, 20],
    }
    bad_mode = _post_check(server.url, "True", "True", mode="lenient")
    assert bad_mode.status_code == 422 and bad_mode.json()["detail"][0]["loc"] == ["body", "mode"]
    bad_preamble = _post_check(server.url, "True", "True", preamble="def evil : False := sorry")
    assert bad_preamble.status_code == 422 and bad_preamble.json()["detail"]["reason"] == "preamble_command"
    bad_import = _post_check(server.url, "True", "True", preamble="import Lean")  # Mathlib/Aesop only
    assert bad_import.status_code == 422 and bad_import.json()["detail"]["reason"] == "unsupported_import"

    huge = httpx.post(
        f"{server.url}/v1/check",
        content=b"x" * (BODY_LIMIT + 1),
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413 and "over the limit" in huge.json()["detail"]

    assert httpx.get(f"{server.url}/v1/checks/nope").status_code == 404
    assert httpx.get(f"{server.url}/v1/batches/nope").json() == {"detail": "no batch with id 'nope'"}
    cancel_missing = httpx.post(f"{server.url}/v1/batches/nope/cancel")
    assert (cancel_missing.status_code, cancel_missing.json()) == (404, {"detail": "no batch with id 'nope'"})
    bad_line = httpx.post(
        f"{server.url}/v1/batches",
        content=b'{"fs1": "True", "fs2": "True"}\n{"fs1": "True"}\n',
        headers={"content-type": "application/x-ndjson"},
    )
    assert bad_line.status_code == 422 and bad_line.json()["detail"]["line"] == 2
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}


def test_preamble_is_shared_by_both_statements(server: Server) -> None:
    response = _post_check(
        server.url,
        "theorem t : succ 1 = 2",
        "theorem t : 2 = succ 1",
        preamble="open Nat\nvariable (k : Nat)",
    )
    assert response.status_code == 200, response.text
    assert response.json()["verdict"] == "equivalent"
    without = _post_check(server.url, "theorem t : succ 1 = 2", "theorem t : 2 = succ 1")
    assert without.json()["verdict"] == "ill_typed"


def _labelled_items() -> list[dict]:
    items = [
        {"id": case.id, "fs1": case.fs1, "fs2": case.fs2, "label": 1 if case.expected == 1 else 0}
        for case in BUILTIN_CASES
    ]
    items += [
        {
            "id": f"shift{k}",
            "reference": f"theorem t (x : Nat) (h : x > {k}) : x ≥ {k + 1}",
            "candidate": f"theorem t (x : Nat) (h : {k} < x) : {k + 1} ≤ x",
            "label": 1,
        }
        for k in range(5)
    ]
    items.append({"id": "bad", "fs1": "theorem t : True", "fs2": "axiom a : False", "label": 0})
    return items


@pytest.fixture(scope="module")
def labelled_batches(servers: dict[str, Server]) -> dict[str, tuple[str, dict]]:
    """The labelled batch run by every database's server at once (one Lean session each, so they
    run side by side): its id and summary by server URL, once every batch is done."""
    batch_ids = {}
    for kind in DATABASES:
        url = servers[kind].url
        created = httpx.post(f"{url}/v1/batches", json={"items": _labelled_items(), "name": "labelled"})
        assert created.status_code == 202, created.text
        batch_ids[url] = created.json()["batch_id"]
    return {url: (batch_id, wait_for_batch(url, batch_id)["summary"]) for url, batch_id in batch_ids.items()}


def test_labelled_batch_summary_matches_its_results(
    server: Server, labelled_batches: dict[str, tuple[str, dict]]
) -> None:
    items = _labelled_items()
    batch_id, summary = labelled_batches[server.url]

    results = httpx.get(f"{server.url}/v1/batches/{batch_id}/results", params={"limit": 100}).json()["items"]
    assert [r["id"] for r in results] == [item["id"] for item in items]
    assert results[-1]["status"] == "invalid" and results[-1]["error"]["reason"] == "forbidden_word"
    # A refused item counts as predicted 0 against its label, as `lean-equiv score` counts it.
    scored = [(r["label"], r["equivalent"] or 0) for r in results if r["status"] in ("done", "invalid")]
    true_positives = sum(1 for label, got in scored if label == got == 1)
    assert summary["total"] == summary["done"] == len(items)
    assert summary["labelled"] == len(scored)
    assert summary["precision"] == 1.0  # never a 1 for a pair labelled 0
    assert summary["recall"] == round(true_positives / sum(1 for label, _ in scored if label == 1), 4)
    assert summary["accuracy"] == round(sum(1 for label, got in scored if label == got) / len(scored), 4)
    assert summary["verdicts"]["invalid"] == 1 and summary["verdicts"]["ill_typed"] >= 1

    jsonl = httpx.get(f"{server.url}/v1/batches/{batch_id}/results", params={"format": "jsonl"}).text
    csv_text = httpx.get(f"{server.url}/v1/batches/{batch_id}/results", params={"format": "csv"}).text
    assert len(jsonl.splitlines()) == len(items) and len(csv_text.splitlines()) == len(items) + 1
    assert batch_id in [b["id"] for b in httpx.get(f"{server.url}/v1/batches").json()]


def test_forgeries_are_refused_and_cannot_poison_a_batch(server: Server) -> None:
    """The audit's two forgeries over HTTP: the char-literal pair as a single check, and an axiom
    injected by one batch item to flip its neighbours' verdicts."""
    forged = _post_check(server.url, *CHAR_FORGERY)
    assert forged.status_code == 422, forged.text
    assert forged.json()["detail"]["reason"] == "unbalanced_brackets"
    items = [{"id": "poison", "fs1": AXIOM_INJECTION, "fs2": "theorem t : True", "label": 0}]
    false_true = ("theorem b : 2 = 3", "theorem c : True ∧ {k} = {k}")
    items += [{"id": f"target{k}", "fs1": false_true[0], "fs2": false_true[1].format(k=k), "label": 0}
              for k in range(3)]  # fmt: skip
    items.append({"id": "honest", "fs1": "theorem a (x : Nat) (h : x > 3) : x ≥ 4",
                  "fs2": "theorem b (y : Nat) (h : 3 < y) : 4 ≤ y", "label": 1})  # fmt: skip
    created = httpx.post(f"{server.url}/v1/batches", json={"items": items, "name": "poison"})
    assert created.status_code == 202, created.text
    batch_id = created.json()["batch_id"]
    summary = wait_for_batch(server.url, batch_id)["summary"]
    results = {r["id"]: r for r in httpx.get(f"{server.url}/v1/batches/{batch_id}/results").json()["items"]}
    assert results["poison"]["status"] == "invalid"
    assert results["poison"]["error"]["reason"] == "unbalanced_brackets"
    assert [results[f"target{k}"]["equivalent"] for k in range(3)] == [0, 0, 0]
    assert results["honest"]["equivalent"] == 1
    assert summary["precision"] == 1.0


def test_concurrent_clients_all_get_verdicts(server: Server) -> None:
    pairs = [
        (
            f"theorem t (x : Nat) (h : x = {k}) : x + 1 = {k + 1}",
            f"theorem t (y : Nat) (h : y = {k}) : y + 1 = {k + 1}",
        )
        for k in range(100, 106)
    ]
    with ThreadPoolExecutor(len(pairs)) as clients:
        responses = list(clients.map(lambda pair: _post_check(server.url, *pair), pairs))
    assert [r.status_code for r in responses] == [200] * len(pairs)
    assert {r.json()["verdict"] for r in responses} == {"equivalent"}


def test_batch_resumes_after_kill_9_with_exactly_one_result_per_item(tmp_path: Path) -> None:
    """On each database (the two at once: their servers start and run side by side), a batch
    whose server is SIGKILLed mid-batch finishes on a new server with one result per item."""
    with ThreadPoolExecutor(len(DATABASES)) as runs:
        for done in [runs.submit(_kill_9_and_resume, kind, tmp_path / kind) for kind in DATABASES]:
            done.result()


def _kill_9_and_resume(kind: str, tmp_path: Path) -> None:
    tmp_path.mkdir()
    items = [
        {
            "id": f"k{k}",
            "fs1": f"theorem t (x : Nat) (h : x > {k}) : x ≥ {k + 1}",
            "fs2": f"theorem t (x : Nat) (h : {k} < x) : {k + 1} ≤ x",
            "label": 1,
        }
        for k in range(8)  # claimed two at a time: the kill after two lands mid-batch
    ]
    with database_url(kind, tmp_path) as url:
        first = Server(url, tmp_path / "server.log", batch_claim_size="2").start()
        try:
            batch_id = httpx.post(f"{first.url}/v1/batches", json=items).json()["batch_id"]
            _wait_for_progress(first.url, batch_id)
        finally:
            first.kill()
        done_at_kill = _count_items(url, batch_id, "done")
        second = Server(url, tmp_path / "server.log").start()
        try:
            status = wait_for_batch(second.url, batch_id)
        finally:
            second.stop()
        assert 0 < done_at_kill < len(items)
        assert status["summary"]["items"] == {"done": len(items)}
        assert status["summary"]["verdicts"] == {"equivalent": len(items)}
        database = Database(url)
        with database.session() as session:
            check_ids = session.scalars(
                select(BatchItemRow.check_id).where(BatchItemRow.batch_id == batch_id)
            )
            assert len(set(check_ids)) == len(items)
            assert session.scalar(select(func.count()).select_from(CheckRow)) == len(items)
        database.dispose()


def _wait_for_progress(url: str, batch_id: str) -> None:
    """Return once some items are done: the moment to kill the server."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if httpx.get(f"{url}/v1/batches/{batch_id}").json()["summary"]["done"] >= 2:
            return
        time.sleep(0.05)
    raise TimeoutError("the batch made no progress")


def _count_items(url: str, batch_id: str, status: str) -> int:
    database = Database(url)
    try:
        with database.session() as session:
            query = select(func.count()).select_from(BatchItemRow)
            return (
                session.scalar(query.where(BatchItemRow.batch_id == batch_id, BatchItemRow.status == status))
                or 0
            )
    finally:
        database.dispose()


def test_api_key_is_required_when_configured() -> None:
    class Configured:
        settings = Settings(api_key="s3cret")

    with pytest.raises(HTTPException) as refused:
        require_api_key(Configured(), None)  # type: ignore[arg-type]
    assert refused.value.status_code == 401
    with pytest.raises(HTTPException):
        require_api_key(Configured(), "wrong")  # type: ignore[arg-type]
    require_api_key(Configured(), "s3cret")  # type: ignore[arg-type]


def test_score_command_path_through_the_service(server: Server) -> None:
    from evaluation.score import score_via_server, summarize
    from evaluation.testset import TestItem

    items = [
        TestItem(id=f"s{k}", fs1=f"theorem t (x : Nat) (h : x > {k}) : x ≥ {k + 1}",
                 fs2=f"theorem t (y : Nat) (h : {k} < y) : {k + 1} ≤ y", label=1)
        for k in range(200, 203)
    ]  # fmt: skip
    items.append(TestItem(id="bad", fs1="True", fs2="theorem t : True := by trivial\n#eval 1", label=0))
    scored = score_via_server(items, server.url, "strict", poll_s=0.2)
    assert [s.verdict for s in scored] == ["equivalent"] * 3 + ["invalid"]
    summary = summarize(scored)
    assert (summary["precision"], summary["recall"], summary["accuracy"]) == (1.0, 1.0, 1.0)


def test_reprover_is_offered_only_when_configured(server: Server) -> None:
    assert httpx.get(f"{server.url}/v1/info").json()["provers"] == ["tidy"]
    refused = _post_check(server.url, "theorem a : True", "theorem b : True", prover="tidy+reprover")
    assert refused.status_code == 422 and "LEAN_EQUIV_REPROVER_MODEL" in refused.json()["detail"]
    items = [{"fs1": "True", "fs2": "True"}]
    batch = httpx.post(f"{server.url}/v1/batches", params={"prover": "reprover"}, json=items)
    assert batch.status_code == 422


def test_service_with_reprover_and_an_api_key(servers: dict[str, Server]) -> None:
    """A server started with a ReProver model directory (the tiny model trained in the tests) and an
    API key: the key guards /v1; each prover has its own cache entries; a batch runs on ReProver."""
    if "reprover" not in servers:
        pytest.skip("torch is not installed: no ReProver server")
    fs1, fs2 = INDUCTION_PAIR
    running = servers["reprover"]
    key = {"X-API-Key": API_KEY}
    assert _post_check(running.url, fs1, fs2).status_code == 401
    info = httpx.get(f"{running.url}/v1/info", headers=key).json()
    assert info["provers"] == ["tidy", "reprover", "tidy+reprover"]

    def check(prover: str) -> dict:
        body = {"fs1": fs1, "fs2": fs2, "prover": prover, "mode": "logical"}
        answer = httpx.post(f"{running.url}/v1/check", json=body, headers=key, timeout=300)
        assert answer.status_code == 200, answer.text
        return answer.json()

    assert check("tidy")["verdict"] == "unknown"  # tidy cannot do induction
    with_reprover = check("tidy+reprover")
    assert (with_reprover["verdict"], with_reprover["cached"]) == ("equivalent", False)
    assert with_reprover["fs1_to_fs2"]["proof"] == LEARNED_TACTIC

    created = httpx.post(f"{running.url}/v1/batches", params={"prover": "reprover", "mode": "logical"},
                         json=[{"fs1": fs1, "fs2": fs2, "label": 1}], headers=key)  # fmt: skip
    assert created.status_code == 202, created.text
    done = wait_for_batch(running.url, created.json()["batch_id"], headers=key)
    assert (done["prover"], done["summary"]["verdicts"]) == ("reprover", {"equivalent": 1})
