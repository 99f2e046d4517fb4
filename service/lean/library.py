"""Lean modules compiled once and imported by every session (`import NAME` in the header).

Elaborating a long header in every session costs its whole text at each start and its snapshots
on each request; importing the compiled module costs a fraction of that (the compatibility
prelude: 21 s of one-shot `lean` as text, 9 s imported). A library is built from source by the
backend's own Lean, into the cache directory, under a name that is the digest of its source and
the Lean version, so a changed prelude or Lean can never reuse a stale `.olean`. Sessions can
read the built files but not write them (the embedded Lean may write only its scratch directory).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock

from service.lean.errors import LeanRuntimeError

if TYPE_CHECKING:
    from service.lean.backend import LeanBackend

BUILD_TIMEOUT_S = 900.0


@dataclass(frozen=True)
class LeanLibrary:
    """One module, by name and source text."""

    module: str
    """e.g. `LeanEquiv.Compat.Prelude`: the file is `LeanEquiv/Compat/Prelude.lean`."""
    source: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.module}\n{self.source}".encode()).hexdigest()[:16]

    @property
    def import_line(self) -> str:
        return f"import {self.module}"

    @property
    def relative_path(self) -> Path:
        return Path(*self.module.split("."))


def build_library(library: LeanLibrary, backend: LeanBackend, cache_dir: Path) -> Path:
    """The library's root (a LEAN_PATH entry holding its `.olean`), built now if missing.
    Built in a temporary directory and renamed into place, under a lock: concurrent processes
    build it once, and a crash leaves no half-written library behind."""
    libraries = cache_dir / "libraries"
    built_by = hashlib.sha256(f"{library.digest}\n{backend.version()}".encode()).hexdigest()[:16]
    root = libraries / f"{library.relative_path.name}-{built_by}"
    olean = library.relative_path.with_suffix(".olean")
    if (root / olean).is_file():
        return root
    libraries.mkdir(parents=True, exist_ok=True)
    with FileLock(str(libraries / "build.lock")):
        if not (root / olean).is_file():
            _build(library, backend, libraries, root)
    return root


def _build(library: LeanLibrary, backend: LeanBackend, libraries: Path, root: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="build-", dir=libraries))
    try:
        source = work / library.relative_path.with_suffix(".lean")
        source.parent.mkdir(parents=True)
        source.write_text(library.source, encoding="utf-8")
        olean = source.with_suffix(".olean")
        done = backend.launch(["-o", str(olean), str(source)], work).run(timeout=BUILD_TIMEOUT_S)
        errors = [line for line in done.stdout.splitlines() if ": error" in line]
        if done.returncode != 0 or errors or not olean.is_file():
            tail = "\n".join(errors or (done.stdout + done.stderr).splitlines()[-20:])
            raise LeanRuntimeError(f"building {library.module} failed (exit {done.returncode}):\n{tail}")
        source.unlink()  # the .olean is what sessions import; the source stays in the repository
        (work / "default.profraw").unlink(missing_ok=True)  # the wasm build's profile counters
        work.rename(root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
