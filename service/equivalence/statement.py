"""Untrusted statements in, a validated `∀ binders, (type)` out.

User text only ever lands inside brackets we write (`∀ BINDERS, (TYPE)`), so it must be
bracket-balanced outside strings and comments: it cannot close our parenthesis and escape into
command position. Lean's parser then confirms it is one term (anything after it is a parse
error). Because Lean's error recovery resumes at the next command keyword even inside a broken
term, command keywords and a few unsafe words are also rejected at token level: a second layer,
not the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_STATEMENT_CHARS = 20_000

OPENERS = {"(": ")", "[": "]", "{": "}", "⦃": "⦄", "⟨": "⟩", "‹": "›"}
CLOSERS = {v: k for k, v in OPENERS.items()}

# Words that start a command, or are unsafe in a statement (see issue: sorry, native_decide, …).
FORBIDDEN_WORDS = frozenset(
    [
        "abbrev",
        "add_decl_doc",
        "attribute",
        "axiom",
        "builtin_initialize",
        "class",
        "declare_syntax_cat",
        "def",
        "deriving",
        "elab",
        "elab_rules",
        "end",
        "example",
        "export",
        "extern",
        "implemented_by",
        "import",
        "inductive",
        "infix",
        "infixl",
        "infixr",
        "initialize",
        "instance",
        "lemma",
        "macro",
        "macro_rules",
        "mutual",
        "namespace",
        "noncomputable",
        "notation",
        "opaque",
        "open",
        "partial",
        "postfix",
        "prefix",
        "private",
        "protected",
        "register_option",
        "run_cmd",
        "run_elab",
        "run_meta",
        "run_tac",
        "by_elab",
        "section",
        "set_option",
        "structure",
        "syntax",
        "theorem",
        "universe",
        "unsafe",
        "variable",
        "sorry",
        "admit",
        "native_decide",
        "decide!",
        "ofReduceBool",
    ]
)

_WORD = re.compile(r"[^\W\d][\w'!?.]*|[\d]+", re.UNICODE)
_HEADER = re.compile(r"\s*(?:(?:theorem|lemma)\s+([^\s:({\[⦃]+)|example\b)", re.UNICODE)


class InvalidStatement(ValueError):
    """A statement was refused; `reason` is machine-readable, `span` locates the offence."""

    def __init__(self, reason: str, message: str, span: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.span = span

    def as_dict(self) -> dict[str, object]:
        return {"reason": self.reason, "message": self.message, "span": self.span}


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


@dataclass
class _Lexed:
    """Which characters are code (not inside a comment or string) and their bracket depth."""

    code: list[bool]
    depth: list[int]
    strings: set[int]


def lex(text: str) -> _Lexed:
    code = [True] * len(text)
    depth = [0] * len(text)
    strings: set[int] = set()
    stack: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("--", i):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            code[i:end] = [False] * (end - i)
            i = end
            continue
        if text.startswith("/-", i):
            end = _block_comment_end(text, i)
            code[i:end] = [False] * (end - i)
            i = end
            continue
        if char == '"':
            end = _string_end(text, i)
            code[i:end] = [False] * (end - i)
            strings.update(range(i, end))
            i = end
            continue
        if char in OPENERS:
            stack.append((char, i))
        elif char in CLOSERS:
            if not stack or stack[-1][0] != CLOSERS[char]:
                raise InvalidStatement("unbalanced_brackets", f"unmatched {char!r}", (i, i + 1))
            stack.pop()
        depth[i] = len(stack)
        i += 1
    if stack:
        opener, at = stack[-1]
        raise InvalidStatement("unbalanced_brackets", f"{opener!r} is never closed", (at, at + 1))
    return _Lexed(code, depth, strings)


def _block_comment_end(text: str, start: int) -> int:
    level, i = 0, start
    while i < len(text):
        if text.startswith("/-", i):
            level, i = level + 1, i + 2
        elif text.startswith("-/", i):
            level, i = level - 1, i + 2
            if level == 0:
                return i
        else:
            i += 1
    raise InvalidStatement("unterminated_comment", "a /- comment is never closed", (start, start + 2))


def _string_end(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i + 1
        else:
            i += 1
    raise InvalidStatement("unterminated_string", "a string literal is never closed", (start, start + 1))


def blank_comments(text: str) -> str:
    """Comments become spaces: a trailing `--` must not swallow the bracket we close with."""
    lexed = lex(text)
    blanked = (c if lexed.code[i] or c == "\n" or i in lexed.strings else " " for i, c in enumerate(text))
    return "".join(blanked).strip()


def check_characters(text: str) -> None:
    if len(text) > MAX_STATEMENT_CHARS:
        raise InvalidStatement(
            "too_long", f"statement is {len(text)} characters; the limit is {MAX_STATEMENT_CHARS}"
        )
    if not text.strip():
        raise InvalidStatement("empty", "statement is empty")
    for index, char in enumerate(text):
        if (ord(char) < 32 and char not in "\n\t\r") or ord(char) == 127 or 0xD800 <= ord(char) <= 0xDFFF:
            raise InvalidStatement(
                "control_character", f"control character U+{ord(char):04X}", (index, index + 1)
            )


def check_words(
    text: str, lexed: _Lexed, start: int = 0, end: int | None = None, allowed: frozenset[str] = frozenset()
) -> None:
    """Refuse commands, attributes and forbidden words in code between `start` and `end`."""
    end = len(text) if end is None else end
    for index in range(start, end):
        if not lexed.code[index]:
            continue
        if text[index] == "#" and index + 1 < len(text) and text[index + 1].isalpha():
            message = "commands (#…) are not allowed in a statement"
            raise InvalidStatement("command", message, (index, index + 2))
        if text.startswith("@[", index):
            message = "attributes are not allowed in a statement"
            raise InvalidStatement("attribute", message, (index, index + 2))
    for match in _WORD.finditer(text, start, end):
        if lexed.code[match.start()] and match.group() in FORBIDDEN_WORDS - allowed:
            raise InvalidStatement(
                "forbidden_word", f"{match.group()!r} is not allowed in a statement", match.span()
            )


def top_level(text: str, lexed: _Lexed, token: str, start: int = 0) -> int:
    """Index of the first `token` at bracket depth 0 in code, or -1."""
    index = text.find(token, start)
    while index >= 0:
        if lexed.code[index] and lexed.depth[index] == 0:
            return index
        index = text.find(token, index + 1)
    return -1


# A proof is dropped, never run, so placeholders are fine there; a second command is not.
_PROOF_ALLOWED = frozenset({"sorry", "admit", "native_decide", "decide!"})


def _drop_proof(text: str, lexed: _Lexed, start: int) -> str:
    cut = top_level(text, lexed, ":=", start)
    if cut < 0:
        return text
    check_words(text, lexed, cut + 2, allowed=_PROOF_ALLOWED)
    return text[:cut]


def parse_statement(raw: str | bytes) -> Statement:
    """Validate an untrusted statement and split it into binders and type."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidStatement("invalid_utf8", f"statement is not UTF-8: {error}") from None
    check_characters(raw)
    text = blank_comments(raw.strip())
    lexed = lex(text)
    header = _HEADER.match(text)
    if header is None:
        body = _drop_proof(text, lexed, 0)
        check_words(text, lexed, 0, len(body))
        body = body.strip()
        return Statement(text=body, name=None, binders="", type=body)
    after_name = header.end()
    colon = _top_level_colon(text, lexed, after_name)
    if colon < 0:
        raise InvalidStatement("no_type", "expected `theorem NAME binders : type`", header.span())
    statement_text = _drop_proof(text, lexed, colon).rstrip()
    binders = statement_text[after_name:colon].strip()
    type_text = statement_text[colon + 1 :].strip()
    check_words(text, lexed, after_name, len(statement_text))
    if not type_text:
        raise InvalidStatement("no_type", "the statement has no type after ':'", (colon, colon + 1))
    check_binders(binders)
    return Statement(text=statement_text, name=header.group(1), binders=binders, type=type_text)


def _top_level_colon(text: str, lexed: _Lexed, start: int) -> int:
    index = top_level(text, lexed, ":", start)
    while index >= 0 and text.startswith(":=", index):
        index = top_level(text, lexed, ":", index + 2)
    return index


def check_binders(binders: str) -> None:
    """Binders must be bracketed groups (`(x : T)`, `{x}`, `[inst]`, `⦃x⦄`): nothing in between."""
    lexed = lex(binders)
    for index, char in enumerate(binders):
        if lexed.code[index] and lexed.depth[index] == 0 and not char.isspace() and char not in "({[⦃)}]⦄":
            raise InvalidStatement(
                "bad_binders", "binders must be bracketed, e.g. (x : Nat) {α : Type}", (index, index + 1)
            )
