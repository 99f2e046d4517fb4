"""How to start a Lean process: the embedded WebAssembly Lean or a user's native toolchain.

A backend only knows how to launch Lean confined to a scratch directory; sessions drive the
process the same way whatever the backend (Lean's LSP file worker, `lean --worker`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from service.lean.errors import LeanRuntimeError
from service.lean.install import (
    RuntimePaths,
    embedded_env,
    install,
    lean_version_from_output,
    runtime_paths,
)
from service.lean.library import LeanLibrary, build_library
from service.lean.sandbox import confine_child, main_stack_bytes

_NATIVE_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "ELAN_HOME", "LEAN_PATH", "LEAN_SYSROOT", "HOME")


class RuntimeConfig(Protocol):
    """What the runtime layer reads of the service's settings, and no more (`Settings` has it)."""

    @property
    def backend(self) -> str: ...
    @property
    def cache_dir(self) -> Path: ...
    @property
    def node_permission(self) -> bool: ...
    @property
    def poll_ms(self) -> int: ...
    @property
    def native_lean(self) -> str: ...
    @property
    def native_project(self) -> Path | None: ...
    @property
    def native_lake(self) -> str: ...


@dataclass(frozen=True)
class Launch:
    argv: list[str]
    env: dict[str, str]
    cwd: Path

    def run(self, timeout: float) -> subprocess.CompletedProcess[str]:
        """A one-shot, confined Lean process to completion, its output captured as text."""
        return subprocess.run(
            self.argv,
            env=self.env,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=confine_child,
        )


class LeanBackend(Protocol):
    name: str

    def prepare(self) -> None:
        """Install or locate what Lean needs, and read its version: an explicit, blocking step
        (a pool runs it in a thread before its first session), never a side effect of a read."""
        ...

    def launch(self, args: list[str], scratch: Path, libraries: Sequence[Path] = ()) -> Launch:
        """The command line, environment and working directory for `lean ARGS`; `libraries`
        are built library roots (`build`) that Lean may import from, read-only."""
        ...

    def build(self, library: LeanLibrary) -> Path:
        """The library compiled by this backend's Lean (cached): its root, for `launch`."""
        ...

    def version(self) -> str: ...


class EmbeddedBackend:
    """The WebAssembly Lean from npm, installed on first use, run by the pinned Node.js."""

    name = "embedded"

    def __init__(self, settings: RuntimeConfig) -> None:
        self._settings = settings
        self._paths: RuntimePaths | None = None
        self._version: str | None = None

    def prepare(self) -> None:
        """Installs the runtime when it is missing (idempotent, locked): `lean-equiv setup`."""
        if self._paths is None:
            report = install(self._settings.cache_dir)
            self._version = report.lean_version
            self._paths = runtime_paths(self._settings.cache_dir)

    @property
    def paths(self) -> RuntimePaths:
        if self._paths is None:
            raise LeanRuntimeError("the embedded Lean runtime is not prepared: call prepare() first")
        return self._paths

    def version(self) -> str:
        if self._version is None:
            raise LeanRuntimeError("the embedded Lean runtime is not prepared: call prepare() first")
        return self._version

    def build(self, library: LeanLibrary) -> Path:
        return build_library(library, self, self._settings.cache_dir)

    def launch(self, args: list[str], scratch: Path, libraries: Sequence[Path] = ()) -> Launch:
        paths = self.paths
        # V8's stack limit, in KiB, at half the stack the child gets (`confine_child`): deep
        # elaboration recurses on Node's main thread
        node_flags = ["--max-semi-space-size=4", f"--stack-size={main_stack_bytes() // 2048}"]
        if self._settings.node_permission:
            node_flags += [
                "--permission",
                f"--allow-fs-read={paths.root}",
                *(f"--allow-fs-read={root}" for root in libraries),
                f"--allow-fs-read={scratch}",
                f"--allow-fs-write={scratch}",
                "--allow-worker",
                "--disable-warning=SecurityWarning",
            ]
        env = embedded_env(paths, scratch, libraries=libraries, poll_ms=self._settings.poll_ms)
        env |= {"HOME": str(scratch), "TMPDIR": str(scratch)}
        return Launch([str(paths.node), *node_flags, str(paths.lean_js), *args], env, scratch)


class NativeBackend:
    """A native `lean`, or `lake env lean` inside a Lake project (how Mathlib users run it)."""

    name = "native"

    def __init__(self, settings: RuntimeConfig) -> None:
        self._settings = settings
        self._version: str | None = None

    def _base_argv(self) -> list[str]:
        if self._settings.native_project is not None:
            return [self._which(self._settings.native_lake), "env", "lean"]
        return [self._which(self._settings.native_lean)]

    @staticmethod
    def _which(command: str) -> str:
        found = shutil.which(command)
        if found is None:
            raise FileNotFoundError(
                f"native Lean backend: {command!r} was not found (set LEAN_EQUIV_NATIVE_LEAN "
                "to a lean command, or LEAN_EQUIV_NATIVE_PROJECT to a Lake project directory)"
            )
        return found

    def build(self, library: LeanLibrary) -> Path:
        return build_library(library, self, self._settings.cache_dir)

    def launch(self, args: list[str], scratch: Path, libraries: Sequence[Path] = ()) -> Launch:
        env = {k: v for k, v in os.environ.items() if k in _NATIVE_ENV_KEEP}
        env |= {"TMPDIR": str(scratch)}
        if libraries:  # `lake env` puts the project's own paths in front of these
            env["LEAN_PATH"] = os.pathsep.join([*map(str, libraries), *filter(None, [env.get("LEAN_PATH")])])
        cwd = self._settings.native_project or scratch
        return Launch([*self._base_argv(), *args], env, Path(cwd))

    def prepare(self) -> None:
        self.version()

    def version(self) -> str:
        if self._version is None:
            done = self.launch(["--version"], Path.cwd()).run(timeout=300)
            self._version = lean_version_from_output(done.stdout)
        return self._version


def make_backend(settings: RuntimeConfig) -> LeanBackend:
    if settings.backend == "native":
        return NativeBackend(settings)
    return EmbeddedBackend(settings)
