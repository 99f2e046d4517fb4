"""An optional preamble shared by both statements of a pair: `open`, `variable`, `universe`,
`namespace` lines, and the header lines datasets carry (`import Mathlib`, `import Aesop`,
`set_option maxHeartbeats N`), nothing else.

Header lines are read, not run: `import Mathlib…`/`import Aesop` say the statement is written
for Mathlib (on the embedded Lean the compatibility prelude answers them; other imports are
refused), and a heartbeat option is dropped (the engine sets every attempt's budget). A
statement may also start with such lines (`split_header`); they join its pair's preamble.

Each command must be on its own line and is checked word by word; the preamble is then placed
inside a `section … end` of our own around every attempt of its pair, so it cannot leak into
another pair's attempts in the same Lean run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.equivalence.lexer import CORE_TOKENS, MATHLIB_TOKENS, Tokens
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
MATHLIB_IMPORTS = re.compile(r"(Mathlib|Aesop)(\.[A-Z][\w']*)*")
_HEARTBEATS = re.compile(r"set_option\s+(synthInstance\.)?maxHeartbeats\s+\d+")
_HEADER_LINE = re.compile(r"(import|open|set_option)\b")
_NAME = r"[^\W\d][\w'.]*"
_NAMES = re.compile(rf"{_NAME}(?:\s+{_NAME})*", re.UNICODE)
_COMMAND = re.compile(r"(open|variable|universe|namespace)\b\s*(.*)", re.UNICODE)


@dataclass(frozen=True)
class Preamble:
    text: str
    namespaces: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()
    """The Mathlib modules the input's header imports (served by the prelude or a Mathlib
    project; never written into a document)."""

    @property
    def mathlib(self) -> bool:
        return bool(self.imports)

    @property
    def tokens(self) -> Tokens:
        """The apostrophe tokens its statements are read with: Mathlib's where it imports it."""
        return MATHLIB_TOKENS if self.mathlib else CORE_TOKENS

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
    imports = tuple(line.split(None, 1)[1] for line in lines if line.startswith("import"))
    for module in imports:
        if not MATHLIB_IMPORTS.fullmatch(module):
            raise InvalidStatement(
                "unsupported_import", f"only Mathlib and Aesop may be imported: {module!r}"
            )
    commands = [line for line in lines if not line.startswith("import") and not _HEARTBEATS.fullmatch(line)]
    namespaces = [name for line in commands if (name := _check_line(line)) is not None]
    return Preamble("\n".join(dict.fromkeys(commands)), tuple(namespaces), imports)


def split_header(statement: str) -> tuple[str, str]:
    """A statement's leading header lines (`import …`, `open …`, `set_option …`, as datasets
    write them before `theorem`) and the rest; `set_option … in` before the theorem counts too."""
    header: list[str] = []
    lines = normalize_newlines(statement).split("\n")
    while lines and (not lines[0].strip() or _HEADER_LINE.match(lines[0].strip())):
        line = lines.pop(0).strip()
        if line.startswith("set_option") and line.endswith(" in"):
            line = line.removesuffix(" in").rstrip()
        header.append(line)
    if lines:
        first = lines[0].lstrip()
        if (prefix := re.match(r"(set_option\s+\S+\s+\S+)\s+in\s+", first)) is not None:
            header.append(prefix.group(1))
            lines[0] = first[prefix.end() :]
    return "\n".join(h for h in header if h), "\n".join(lines)


def merge_preambles(*parts: str | None) -> str | None:
    """One preamble from several texts (a pair's, and its statements' header lines)."""
    lines = [line for part in parts if part for line in part.splitlines() if line.strip()]
    return "\n".join(dict.fromkeys(lines)) or None


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
