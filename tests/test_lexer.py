"""The validator's lexer against Lean's own: literals, comments and names end where Lean ends them.

The pure-Python cases pin each lexical rule; `test_validator_agrees_with_lean_parser` generates
statements full of hostile literal content (and mutants of them) and asks Lean itself, through
the confirmation step, whether what the validator accepted is one term with no extra command.
"""

from __future__ import annotations

import json
import random

import pytest

from service.equivalence import keywords
from service.equivalence.confirm import StatementConfirmer
from service.equivalence.lexer import MATHLIB_TOKENS, lex
from service.equivalence.preamble import NO_PREAMBLE
from service.equivalence.statement import InvalidStatement, parse_statement
from service.lean.pool import LeanPool


def literal_spans(text: str) -> list[str]:
    lexed = lex(text)
    return [text[t.start : t.end] for t in lexed.tokens if t.kind in ("string", "char")]


@pytest.mark.parametrize(
    ("text", "literals"),
    [
        ("c = '\"' ∧ d = '\"'", ["'\"'", "'\"'"]),  # the forgery's char literals are not a string
        ("c = '\\'' ∧ s = \"'\"", ["'\\''", '"\'"']),
        ("c = '\\\\' ∧ c = '\\x41' ∧ c = '\\u0041' ∧ c = '\\t'", ["'\\\\'", "'\\x41'", "'\\u0041'", "'\\t'"]),
        ('s = "a\\"b" ∧ t = "\\\\"', ['"a\\"b"', '"\\\\"']),
        ('s = r"a\\" ∧ t = r#"x"y)"#', ['r"a\\"', 'r#"x"y)"#']),  # raw strings: no escapes
        ("h' = h'' ∧ x₁ = 2'a'", ["'a'"]),  # primes belong to names; after a numeral, a char
        ('s = "gap \\\n   here"', ['"gap \\\n   here"']),
    ],
)
def test_literals_end_where_lean_ends_them(text: str, literals: list[str]) -> None:
    assert literal_spans(text) == literals


def test_mathlibs_apostrophe_tokens_are_not_literals_where_lean_declares_them() -> None:
    """With Mathlib's tokens `''` and `⁻¹'` (declared by Mathlib and by the prelude), their `'` is
    no literal's start; without them (core Lean) the same text is read as Lean reads it there:
    `''` is no token, and after `⁻¹` a character literal begins."""
    text = "f ⁻¹' {')'} = f '' {'a'}"
    lexed = lex(text, MATHLIB_TOKENS)
    assert [text[t.start : t.end] for t in lexed.tokens if t.kind == "char"] == ["')'", "'a'"]
    assert [
        text[t.start : t.end] for t in lexed.tokens if t.kind == "symbol" and "'" in text[t.start : t.end]
    ] == [
        "⁻¹'",
        "''",
    ]
    assert literal_spans("f ⁻¹'a'") == ["'a'"]  # core: `⁻¹`, then a literal
    assert [t.kind for t in lex("f ⁻¹'a'", MATHLIB_TOKENS).tokens] == ["ident", "symbol", "ident"]  # `a'`
    with pytest.raises(InvalidStatement):
        lex("f '' s")


def test_comments_nest_and_names_may_hold_anything() -> None:
    statement = parse_statement("theorem t (x : Nat) : /- a /- nested ) -/ still -/ «odd ) name» = x -- )")
    assert statement.type == "«odd ) name» = x"
    assert parse_statement('/-- a doc comment -/ theorem t : "--" = "--"').type == '"--" = "--"'


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("'\"'.toNat = 34) --'\"'", "unbalanced_brackets"),  # the char-literal forgery, both sides
        ("'\"'.toNat = 35)\n ↔ ('\"'.toNat = 34", "unbalanced_brackets"),
        ('theorem t : "\\q" = ""', "invalid_escape"),  # crashed a session before
        ("theorem t : '\\u{41}' = 'A'", "invalid_escape"),  # Lean has no \u{…} escape
        ("theorem t : 'ab' = 'a'", "bad_char_literal"),
        ("theorem t : '' = 'a'", "bad_char_literal"),
        ('theorem t : s!"{x})" = ""', "prefixed_string"),  # interpolation holds code
        ("theorem t : `(1 = 1) = `(True)", "quotation"),
        ("theorem t : «x = 1", "unterminated_name"),
        ('theorem t : r#"x" = 1', "unterminated_string"),
        ("theorem t : x = 1 simproc foo", "forbidden_word"),
        ("theorem t : x = 1 dsimproc foo", "forbidden_word"),
        ("theorem t : (1 = 1 seal foo)", "forbidden_word"),
        ("theorem t : (1 = 1 init_quot)", "forbidden_word"),
        ("theorem t : (1 = 1 grind_pattern foo)", "forbidden_word"),
        ("theorem t : (1 = 1 binder_predicate)", "forbidden_word"),
        ("theorem t : Lean.ofReduceBool x y h = rfl", "forbidden_word"),  # per component
        ("theorem t : sorryAx Prop true", "forbidden_word"),
        ("theorem t : «sorryAx» Prop true", "forbidden_word"),  # escapes removed first
        ("theorem t (h : Foo.unsafe.bar) : True", "forbidden_word"),
        ("theorem t : @[implemented_by f] True", "attribute"),
        ("theorem t : implemented_by = 1", "forbidden_word"),
        ("theorem t : (1 = 1 #eval 1)", "command"),
        ("theorem t : 1 = 1\r2 = 2", "control_character"),
    ],
)
def test_hostile_lexemes_are_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidStatement) as refused:
        parse_statement(text)
    assert refused.value.reason == reason


