"""What blocks a direction: the goals left after applying the source statement.

For a direction `A → B` that no script proved, one attempt (`SCRIPT`) introduces `h : A` and B's
binders, prints the goal (`trace_state`: B's conclusion in B's context), applies `h`, prints the
goals that leaves (A's hypotheses, in B's context), and tries cheap automation on each
(`CLOSE`). Lean's messages then say everything: `apply` failing names the conclusions
that do not match; an "unsolved goals" error lists the hypotheses of A that B's hypotheses do not
give. Those goals, as Lean prints them, are the direction's obligations, and the share of them
discharged is the pair's graded score (`CheckResult.score`).

Why this cannot make a 1: the attempt is diagnostic only; nothing it proves is recorded as a
proof, and it is read only through its messages.
"""

from __future__ import annotations

import re

from service.equivalence.verdict import DirectionResult, Obligation
from service.lean.document import Message

CLOSE = "(first | assumption | (intros; first | assumption | omega))"
"""What closes an obligation: the transports' side-goal automation without `grind`. Cheap on
purpose: the goals share one command's heartbeats, and one closer that runs out of them ends the
command with the rest unread (`simp_all` did on goals with metavariables); `grind` on a goal it
cannot close is where Lean stalls (30 CPU-s and a session restart each)."""
SCRIPT = f"intro h\nintros\ntrace_state\napply h\ntrace_state\nall_goals (try {CLOSE})"
_UNSOLVED = "unsolved goals"
_OUT_OF_BUDGET = ("maximum number of heartbeats", "maximum recursion depth")
"""Errors that say Lean stopped, not what is left: the obligations are then unknown."""
_TYPE_GOAL = re.compile(r"^(?:Nat|Int|ℕ|ℤ|ℚ|ℝ|ℂ|Bool|Prop|Fin \S+|Type\S*|Sort\S*)$")
"""A goal for a variable `apply` could not fix from the conclusion (`⊢ Nat`): not an obligation
of its own (closing the hypotheses that mention it fixes it)."""
_NOT_UNIFIED = re.compile(r"conclusion of `h`\s*\n(.*?)\nwith the goal", re.DOTALL)


def goals(text: str) -> list[str]:
    """The goals of a goal-state message (`case …`, context, `⊢ target`), blank-line separated."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [block for block in blocks if "⊢" in block]


def target(goal: str) -> str:
    """The goal's proposition: what follows `⊢`, on one line."""
    return " ".join(goal.split("⊢", 1)[1].split())


def _shown(text: str) -> str:
    """How a goal's proposition reads in a sentence: without Lean's inaccessible-name marks."""
    return text.replace("✝", "")


def _propositions(found: list[str]) -> list[str]:
    return [goal for goal in found if not _TYPE_GOAL.match(target(goal))]


def read(direction: DirectionResult, name: str, messages: list[Message]) -> None:
    """Fill a direction's obligations from the messages of its `SCRIPT` attempt."""
    source, destination = name.split("_to_")
    states = [m.text for m in messages if m.severity == "information"]
    errors = [m.text for m in messages if m.severity == "error"]
    if not states or any(limit in error for error in errors for limit in _OUT_OF_BUDGET):
        return  # it did not get as far as the goal, or stopped on the way: nothing to report
    if len(states) < 2:  # `apply h` failed: A's conclusion does not match B's
        direction.obligations = [_conclusion(goals(states[0]), errors, source, destination)]
        direction.discharged, direction.obligation_count = 0, 1
        return
    premises = _propositions(goals(states[1]))
    unsolved = [e for e in errors if e.startswith(_UNSOLVED)]
    if len(unsolved) < len(errors):  # e.g. out of heartbeats: what is left is not known
        return
    left = _propositions(goals(unsolved[0].removeprefix(_UNSOLVED))) if unsolved else []
    direction.obligations = [_hypothesis(goal, source, destination) for goal in left]
    direction.obligation_count = 1 + len(premises)  # the conclusion, matched by `apply`
    direction.discharged = direction.obligation_count - len(left)


def _conclusion(conclusion: list[str], errors: list[str], source: str, destination: str) -> Obligation:
    wanted = target(conclusion[0]) if conclusion else ""
    summary = f"conclusion `{_shown(wanted)}` of {destination} does not follow from {source}"
    if errors and (matched := _NOT_UNIFIED.search(errors[0])) is not None:
        given = _shown(" ".join(matched.group(1).split()))
        summary += f" (`apply` cannot match {source}'s conclusion `{given}`)"
    goal = conclusion[0] if conclusion else ""
    return Obligation(kind="conclusion", target=wanted, goal=goal, summary=summary)


def _hypothesis(goal: str, source: str, destination: str) -> Obligation:
    proposition = target(goal)
    summary = f"hypothesis `{_shown(proposition)}` of {source} is not derived from {destination}'s hypotheses"
    return Obligation(kind="hypothesis", target=proposition, goal=goal, summary=summary)
