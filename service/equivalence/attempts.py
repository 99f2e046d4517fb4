"""How an attempt is written and bounded: one builder for the engine and the proof search alike."""

from __future__ import annotations

import re

DEFAULT_HEARTBEATS = 4000
"""Per attempt: about 1-1.5 s of the embedded Lean."""
CONFIRM_HEARTBEATS_FACTOR = 5
"""Elaborating a statement alone (its confirmation) may take this many attempts' budgets: it runs
once per statement, and heavy coercions or instance search under the compatibility prelude can
need more than one attempt's worth."""
MAX_STALLS_PER_RUN = 2
"""Attempts on which Lean may stall per pair (or per search step batch) before the run gives up:
each costs the stall limit plus a session restart."""


def example(goal: str, script: str, heartbeats: int) -> str:
    """`example : GOAL := by SCRIPT` under a heartbeat budget. Each line of the script is one
    tactic of the same block (a found proof is a tactic a line); an empty script is `skip`, which
    leaves the goal open (how a search reads its initial state)."""
    body = "\n".join(f"  {line}" for line in script.splitlines()) or "  skip"
    return f"set_option maxHeartbeats {heartbeats} in\nexample : {goal} := by\n{body}"


def first_traced(tactics: list[str], tag: str) -> str:
    """Several one-line tactic scripts as one: `first`, each alternative followed by
    `trace "TAG K"`. `first` keeps only the messages of the alternative that held, so the one
    trace left names it (`traced_index`)."""
    alternatives = "\n".join(f'  | ({tactic}); trace "{tag} {k}"' for k, tactic in enumerate(tactics))
    return f"first\n{alternatives}"


def traced_index(texts: list[str], tag: str) -> int | None:
    """The index a `first_traced` attempt that succeeded names, from its messages."""
    pattern = re.compile(rf"{re.escape(tag)} (\d+)")
    for text in texts:
        if (found := pattern.search(text)) is not None:
            return int(found.group(1))
    return None
