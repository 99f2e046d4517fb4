"""An optional preamble shared by both statements of a pair: `open`, `variable`, `universe`,
`namespace` lines, nothing else.

Each command must be on its own line and is checked word by word; the preamble is then placed
inside a `section … end` of our own around every attempt of its pair, so it cannot leak into
another pair's attempts in the same Lean run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.equivalence.statement import (
    InvalidStatement,
    blank_comments,
    check_binders,
    check_characters,
    check_words,
    lex,
    normalize_newlines,
)

MAX_PREAMBLE_LINES = 50
_NAME = r"[^\W\d][\w'.]*"
_NAMES = re.compile(rf"{_NAME}(?:\s+{_NAME})*", re.UNICODE)
_COMMAND = re.compile(r"(open|variable|universe|namespace)\b\s*(.*)", re.UNICODE)


@dataclass(frozen=True)
class Preamble:
    text: str
    namespaces: tuple[str, ...] = ()

    def wrap(self, chunk: str) -> str:
        if not self.text:
            return chunk
        closing = "".join(f"end {name}\n" for name in reversed(self.namespaces))
        return f"section\n{self.text}\n{chunk}\n{closing}end"


NO_PREAMBLE = Preamble("")


def parse_preamble(raw: str | None) -> Preamble:
    """Validate an untrusted preamble; the empty preamble for None or blank text."""
    if raw is None or not raw.strip():
        return NO_PREAMBLE
    raw = normalize_newlines(raw)
    check_characters(raw)
    lines = [line.strip() for line in blank_comments(raw).splitlines() if line.strip()]
    if len(lines) > MAX_PREAMBLE_LINES:
        raise InvalidStatement("preamble_too_long", f"a preamble has at most {MAX_PREAMBLE_LINES} lines")
    namespaces: list[str] = []
    for line in lines:
        if (name := _check_line(line)) is not None:
            namespaces.append(name)
    return Preamble("\n".join(lines), tuple(namespaces))


def _check_line(line: str) -> str | None:
    """Refuse anything but the four commands; the namespace a line opens, if any."""
    command = _COMMAND.fullmatch(line)
    if command is None:
        raise InvalidStatement(
            "preamble_command", f"a preamble line must be open, variable, universe or namespace: {line!r}"
        )
    keyword, rest = command.groups()
    if keyword == "variable":
        check_binders(rest)
        check_words(rest, lex(rest))
        return None
    if not _NAMES.fullmatch(rest) or (keyword == "namespace" and " " in rest):
        raise InvalidStatement("preamble_command", f"{keyword} takes names only: {line!r}")
    check_words(rest, lex(rest))
    return rest if keyword == "namespace" else None
