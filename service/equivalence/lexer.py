"""Lean 4's token boundaries, computed in Python: which characters of untrusted text are code.

A statement is only safe inside our brackets if the validator and Lean agree on where strings,
character literals and comments begin and end: text that is a string to us but code to Lean can
close our parenthesis. So this module follows Lean's own tokenizer (`Lean.Parser.Basic`:
`whitespace`, `tokenFnAux`, `identFnAux`, `strLitFnAux`, `charLitFnAux`, `rawStrLitFnAux`,
`quotedCharCoreFn`, `numberFnAux`) token by token, and refuses (fails closed on) whatever it does
not reproduce exactly: name literals and quotations, prefixed strings (`s!"…"`, `b"…"`, whose
`{…}` parts are code), `''`, unknown escapes, unterminated literals, comments and `«names»`.

Comments are blanked before Lean sees the text, so our reading of a comment is the truth; strings
and character literals are passed through, so they must end exactly where Lean ends them. The
property test in `tests/test_lexer.py` checks this against Lean's parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from service.equivalence.errors import InvalidStatement

TokenKind = Literal["ident", "number", "string", "char", "symbol"]
OPENERS = {"(": ")", "[": "]", "{": "}", "⦃": "⦄", "⟨": "⟩", "‹": "›"}
CLOSERS = {v: k for k, v in OPENERS.items()}
_QUOTABLE = set("\\\"'rnt")
Tokens = frozenset[str]
CORE_TOKENS: Tokens = frozenset()
MATHLIB_TOKENS: Tokens = frozenset({"''", "⁻¹'"})
"""Tokens with an apostrophe that Mathlib declares (`f '' s`, `f ⁻¹' s`), and so does the
compatibility prelude: where they are tokens Lean reads their `'` as part of them, not as the
start of a character literal. Only statements whose header imports Mathlib are read with them,
and the engine runs those only on a Lean that declares them too (Mathlib, or the prelude;
`tests/test_prelude.py` checks the prelude's). Lean's other apostrophe tokens (`∑'`, `∏'`) are
left out: they still fail closed here."""
_HEX = set("0123456789abcdefABCDEF")


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    start: int
    end: int
    components: tuple[str, ...] = ()
    """For identifiers: the dotted parts, `«escapes»` removed (`«sorryAx»` is `sorryAx` to Lean)."""


@dataclass
class Lexed:
    """Which characters are code (not in a comment, string or character literal), and their
    bracket depth; the tokens in order."""

    text: str
    code: list[bool]
    depth: list[int]
    literal: list[bool]
    """Inside a string or character literal (kept verbatim when comments are blanked)."""
    tokens: list[Token] = field(default_factory=list)


def is_letter_like(char: str) -> bool:
    """`Lean.isLetterLike`: Greek (but λ Π Σ), Coptic, the letterlike block (ℕ ℤ ℚ ℝ …), math
    alphanumerics."""
    c = ord(char)
    return (
        (0x3B1 <= c <= 0x3C9 and c != 0x3BB)
        or (0x391 <= c <= 0x3A9 and c not in (0x3A0, 0x3A3))
        or 0x3CA <= c <= 0x3FB
        or 0x1F00 <= c <= 0x1FFE
        or 0x2100 <= c <= 0x214F
        or 0x1D49C <= c <= 0x1D59F
    )


def is_subscript_alnum(char: str) -> bool:
    """`Lean.isSubScriptAlnum`: ₀-₉, subscript letters."""
    c = ord(char)
    return 0x2080 <= c <= 0x2089 or 0x2090 <= c <= 0x209C or 0x1D62 <= c <= 0x1D6A


def _ascii_alpha(char: str) -> bool:
    return ("a" <= char <= "z") or ("A" <= char <= "Z")


def _digit(char: str) -> bool:
    return "0" <= char <= "9"


def is_id_first(char: str) -> bool:
    return _ascii_alpha(char) or char == "_" or is_letter_like(char)


def is_id_rest(char: str) -> bool:
    return (
        _ascii_alpha(char)
        or _digit(char)
        or char in "_'!?"
        or is_letter_like(char)
        or is_subscript_alnum(char)
    )


class _Scanner:
    def __init__(self, text: str, tokens: Tokens) -> None:
        self.text = text
        self.extra_tokens = sorted(tokens, key=len, reverse=True)  # Lean takes the longest
        self.code = [True] * len(text)
        self.literal = [False] * len(text)
        self.tokens: list[Token] = []

    def at(self, index: int) -> str:
        return self.text[index] if index < len(self.text) else ""

    def scan(self) -> None:
        i = 0
        while i < len(self.text):
            i = self._token(i)

    def _token(self, i: int) -> int:
        text, char = self.text, self.text[i]
        if char in " \n\t":
            return i + 1
        if text.startswith("--", i):
            return self._comment(i, _line_end(text, i))
        if text.startswith("/-", i):
            return self._comment(i, _block_comment_end(text, i))
        if char == '"':
            if self.tokens and self.tokens[-1].kind == "ident" and self.tokens[-1].end == i:
                raise InvalidStatement(
                    "prefixed_string", 'prefixed string literals (s!"…", b"…", …) are not allowed', (i, i + 1)
                )
            return self._literal(i, _string_end(text, i), "string")
        if char == "'" and self.at(i + 1) != "'":
            return self._literal(i, _char_end(text, i), "char")
        if _digit(char):
            return self._add("number", i, _number_end(text, i))
        if char == "`":
            raise InvalidStatement(
                "quotation", "name literals and quotations (`…) are not allowed", (i, i + 1)
            )
        if char == "r" and _raw_string_start(text, i + 1):
            return self._literal(i, _raw_string_end(text, i), "string")
        if is_id_first(char) or char == "«":
            end, components = _identifier(text, i)
            return self._add("ident", i, end, components)
        if token := next((t for t in self.extra_tokens if text.startswith(t, i)), None):
            return self._add("symbol", i, i + len(token))
        if char == "'":
            raise InvalidStatement("bad_char_literal", "'' is not a Lean token", (i, i + 2))
        return self._add("symbol", i, i + 1)

    def _comment(self, start: int, end: int) -> int:
        self.code[start:end] = [False] * (end - start)
        return end

    def _literal(self, start: int, end: int, kind: TokenKind) -> int:
        self.code[start:end] = [False] * (end - start)
        self.literal[start:end] = [True] * (end - start)
        return self._add(kind, start, end)

    def _add(self, kind: TokenKind, start: int, end: int, components: tuple[str, ...] = ()) -> int:
        self.tokens.append(Token(kind, start, end, components))
        return end


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _block_comment_end(text: str, start: int) -> int:
    """`finishCommentBlock`: nested `/- … -/`; doc comments (`/--`, `/-!`) end the same way."""
    level, i = 1, start + 2
    while i < len(text):
        if text.startswith("-/", i):
            level, i = level - 1, i + 2
            if level == 0:
                return i
        elif text.startswith("/-", i):
            level, i = level + 1, i + 2
        else:
            i += 1
    raise InvalidStatement("unterminated_comment", "a /- comment is never closed", (start, start + 2))


def _escape_end(text: str, i: int, in_string: bool) -> int:
    """`quotedCharCoreFn` at the character after a backslash: where the escape ends."""
    char = text[i] if i < len(text) else ""
    if char in _QUOTABLE and char:
        return i + 1
    if char == "x" and all(c in _HEX for c in text[i + 1 : i + 3]) and len(text[i + 1 : i + 3]) == 2:
        return i + 3
    if char == "u" and all(c in _HEX for c in text[i + 1 : i + 5]) and len(text[i + 1 : i + 5]) == 4:
        return i + 5
    if in_string and char == "\n":  # a string gap: the newline, then any spaces
        i += 1
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] == "\n":
            raise InvalidStatement("invalid_escape", "a string gap may hold one newline only", (i, i + 1))
        return i
    raise InvalidStatement("invalid_escape", "invalid escape sequence in a literal", (i - 1, i + 1))


def _string_end(text: str, start: int) -> int:
    i = start + 1
    while i < len(text):
        if text[i] == '"':
            return i + 1
        i = _escape_end(text, i + 1, in_string=True) if text[i] == "\\" else i + 1
    raise InvalidStatement("unterminated_string", "a string literal is never closed", (start, start + 1))


def _char_end(text: str, start: int) -> int:
    """`charLitFnAux`: one character or one escape, then `'`."""
    if start + 1 >= len(text):
        raise InvalidStatement("bad_char_literal", "a character literal is never closed", (start, start + 1))
    i = _escape_end(text, start + 2, in_string=False) if text[start + 1] == "\\" else start + 2
    if text[i : i + 1] != "'":
        raise InvalidStatement(
            "bad_char_literal", "missing end of character literal", (start, min(i + 1, len(text)))
        )
    return i + 1


def _raw_string_start(text: str, i: int) -> bool:
    """`isRawStrLitStart`, at the character after `r`: `#`s then `"`."""
    while i < len(text) and text[i] == "#":
        i += 1
    return text[i : i + 1] == '"'


def _raw_string_end(text: str, start: int) -> int:
    """`rawStrLitFnAux`: `r#…#"…"#…#` with as many closing `#`s as opening ones, no escapes."""
    hashes = 0
    while text[start + 1 + hashes] == "#":
        hashes += 1
    closing = '"' + "#" * hashes
    end = text.find(closing, start + 2 + hashes)
    if end < 0:
        raise InvalidStatement(
            "unterminated_string", "a raw string literal is never closed", (start, start + 1)
        )
    return end + len(closing)


def _number_end(text: str, start: int) -> int:
    """`numberFnAux`: 0b/0o/0x literals, decimals with `_`, an optional `.digits` and exponent."""
    i = start + 1
    if text[start] == "0" and text[i : i + 1] in ("b", "B", "o", "O", "x", "X"):
        i += 1
        while i < len(text) and (text[i] in _HEX or text[i] == "_"):
            i += 1
        return i
    while i < len(text) and (_digit(text[i]) or text[i] == "_"):
        i += 1
    if text[i : i + 1] == ".":
        i += 1
        while i < len(text) and (_digit(text[i]) or text[i] == "_"):
            i += 1
    if text[i : i + 1] in ("e", "E"):
        i += 1
        if text[i : i + 1] in ("+", "-"):
            i += 1
        while i < len(text) and (_digit(text[i]) or text[i] == "_"):
            i += 1
    return i


def _identifier(text: str, start: int) -> tuple[int, tuple[str, ...]]:
    """`identFnAux`: parts separated by `.`, each plain (`isIdFirst isIdRest*`) or `«escaped»`."""
    components: list[str] = []
    i = start
    while True:
        if text[i] == "«":
            close = text.find("»", i + 1)
            if close < 0:
                raise InvalidStatement("unterminated_name", "a «name» is never closed", (i, i + 1))
            components.append(text[i + 1 : close])
            i = close + 1
        else:
            part = i
            i += 1
            while i < len(text) and is_id_rest(text[i]):
                i += 1
            components.append(text[part:i])
        if text[i : i + 1] == "." and i + 1 < len(text) and (is_id_first(text[i + 1]) or text[i + 1] == "«"):
            i += 1
            continue
        return i, tuple(components)


def lex(text: str, tokens: Tokens = CORE_TOKENS) -> Lexed:
    """Tokens, the code mask and bracket depths of `text`; `InvalidStatement` on anything unreadable or
    on unbalanced brackets (outside comments and literals). `tokens`: the apostrophe tokens the
    reading Lean declares beyond core's (`MATHLIB_TOKENS`)."""
    scanner = _Scanner(text, tokens)
    scanner.scan()
    brackets = {t.start for t in scanner.tokens if t.kind == "symbol" and text[t.start] in "([{⦃⟨‹)]}⦄⟩›"}
    depth = [0] * len(text)
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(text):
        if i in brackets and char in OPENERS:
            stack.append((char, i))
        elif i in brackets:
            if not stack or stack[-1][0] != CLOSERS[char]:
                raise InvalidStatement("unbalanced_brackets", f"unmatched {char!r}", (i, i + 1))
            stack.pop()
        depth[i] = len(stack)
    if stack:
        opener, at = stack[-1]
        raise InvalidStatement("unbalanced_brackets", f"{opener!r} is never closed", (at, at + 1))
    return Lexed(text, scanner.code, depth, scanner.literal, scanner.tokens)
