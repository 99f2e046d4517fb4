"""Validation of untrusted statements (pure Python: no Lean needed)."""

from __future__ import annotations

import pytest

from service.equivalence.statement import MAX_STATEMENT_CHARS, InvalidStatement, parse_statement


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("theorem t : 1 = 1) #eval IO.println 1 (", "unbalanced_brackets"),
        ("theorem t : 1 = 1\n#eval IO.println 1", "command"),
        ("theorem t : (1 = 1 \n #print axioms foo)", "command"),
        ("theorem t : True := by trivial\ntheorem u : False", "forbidden_word"),
        ("theorem t (h : sorry) : True", "forbidden_word"),
        ("theorem t : (by native_decide : 1 = 1) = rfl", "forbidden_word"),
        ("theorem t : set_option maxHeartbeats 0 in True", "forbidden_word"),
        ("theorem t : @[simp] True", "attribute"),
        ("import Lean", "forbidden_word"),
        ("theorem t : x = /- never closed", "unterminated_comment"),
        ("theorem t : 1 = 1\x00", "control_character"),
        ("theorem t x : True", "bad_binders"),
        ("   ", "empty"),
        ("theorem t : " + "1 + " * MAX_STATEMENT_CHARS + "1 = 1", "too_long"),
    ],
)
def test_invalid_statements_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidStatement) as refused:
        parse_statement(text)
    assert refused.value.reason == reason


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(InvalidStatement, match="not UTF-8"):
        parse_statement(b"theorem t : \xff = 1")


def test_header_is_split_and_the_proof_dropped() -> None:
    statement = parse_statement("lemma foo (a b : Nat) (h : a < b) : a + 1 ≤ b := by\n  omega")
    assert (statement.name, statement.binders, statement.type) == (
        "foo",
        "(a b : Nat) (h : a < b)",
        "a + 1 ≤ b",
    )
    assert statement.prop == "∀ (a b : Nat) (h : a < b), (a + 1 ≤ b)"


def test_comments_cannot_swallow_the_closing_bracket() -> None:
    statement = parse_statement('theorem t (s : String) : s = "-- not a comment" -- a comment')
    assert statement.prop == '∀ (s : String), (s = "-- not a comment")'


def test_bare_proposition_and_keywords_inside_strings() -> None:
    assert parse_statement("∀ n : Nat, n = n").prop == "(∀ n : Nat, n = n)"
    assert (
        parse_statement('theorem t : "#eval import" = "#eval import"').type
        == '"#eval import" = "#eval import"'
    )


def test_placeholder_proofs_are_dropped_but_hidden_commands_are_not() -> None:
    assert parse_statement("theorem t (n : Nat) : n = n := sorry").type == "n = n"
    assert parse_statement("theorem t : 1 = 1 := by native_decide").type == "1 = 1"
    with pytest.raises(InvalidStatement, match="'def'"):
        parse_statement("theorem t : True := trivial\ndef evil := 1")
