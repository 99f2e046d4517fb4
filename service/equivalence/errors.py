"""The one exception for untrusted input the equivalence layer refuses."""

from __future__ import annotations


class InvalidStatement(ValueError):
    """A statement or preamble was refused; `reason` is machine-readable, `span` locates the
    offence (character offsets into the text as given, when known)."""

    def __init__(self, reason: str, message: str, span: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.span = span

    def as_dict(self) -> dict[str, object]:
        return {"reason": self.reason, "message": self.message, "span": self.span}
