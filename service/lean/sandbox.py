"""Process confinement for untrusted Lean source: limits applied in the child before exec.

What this confines: the child gets a private scratch directory as cwd/HOME/TMPDIR, an
environment built from scratch (see the backends), no core dumps, a cap on the size of files it
writes, its own process group (so the whole tree is killed together), and death when its parent
dies. Memory is bounded by the session's RSS watchdog (an address-space rlimit would break the
WebAssembly runtime, which reserves large virtual ranges); the embedded Lean is additionally run
under Node's permission model (see EmbeddedBackend.launch).
"""

from __future__ import annotations

import ctypes
import resource
import signal

MAX_FILE_BYTES = 256 * 1024 * 1024
_PR_SET_PDEATHSIG = 1


def confine_child() -> None:
    """`preexec_fn` for a Lean process (runs in the forked child)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:  # not glibc Linux: the pool's shutdown still kills the group
        pass
