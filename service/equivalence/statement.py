"""Untrusted statements in, a validated `∀ binders, (type)` out.

User text only ever lands inside brackets we write (`∀ BINDERS, (TYPE)`), so it must be
bracket-balanced outside strings, character literals and comments, read exactly as Lean reads
them (`lexer.py`): then it cannot close our parenthesis and escape into command position.
Because Lean's error recovery resumes at the next command keyword even inside a broken term,
Lean's command keywords and the names that bypass the kernel are also refused as any component
of an identifier (`keywords.py`). Lean itself then confirms each statement alone before it
shares a document with anything (`confirm.py`). Three layers, each enough on its own for the
inputs it understands.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.equivalence.errors import InvalidStatement
from service.equivalence.keywords import forbidden_component
from service.equivalence.lexer import CORE_TOKENS, Lexed, Tokens, is_id_first, lex

__all__ = [
    "MAX_STATEMENT_CHARS",
    "InvalidStatement",
    "Statement",
    "blank_comments",
    "check_binders",
    "check_characters",
    "check_words",
    "lex",
    "normalize_newlines",
    "parse_statement",
    "top_level",
]

MAX_STATEMENT_CHARS = 20_000
_DECLARATION = ("theorem", "lemma")


@dataclass(frozen=True)
class Statement:
    text: str
    """The statement as given (after the proof was dropped)."""
    name: str | None
    binders: str
    type: str

    @property
    def prop(self) -> str:
        """The statement as one proposition, with user text confined to our brackets."""
        body = f"({self.type})"
        return f"∀ {self.binders}, {body}" if self.binders else body


def blank_comments(text: str, tokens: Tokens = CORE_TOKENS) -> str:
    """Comments become spaces (a trailing `--` must not swallow the bracket we close with), and
    so do tabs outside literals (Lean refuses tabs as whitespace); literals stay as they are."""
    lexed = lex(text, tokens)
    kept = (
        c if (lexed.code[i] and c != "\t") or c == "\n" or lexed.literal[i] else " "
        for i, c in enumerate(text)
    )
    return "".join(kept).strip()


def normalize_newlines(text: str) -> str:
    """CRLF becomes LF; a lone CR is refused by `check_characters` (Lean refuses it too)."""
    return text.replace("\r\n", "\n")


def check_characters(text: str) -> None:
    if len(text) > MAX_STATEMENT_CHARS:
        raise InvalidStatement(
            "too_long", f"statement is {len(text)} characters; the limit is {MAX_STATEMENT_CHARS}"
        )
    if not text.strip():
        raise InvalidStatement("empty", "statement is empty")
    for index, char in enumerate(text):
        if (ord(char) < 32 and char not in "\n\t") or ord(char) == 127 or 0xD800 <= ord(char) <= 0xDFFF:
            raise InvalidStatement(
                "control_character", f"control character U+{ord(char):04X}", (index, index + 1)
            )


def check_words(
    text: str, lexed: Lexed, start: int = 0, end: int | None = None, allowed: frozenset[str] = frozenset()
) -> None:
    """Refuse commands (`#word`), attributes (`@[`) and forbidden names in the tokens that start
    between `start` and `end`; each component of a dotted name is checked (`Lean.ofReduceBool`)."""
    end = len(text) if end is None else end
    for token in lexed.tokens:
        if not start <= token.start < end:
            continue
        span = (token.start, token.end)
        if token.kind == "symbol" and text[token.start] == "#" and _starts_name(text, token.end):
            raise InvalidStatement(
                "command", "commands (#…) are not allowed in a statement", (token.start, token.end + 1)
            )
        if token.kind == "symbol" and text.startswith("@[", token.start):
            raise InvalidStatement(
                "attribute", "attributes are not allowed in a statement", (token.start, token.start + 2)
            )
        if token.kind != "ident":
            continue
        for component in token.components:
            if component not in allowed and forbidden_component(component):
                raise InvalidStatement("forbidden_word", f"{component!r} is not allowed in a statement", span)


def _starts_name(text: str, index: int) -> bool:
    return index < len(text) and (is_id_first(text[index]) or text[index] == "«")


def top_level(text: str, lexed: Lexed, token: str, start: int = 0) -> int:
    """Index of the first `token` at bracket depth 0 in code, or -1."""
    index = text.find(token, start)
    while index >= 0:
        if lexed.code[index] and lexed.depth[index] == 0:
            return index
        index = text.find(token, index + 1)
    return -1


# A proof is dropped, never run, so placeholders are fine there; a second command is not.
_PROOF_ALLOWED = frozenset({"sorry", "admit", "native_decide", "decide!"})


def _drop_proof(text: str, lexed: Lexed, start: int) -> str:
    cut = top_level(text, lexed, ":=", start)
    if cut < 0:
        return text
    check_words(text, lexed, cut + 2, allowed=_PROOF_ALLOWED)
    return text[:cut]


def _header(text: str, lexed: Lexed) -> tuple[str | None, int] | None:
    """`theorem|lemma NAME` or `example` at the start: the name and where the binders begin."""
    tokens = lexed.tokens
    if not tokens or tokens[0].kind != "ident":
        return None
    if tokens[0].components == ("example",):
        return None, tokens[0].end
    if tokens[0].components not in (("theorem",), ("lemma",)):
        return None
    if len(tokens) < 2 or tokens[1].kind != "ident":
        raise InvalidStatement(
            "no_name", "expected `theorem NAME binders : type`", (tokens[0].start, tokens[0].end)
        )
    return text[tokens[1].start : tokens[1].end], tokens[1].end


def parse_statement(raw: str | bytes, tokens: Tokens = CORE_TOKENS) -> Statement:
    """Validate an untrusted statement and split it into binders and type, read with the
    reading Lean's extra apostrophe `tokens` (see `lex`)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidStatement("invalid_utf8", f"statement is not UTF-8: {error}") from None
    raw = normalize_newlines(raw)
    check_characters(raw)
    text = blank_comments(raw.strip(), tokens)
    lexed = lex(text, tokens)
    header = _header(text, lexed)
    if header is None:
        body = _drop_proof(text, lexed, 0)
        check_words(text, lexed, 0, len(body))
        body = body.strip()
        return Statement(text=body, name=None, binders="", type=body)
    name, after_name = header
    colon = _top_level_colon(text, lexed, after_name)
    if colon < 0:
        raise InvalidStatement("no_type", "expected `theorem NAME binders : type`", (0, after_name))
    statement_text = _drop_proof(text, lexed, colon).rstrip()
    binders = statement_text[after_name:colon].strip()
    type_text = statement_text[colon + 1 :].strip()
    check_words(text, lexed, after_name, len(statement_text))
    if not type_text:
        raise InvalidStatement("no_type", "the statement has no type after ':'", (colon, colon + 1))
    check_binders(binders, tokens)
    return Statement(text=statement_text, name=name, binders=binders, type=type_text)


def _top_level_colon(text: str, lexed: Lexed, start: int) -> int:
    index = top_level(text, lexed, ":", start)
    while index >= 0 and text.startswith(":=", index):
        index = top_level(text, lexed, ":", index + 2)
    return index


def check_binders(binders: str, tokens: Tokens = CORE_TOKENS) -> None:
    """Binders must be bracketed groups (`(x : T)`, `{x}`, `[inst]`, `⦃x⦄`): nothing in between,
    not even a literal."""
    lexed = lex(binders, tokens)
    for index, char in enumerate(binders):
        if lexed.depth[index] == 0 and not char.isspace() and char not in "({[⦃)}]⦄":
            raise InvalidStatement(
                "bad_binders", "binders must be bracketed, e.g. (x : Nat) {α : Type}", (index, index + 1)
            )
