"""What we ask Lean (a header plus independent chunks) and what it answers (typed messages).

A message is attributed to the chunk whose lines contain its start position, so one Lean run
can carry the attempts of many checks and each still gets exactly its own messages.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "information"]


class Position(BaseModel):
    line: int
    """1-based, as in `lean --json`."""
    column: int
    """0-based, in Unicode code points, as in `lean --json`."""


class Message(BaseModel):
    severity: Severity
    pos: Position
    end_pos: Position | None = None
    text: str
    kind: str = ""
    """Lean's message kind where the backend reports it, e.g. `hasSorry`."""
    chunk: int | None = None
    """Index of the chunk that produced the message; None for the header or glue."""


class Document(BaseModel):
    header: str = ""
    chunks: list[str] = Field(default_factory=list)

    def render(self) -> tuple[str, list[int]]:
        """The file text and the 1-based line on which each chunk starts."""
        parts: list[str] = []
        starts: list[int] = []
        line = 1
        if self.header:
            header = self.header.rstrip("\n") + "\n\n"
            parts.append(header)
            line += header.count("\n")
        for chunk in self.chunks:
            text = chunk.rstrip("\n") + "\n\n"
            starts.append(line)
            parts.append(text)
            line += text.count("\n")
        return "".join(parts), starts


class RunResult(BaseModel):
    messages: list[Message]
    elapsed_s: float
    backend: str
    lean_version: str

    def for_chunk(self, index: int) -> list[Message]:
        return [m for m in self.messages if m.chunk == index]

    def errors(self, index: int | None = None) -> list[Message]:
        return [m for m in self.messages if m.severity == "error" and (index is None or m.chunk == index)]


def attribute(messages: list[Message], chunk_starts: list[int]) -> list[Message]:
    """Each message with its chunk set from its start line (None before the first chunk), in
    source order."""
    attributed = []
    for message in sorted(messages, key=lambda m: (m.pos.line, m.pos.column)):
        index = bisect_right(chunk_starts, message.pos.line) - 1
        attributed.append(message.model_copy(update={"chunk": index if index >= 0 else None}))
    return attributed
