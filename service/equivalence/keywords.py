"""The words that may not appear as code in a statement: Lean's command keywords, and the names
through which a term can escape the kernel's checking.

The command keywords are not a hand list: they are derived from Lean itself
(`python -m service.equivalence.keywords`) and stored beside this module, with the Lean version
they came from. Lean's parse-error recovery resumes at the next token that starts a command, even
inside a broken term, so every such token is refused at token level. The derivation asks Lean's
own parser: every identifier-shaped word found in the runtime's `.olean` files (the parser
tables are built from those files) is placed at the start of a line after a complete command,
with `trace.Elab.command` on, and Lean either starts a command there (a trace or a command's
error at the word) or says "expected command". Words probed many to a document can disturb each
other (a command that swallows the next lines), so each word found that way is probed again alone,
after two different commands (`set_option …`, which `in` may continue, and `#check "…"`), and
kept only if Lean starts a command at it both times. The stored list is checked against the
running Lean in CI (`tests/test_lexer.py`).
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from service.lean.document import Document, RunResult
from service.lean.errors import LeanSessionError
from service.lean.pool import LeanPool

KEYWORDS_FILE = Path(__file__).with_name("lean_command_keywords.json")

UNSAFE_NAMES = frozenset(
    {
        "sorry",  # the placeholder proof (elaborates to sorryAx)
        "sorryAx",
        "admit",
        "native_decide",  # trusts the compiler: `Lean.ofReduceBool`
        "decide!",
        "ofReduceBool",
        "ofReduceNat",
        "reduceBool",
        "reduceNat",
        "implemented_by",
        "extern",
        "unsafe",
        "unsafeCast",
        "unsafeIO",
        "unsafeBaseIO",
        "unsafeEIO",
        "run_tac",  # tactics that run arbitrary metaprograms
        "run_elab",
        "run_meta",
        "by_elab",
        "elab",
        "dbg_trace",
        "panic!",
        "trustCompiler",
        "Quot.sound",  # checked per component below; listed for the reader
    }
)
"""Refused in any position, as any component of a dotted name (`Lean.ofReduceBool`)."""

_PROBE_HEADER = "set_option trace.Elab.command true"
_SECOND_CONTEXT = '#check "lean-equiv"'
_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9_!?#'.])#?[a-z_][a-z0-9_]*[!?]?(?![A-Za-z0-9_!?'])")
PROBES_PER_DOCUMENT = 250
"""Each publishDiagnostics carries every message so far: long documents cost quadratically."""


@functools.cache
def command_keywords() -> frozenset[str]:
    """The stored, Lean-derived command keywords."""
    return frozenset(json.loads(KEYWORDS_FILE.read_text())["keywords"])


def stored_lean_version() -> str:
    return str(json.loads(KEYWORDS_FILE.read_text())["lean_version"])


def forbidden_component(component: str) -> bool:
    """Whether one component of an identifier is refused in a statement."""
    return component in UNSAFE_NAMES or component in command_keywords() or component.startswith("unsafe")


def candidate_words(olean_root: Path) -> list[str]:
    """Every lowercase identifier-shaped word in the library's `.olean` files (names, parser
    strings, docstrings): a superset of the keywords Lean's token table holds."""
    words: set[str] = set()
    for path in olean_root.rglob("*.olean"):
        words.update(
            m.group().decode() for m in _CANDIDATE.finditer(path.read_bytes()) if 2 <= len(m.group()) <= 30
        )
    return sorted(words)


def probe_document(words: list[str], context: str = _PROBE_HEADER) -> Document:
    """Each word on the line after its context; a complete command closes the document, so that
    Lean's error recovery after the last word (which skips a token) cannot swallow the session's
    end marker (that cost a 5 s wait and a restart per such word)."""
    return Document(chunks=[_PROBE_HEADER, *(f"{context}\n{word}\n" for word in words), _SECOND_CONTEXT])


def leaders_in(
    words: list[str], result: RunResult, context: str = _PROBE_HEADER, header: str = ""
) -> set[str]:
    """The words at which Lean started a command: no "…expected command" error at the word's
    own position (the line after its context, column 0)."""
    _, starts = probe_document(words, context).model_copy(update={"header": header}).render()
    leaders = set()
    for index, word in enumerate(words, start=1):
        line = starts[index] + context.count("\n") + 1
        here = [m for m in result.for_chunk(index) if m.pos.line == line and m.pos.column == 0]
        if not any(m.severity == "error" and "expected command" in m.text for m in here):
            leaders.add(word)
    return leaders


ENDS_THE_DOCUMENT = frozenset({"import", "#exit"})
"""Words after which Lean reports nothing more (a mid-file `import`, `#exit`): probed alone, so
that they do not make the other words' document fail (each failure costs a session restart)."""


async def probe(pool: LeanPool, words: list[str], context: str = _PROBE_HEADER) -> set[str]:
    """The command-leading words among `words`."""
    together = [word for word in words if word not in ENDS_THE_DOCUMENT]
    found = await _probe(pool, together, context) if together else set()
    for word in [word for word in words if word in ENDS_THE_DOCUMENT]:
        found |= await _probe(pool, [word], context)
    return found


async def _probe(pool: LeanPool, words: list[str], context: str) -> set[str]:
    """A document Lean cannot finish (an unknown document-ending word) is split until the word
    is found, and that word counts as a leader."""
    try:
        result = await pool.run(probe_document(words, context), timeout=120)
    except LeanSessionError:
        if len(words) == 1:
            return set(words)
        half = len(words) // 2
        return await _probe(pool, words[:half], context) | await _probe(pool, words[half:], context)
    return leaders_in(words, result, context, pool.header)


async def leads_alone(pool: LeanPool, word: str) -> bool:
    """Lean starts a command at `word` after either of two different complete commands."""
    for context in (_PROBE_HEADER, _SECOND_CONTEXT):
        if not await probe(pool, [word], context):
            return False
    return True


TRAILING_COMMAND_TOKENS = frozenset({"in"})
"""Found by the probe but not leaders: `in` continues the command before it (`cmd in cmd`, a
trailing parser). Error recovery resumes only at tokens that *start* a command, and statements
need `in` (`∑ i in s, f i`), so it is not refused."""


async def derive(pool: LeanPool, candidates: Iterable[str]) -> list[str]:
    words = list(candidates)
    batches = [words[i : i + PROBES_PER_DOCUMENT] for i in range(0, len(words), PROBES_PER_DOCUMENT)]
    found = sorted(set().union(*await asyncio.gather(*(probe(pool, batch) for batch in batches))))
    alone = await asyncio.gather(*(leads_alone(pool, word) for word in found))
    return [w for w, leads in zip(found, alone, strict=True) if leads and w not in TRAILING_COMMAND_TOKENS]


async def _main() -> None:
    from service.config import get_settings
    from service.lean.backend import EmbeddedBackend

    settings = get_settings()
    backend = EmbeddedBackend(settings)
    backend.prepare()
    lib = backend.paths.lib
    candidates = candidate_words(lib)
    print(f"{len(candidates)} candidate words from {lib}", file=sys.stderr)
    async with LeanPool(backend, size=2, job_timeout_s=120) as pool:
        keywords = await derive(pool, candidates)
        version = pool.lean_version()
    KEYWORDS_FILE.write_text(json.dumps({"lean_version": version, "keywords": keywords}, indent=0) + "\n")
    print(f"{len(keywords)} command keywords written to {KEYWORDS_FILE}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(_main())