def test_tabs_and_crlf_are_whitespace_for_us_and_for_lean() -> None:
    assert parse_statement("theorem t (x : Nat) :\r\n\tx = x").type == "x = x"
    assert parse_statement('theorem t : "\t" = "\t"').type == '"\t" = "\t"'  # kept inside strings


def test_keywords_are_lean_derived() -> None:
    stored = keywords.command_keywords()
    assert {
        "simproc",
        "dsimproc",
        "seal",
        "init_quot",
        "grind_pattern",
        "binder_predicate",
        "axiom",
    } <= stored
    assert "in" not in stored and "fun" not in stored and "Nat" not in stored


# ---------------------------------------------------------------- against Lean's parser

HOSTILE = [
    '"',
    "'",
    "\\",
    ")",
    "(",
    "--",
    "/-",
    "-/",
    "#eval IO.println 1",
    "\n",
    "»",
    "«",
    'r#"',
    "⟩",
    "theorem x : False := sorry",
    "axiom evil : False",
    "@[simp]",
    "`",
    "{",
    "}",
    "simproc",
]


def _escape(piece: str) -> str:
    return piece.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _string(rng: random.Random) -> str:
    content = "".join(rng.choice(HOSTILE) for _ in range(rng.randint(0, 4)))
    if rng.random() < 0.3:
        return f'r#"{content.replace(chr(34) + "#", "")}"#'
    return '"' + _escape(content) + rng.choice(["", "\\x41", "\\u0042", "\\'", "\\t"]) + '"'


def _char(rng: random.Random) -> str:
    return rng.choice(
        ["'a'", "'\"'", "'\\''", "'\\\\'", "'\\x41'", "'\\u0041'", "'('", "')'", "'-'", "'`'", "'«'"]
    )


def _comment(rng: random.Random) -> str:
    content = "".join(
        rng.choice([p for p in HOSTILE if "-/" not in p and "/-" not in p and "\n" not in p])
        for _ in range(rng.randint(0, 3))
    )
    if rng.random() < 0.5:
        return f"/- {content} /- {content} -/ -/"
    return f"-- {content}\n"


def _term(rng: random.Random, depth: int = 0) -> str:
    if depth > 2 or rng.random() < 0.3:
        return rng.choice(
            [
                f"(String.length {_string(rng)} = {rng.randint(0, 9)})",
                f"(c = {_char(rng)})",
                "(x = x)",
                f"(s = {_string(rng)})",
                "(h' = h')",
                "((fun («a ) b» : Nat) => «a ) b») x = x)",
            ]
        )
    left, right = _term(rng, depth + 1), _term(rng, depth + 1)
    return rng.choice([f"({left} ∧ {right})", f"({left} → {_comment(rng)} {right})", f"({left} ∨ {right})"])


def generated_statements(seed: int, count: int) -> tuple[list[str], list[str]]:
    """Valid statements (every literal well-formed), and mutants of them (an edit anywhere)."""
    rng = random.Random(seed)
    valid = [f"theorem t (x : Nat) (h' : x = x) (s : String) (c : Char) : {_term(rng)}" for _ in range(count)]
    mutants = []
    for text in valid:
        at = rng.randrange(len(text))
        mutants.append(text[:at] + rng.choice([*HOSTILE, ""]) + text[at + rng.choice([0, 1]) :])
    return valid, mutants


@pytest.mark.lean
async def test_validator_agrees_with_lean_parser(lean_pool: LeanPool) -> None:
    """Property: for generated inputs, what the validator accepts Lean parses as one term, with
    no parse error and no extra command; for mutants the validator accepts, never an extra
    command (a parse error there is refused by Lean's confirmation, failing closed)."""
    valid, mutants = generated_statements(seed=20261201, count=120)
    confirmer = StatementConfirmer(lean_pool, heartbeats=4000)
    parsed = [parse_statement(text) for text in valid]  # every valid statement must pass
    accepted_mutants = []
    for text in mutants:
        try:
            accepted_mutants.append((text, parse_statement(text)))
        except InvalidStatement:
            continue
    items = [(NO_PREAMBLE, s) for s in parsed + [s for _, s in accepted_mutants]]
    answers = await confirmer.confirm(items, timeout=300)
    for text, statement in zip(valid, parsed, strict=True):
        answer = answers[(NO_PREAMBLE.text, statement.prop)]
        assert answer.status in ("confirmed", "ill_typed"), (text, answer)
    for text, statement in accepted_mutants:
        answer = answers[(NO_PREAMBLE.text, statement.prop)]
        assert answer.refusal is None or answer.refusal.reason != "extra_command", (text, answer)
    assert len(accepted_mutants) >= 20  # the mutants exercise Lean, not only the validator


@pytest.mark.lean
async def test_stored_keywords_still_lead_commands_in_this_lean(lean_pool: LeanPool) -> None:
    """The derived list matches the running Lean: every stored word starts a command, and common
    term words do not (the full derivation: `python -m service.equivalence.keywords`)."""
    assert keywords.stored_lean_version() == lean_pool.lean_version()
    stored = sorted(keywords.command_keywords())
    leading = await keywords.probe(lean_pool, stored)
    assert set(stored) - leading == set()
    assert await keywords.probe(lean_pool, ["fun", "by", "show", "at", "with", "calc", "then", "x"]) == set()
    assert json.loads(keywords.KEYWORDS_FILE.read_text())["keywords"] == stored
