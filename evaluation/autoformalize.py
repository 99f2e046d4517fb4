"""Autoformalization fs^ = fm(is*): a language model writes a Lean 4 statement for each informal one.

Two back-ends: a transformers model (causal or seq2seq, a local directory or a hub id; batched
greedy generation, on the GPU when there is one), or any OpenAI-compatible HTTP endpoint (a vLLM
server, say). The statement is then cut out of whatever the model said.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from evaluation.testset import TestItem
from service.equivalence.statement import InvalidStatement, lex, top_level

DEFAULT_TEMPLATE = """Translate each informal statement into a Lean 4 theorem statement (core Lean, no proof).

Informal: Show that for every natural number n, n + 0 = n.
Lean 4: theorem add_zero_example (n : Nat) : n + 0 = n := by sorry

Informal: If x is a natural number with x > 2, then x * x > 4.
Lean 4: theorem square_gt (x : Nat) (h : x > 2) : x * x > 4 := by sorry

Informal: {informal}
Lean 4:"""

_FENCE = re.compile(r"```(?:lean4?|Lean4?)?\s*\n(.*?)```", re.DOTALL)
_DECLARATION = re.compile(r"^\s*(?:theorem|lemma|example)\b", re.MULTILINE)


def extract_statement(output: str) -> str | None:
    """The first `theorem`/`lemma`/`example` header in a model's output, without its proof:
    inside a code fence if there is one, cut at the proof's `:=`, or else where the next
    declaration or a blank line starts. None when there is no declaration at all."""
    fenced = _FENCE.search(output)
    text = fenced.group(1) if fenced else output
    start = _DECLARATION.search(text)
    if start is None:
        return None
    text = text[start.start() :].strip()
    following = _DECLARATION.search(text, 1)
    text = text[: following.start()] if following else text
    text = text.split("\n\n")[0]
    try:
        lexed = lex(text)
    except InvalidStatement:
        return text.strip()
    cut = top_level(text, lexed, ":=")
    return (text[:cut] if cut >= 0 else text).strip()


class Generator(Protocol):
    def generate(self, prompts: list[str]) -> list[str]: ...


@dataclass
class TransformersGenerator:
    """A local or hub model through transformers; greedy decoding, batched, left-padded."""

    model_name: str
    device: str | None = None
    torch_dtype: str = "auto"
    device_map: str | None = None
    max_new_tokens: int = 256

    def __post_init__(self) -> None:
        import torch
        from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

        try:
            config = AutoConfig.from_pretrained(self.model_name)
        except OSError as error:
            raise RuntimeError(
                f"cannot load model {self.model_name!r}: {error}. Give a local directory with the "
                "weights (config.json, tokenizer files) or a hub id reachable from this machine."
            ) from error
        self.seq2seq = bool(config.is_encoder_decoder)
        model_class = AutoModelForSeq2SeqLM if self.seq2seq else AutoModelForCausalLM
        dtype: Any = self.torch_dtype if self.torch_dtype == "auto" else getattr(torch, self.torch_dtype)
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_name, padding_side="left")
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        options: dict[str, Any] = {"dtype": dtype}
        if self.device_map:
            options["device_map"] = self.device_map
        self.model = model_class.from_pretrained(self.model_name, **options).eval()
        if not self.device_map:
            self.device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
            self.model.to(self.device)

    def generate(self, prompts: list[str]) -> list[str]:
        import torch

        batch = self.tokenizer(prompts, return_tensors="pt", padding=True).to(self.model.device)
        with torch.inference_mode():
            output = self.model.generate(
                **batch,
                max_new_tokens=self.max_new_tokens,
                do_sample=False,
                pad_token_id=self.tokenizer.pad_token_id,
            )
        if not self.seq2seq:  # a causal model repeats the prompt: keep what it added
            output = output[:, batch["input_ids"].shape[1] :]
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)


@dataclass
class OpenAICompatibleGenerator:
    """Any server speaking the OpenAI chat-completions API (vLLM, TGI, llama.cpp, …)."""

    base_url: str
    model_name: str
    api_key: str | None = None
    max_new_tokens: int = 256
    timeout_s: float = 120.0

    def generate(self, prompts: list[str]) -> list[str]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        base_url = self.base_url.rstrip("/")
        with httpx.Client(base_url=base_url, headers=headers, timeout=self.timeout_s) as client:
            return [self._one(client, prompt) for prompt in prompts]

    def _one(self, client: httpx.Client, prompt: str) -> str:
        body = {
            "model": self.model_name,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": 0,
            "max_tokens": self.max_new_tokens,
        }
        response = client.post("/v1/chat/completions", json=body)
        response.raise_for_status()
        return str(response.json()["choices"][0]["message"]["content"])


def autoformalize(
    items: list[TestItem],
    generator: Generator,
    template: str = DEFAULT_TEMPLATE,
    batch_size: int = 8,
    progress: Callable[[int], None] = lambda _: None,
) -> Iterable[dict[str, Any]]:
    """Rows of the output test set: the item with `fs2` the model's statement (empty when it
    gave none) and its raw output, for the scorer."""
    for start in range(0, len(items), batch_size):
        batch = items[start : start + batch_size]
        outputs = generator.generate([template.format(informal=item.informal or "") for item in batch])
        for item, output in zip(batch, outputs, strict=True):
            yield {
                "id": item.id,
                "informal": item.informal,
                "fs1": item.fs1,
                "fs2": extract_statement(output) or "",
                "label": item.label,
                "preamble": item.preamble,
                "raw_output": output,
            }
        progress(len(batch))


def read_template(path: Path | None) -> str:
    template = path.read_text(encoding="utf-8") if path else DEFAULT_TEMPLATE
    if "{informal}" not in template:
        raise ValueError("a prompt template must contain {informal}")
    return template
