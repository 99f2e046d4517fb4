"""Settings, read from the environment (prefix `LEAN_EQUIV_`) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("lean-equiv"))


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("lean-equiv"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEAN_EQUIV_", env_file=".env", extra="ignore")

    cache_dir: Path = Field(default_factory=_default_cache_dir)
    """Where the embedded Lean runtime is installed (never inside the repository)."""
    data_dir: Path = Field(default_factory=_default_data_dir)

    backend: Literal["embedded", "native"] = "embedded"
    native_lean: str = "lean"
    """The native `lean` command (a path or a name on PATH)."""
    native_project: Path | None = None
    """A Lake project directory: Lean then runs as `lake env lean` there (Mathlib users)."""
    native_lake: str = "lake"
    lean_header: str = ""
    """Fixed per Lean process, e.g. `import Mathlib` for a native Mathlib project."""

    pool_size: int = 0
    """Warm Lean sessions; 0 sizes the pool from available memory and cores."""
    session_memory_mb: int = 3500
    """Expected peak memory of one Lean session: sizes the pool from available memory."""
    session_memory_limit_mb: int = 5000
    """A session whose resident memory exceeds this is killed and its job fails."""
    job_timeout_s: float = 120.0
    """Wall-clock limit of one Lean run; past it the process is killed and replaced."""
    start_timeout_s: float = 180.0
    node_permission: bool = True
    """Run the embedded Lean under Node's permission model (file access confined)."""
    poll_ms: int = 2


@lru_cache
def get_settings() -> Settings:
    return Settings()
