"""Tactic generators: a model proposes (tactic, log-probability) pairs for proof states.

`ByT5TacticGenerator` is ReProver's generator (LeanDojo's `kaiyuy/leandojo-lean4-tacgen-byt5-small`
by default): a seq2seq model reading the pretty-printed state; beam search with K beams (ReProver's own
evaluation) or K samples, batched over states, on CUDA when present, in float32, float16 or
bfloat16.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

DEFAULT_MODEL = "kaiyuy/leandojo-lean4-tacgen-byt5-small"
Suggestions = list[tuple[str, float]]


class TacticGenerator(Protocol):
    def suggest(self, states: list[str], k: int) -> list[Suggestions]:
        """For each state, up to k (tactic, log-probability) pairs, best first."""
        ...


@dataclass
class ByT5TacticGenerator:
    model_name: str = DEFAULT_MODEL
    device: str | None = None
    dtype: str = "float32"
    max_input_bytes: int = 2300
    max_new_tokens: int = 128
    decoding: str = "beam"
    """beam: the K best sequences; sample: K samples at `temperature`, each scored by its log-probability."""
    temperature: float = 1.0

    def __post_init__(self) -> None:
        import torch

        if self.decoding not in ("beam", "sample"):
            raise ValueError(f"decoding must be beam or sample, not {self.decoding!r}")
        if self.dtype not in ("float32", "float16", "bfloat16"):
            raise ValueError(f"dtype must be float32, float16 or bfloat16, not {self.dtype!r}")
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.model_name)
            dtype: Any = getattr(torch, self.dtype)
            self.model = AutoModelForSeq2SeqLM.from_pretrained(self.model_name, dtype=dtype).eval()
        except OSError as error:
            raise RuntimeError(
                f"cannot load the tactic generator {self.model_name!r}: {error}. This machine may "
                "have no access to the Hugging Face hub: download the weights elsewhere "
                f"(`huggingface-cli download {DEFAULT_MODEL} --local-dir DIR`), copy DIR here and "
                "pass it as the model."
            ) from error
        self.device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model.to(self.device)

    def suggest(self, states: list[str], k: int) -> list[Suggestions]:
        import torch

        inputs = self.tokenizer(
            [s[-self.max_input_bytes :] for s in states],  # ReProver keeps the end of long states
            return_tensors="pt",
            padding=True,
            truncation=True,
            max_length=self.max_input_bytes,
        ).to(self.device)
        with torch.inference_mode():
            output = self.model.generate(
                **inputs,
                max_new_tokens=self.max_new_tokens,
                num_return_sequences=k,
                output_scores=True,
                return_dict_in_generate=True,
                **self._decoding_options(k),
            )
        texts = self.tokenizer.batch_decode(output.sequences, skip_special_tokens=True)
        scores = self._sequence_logprobs(output)
        suggestions = []
        for index in range(len(states)):
            pairs = zip(texts[index * k : (index + 1) * k], scores[index * k : (index + 1) * k], strict=True)
            unique: dict[str, float] = {}
            for text, score in pairs:
                unique.setdefault(text.strip(), score)
            suggestions.append(sorted(unique.items(), key=lambda item: -item[1]))
        return suggestions

    def _decoding_options(self, k: int) -> dict[str, Any]:
        if self.decoding == "sample":
            return {"do_sample": True, "num_beams": 1, "temperature": self.temperature, "top_k": 0}
        return {"do_sample": False, "num_beams": k, "length_penalty": 0.0}

    def _sequence_logprobs(self, output: Any) -> list[float]:
        """Beam search reports each sequence's log-probability; for samples it is summed here."""
        if self.decoding == "beam":
            return [float(score) for score in output.sequences_scores.tolist()]
        steps = self.model.compute_transition_scores(output.sequences, output.scores, normalize_logits=True)
        generated = output.sequences[:, 1:] != self.tokenizer.pad_token_id  # after the start token
        return [float(total) for total in steps.masked_fill(~generated, 0.0).sum(dim=1).tolist()]
