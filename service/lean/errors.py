"""The runtime's one exception tree. None of these is ever a verdict.

`LeanSessionError` and below: a session failed (an infrastructure error: HTTP 503, a batch item
retried). `PoolSaturated` is its own branch: nothing failed, the pool was busy (HTTP 429 with
`Retry-After`), so code that handles failures never has to let it through by hand.
"""

from __future__ import annotations


class LeanRuntimeError(RuntimeError):
    """The Lean runtime could not do what was asked."""


class LeanSessionError(LeanRuntimeError):
    """Lean itself failed (crash, time-out, memory, incomplete output)."""


class LeanTimeout(LeanSessionError):
    def __init__(self, message: str, chunk: int | None = None) -> None:
        super().__init__(message)
        self.chunk = chunk
        """The chunk Lean was stuck in, when known: the caller may drop it and run the rest."""


class LeanCrashed(LeanSessionError):
    """The Lean process exited."""


class LeanIncomplete(LeanSessionError):
    """Lean went idle without reporting the end marker: its messages may be incomplete."""


class LeanMemoryExceeded(LeanSessionError):
    """The process outgrew the session memory limit and was killed."""


class PoolClosed(LeanSessionError):
    """The pool is shut down."""


class PoolSaturated(LeanRuntimeError):
    """No session became free within the caller's wait limit: try again later."""
