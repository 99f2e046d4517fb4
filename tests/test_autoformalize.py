"""Autoformalization plumbing: extraction from model chatter, a tiny seq2seq model built here
(random weights, ByT5 tokenizer: nothing downloaded), and an OpenAI-compatible endpoint played by
a real local HTTP server (the only stand-in: no LLM server exists on this machine)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from evaluation.autoformalize import (
    DEFAULT_TEMPLATE,
    OpenAICompatibleGenerator,
    autoformalize,
    extract_statement,
)
from evaluation.testset import TestItem


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("Sure! Here it is:\n```lean\ntheorem t (n : Nat) : n + 0 = n := by\n  simp\n```\nHope it helps.",
         "theorem t (n : Nat) : n + 0 = n"),
        (" theorem t (x : Nat) (h : x > 2) : x * x > 4 := by sorry\n\nInformal: next one",
         "theorem t (x : Nat) (h : x > 2) : x * x > 4"),
        ("lemma a : (fun x : Nat => x) 1 = 1\ntheorem b : True := trivial",
         "lemma a : (fun x : Nat => x) 1 = 1"),
        ('theorem c (s : String) (h : s = ":=") : s.length = 2 := rfl',
         'theorem c (s : String) (h : s = ":=") : s.length = 2'),
        ("I cannot formalize this.", None),
    ],
)  # fmt: skip
def test_statement_is_cut_out_of_model_output(output: str, expected: str | None) -> None:
    assert extract_statement(output) == expected


def _items(count: int) -> list[TestItem]:
    return [
        TestItem(id=f"i{k}", fs1=f"theorem t : {k} = {k}", informal=f"{k} equals {k}") for k in range(count)
    ]


def test_transformers_path_batches_and_writes_every_row(tiny_model: Path, tmp_path: Path) -> None:
    source = tmp_path / "set.jsonl"
    source.write_text(
        "\n".join(json.dumps({"id": i.id, "informal": i.informal, "fs1": i.fs1}) for i in _items(5))
    )
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "service.cli", "autoformalize", str(source), "--model",
               str(tiny_model), "--out", str(out), "--batch-size", "2", "--max-new-tokens", "8",
               "--device", "cpu"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=os.environ)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"i{k}" for k in range(5)]
    assert all(isinstance(r["raw_output"], str) and r["fs1"].startswith("theorem") for r in rows)

    from evaluation.autoformalize import TransformersGenerator

    generator = TransformersGenerator(str(tiny_model), device="cpu", max_new_tokens=8)
    alone = generator.generate([DEFAULT_TEMPLATE.format(informal="0 equals 0")])
    batched = generator.generate([DEFAULT_TEMPLATE.format(informal=i.informal) for i in _items(3)])
    assert alone[0] == batched[0]  # left padding: a batch decodes like single prompts (greedy)


def test_missing_weights_say_how_to_provide_them(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from evaluation.autoformalize import TransformersGenerator

    with pytest.raises(RuntimeError, match="Give a local directory"):
        TransformersGenerator(str(tmp_path / "no-such-model"))


@pytest.fixture
def chat_server() -> Iterator[tuple[str, list[dict]]]:
    """A real HTTP server answering /v1/chat/completions like vLLM would, recording requests."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
            informal = body["messages"][0]["content"].rsplit("Informal: ", 1)[1].split("\n")[0]
            content = f"```lean\ntheorem auto : {informal.replace(' equals ', ' = ')} := by decide\n```"
            reply = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def test_openai_compatible_endpoint(chat_server: tuple[str, list[dict]]) -> None:
    url, received = chat_server
    generator = OpenAICompatibleGenerator(url, "some-model", api_key="k", max_new_tokens=64)
    rows = list(autoformalize(_items(3), generator, batch_size=2))
    assert [r["fs2"] for r in rows] == [f"theorem auto : {k} = {k}" for k in range(3)]
    assert [(r["path"], r["auth"], r["model"], r["temperature"]) for r in received] == [
        ("/v1/chat/completions", "Bearer k", "some-model", 0)
    ] * 3
