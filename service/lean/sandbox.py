"""Process confinement for untrusted Lean source: limits applied in the child before exec.

What this confines: the child gets a private scratch directory as cwd/HOME/TMPDIR, an
environment built from scratch (see the backends), no core dumps, a cap on the size of files it
writes, a main-thread stack large enough for deep elaboration, its own process group (so the
whole tree is killed together), and death when its parent dies. Memory is bounded by the
session's RSS watchdog (an address-space rlimit would break the WebAssembly runtime, which
reserves large virtual ranges); the embedded Lean is additionally run under Node's permission
model (see EmbeddedBackend.launch).
"""

from __future__ import annotations

import ctypes
import resource
import signal

MAX_FILE_BYTES = 256 * 1024 * 1024
STACK_BYTES = 128 * 1024 * 1024
"""The main thread's stack limit. The embedded Lean elaborates on Node's main thread, and
WebAssembly recursion uses the native stack: with Node's default (under 1 MB) deep elaboration
under the compatibility prelude dies with `RangeError: Maximum call stack size exceeded`. The
pages are committed only as they are used."""
_PR_SET_PDEATHSIG = 1


def main_stack_bytes() -> int:
    """The main-thread stack a Lean child gets: `STACK_BYTES`, or less if the hard limit is lower."""
    hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
    return STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)


def confine_child() -> None:
    """`preexec_fn` for a Lean process (runs in the forked child)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _, hard_stack = resource.getrlimit(resource.RLIMIT_STACK)
    resource.setrlimit(resource.RLIMIT_STACK, (main_stack_bytes(), hard_stack))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:  # not glibc Linux: the pool's shutdown still kills the group
        pass
