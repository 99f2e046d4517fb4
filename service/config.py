"""Settings, read from the environment (prefix `LEAN_EQUIV_`) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AliasChoices, Field
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
    compat_prelude: bool = True
    """On the embedded Lean (no Mathlib), every session imports the Mathlib-compatibility prelude
    (`lean_project/LeanEquiv/Compat/`, compiled once per cache), unless `lean_header` is set."""

    pool_size: int = 0
    """Warm Lean sessions; 0 sizes the pool from available memory and cores."""
    session_memory_mb: int = 3500
    """Expected peak memory of one Lean session: sizes the pool from available memory."""
    session_memory_limit_mb: int = 5000
    """A session whose resident memory exceeds this is killed and its job fails."""
    session_recycle_runs: int = 2000
    """A session is replaced (between jobs) after this many Lean runs."""
    session_recycle_mb: int = 4000
    """A session whose resident memory exceeds this after a job is replaced (a soft limit)."""
    job_timeout_s: float = 120.0
    """Wall-clock limit of one Lean run; past it the process is killed and replaced."""
    start_timeout_s: float = 180.0
    warm_up: bool = True
    """Sessions run every portfolio script once as they start (about 4 s each), so that a
    server's first checks are as fast as its later ones; off, a session is ready sooner and its
    first checks pay for the lazy caches they touch."""
    node_permission: bool = True
    """Run the embedded Lean under Node's permission model (file access confined)."""
    poll_ms: int = 1
    """The embedded glue's stdin polling interval (ms) while Lean is active. Lean's threads wait
    for the next poll on every proxied system call: at 2 ms, documents of short commands left the
    Lean process idle a third of their time; 0 busy-waits a core (docs/benchmarks.md)."""

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("LEAN_EQUIV_DATABASE_URL", "DATABASE_URL")
    )
    """SQLAlchemy URL, e.g. postgresql://user@127.0.0.1:5432/db; default: SQLite in data_dir."""
    api_key: str | None = None
    """When set, /v1 endpoints require it in the X-API-Key header."""
    cors_origins: list[str] = Field(default_factory=list)
    """Origins allowed by CORS; none unless configured."""
    max_body_bytes: int = 16 * 2**20
    """Requests with a larger body get 413."""
    queue_wait_s: float = 60.0
    """How long a single check may wait for a free Lean session before 429."""
    batch_claim_size: int = 10
    """Items a batch worker takes at once (packed into shared Lean runs)."""
    batch_max_attempts: int = 3
    """Infrastructure errors on an item are retried this many times in all."""

    reprover_model: str | None = None
    """A ReProver tactic generator (local directory or hub id): the service then also offers the
    provers `reprover` and `tidy+reprover`. Loaded at start-up."""
    reprover_k: int = 16
    reprover_expansions: int = 64
    reprover_device: str | None = None
    """cuda or cpu; default: cuda when present."""
    reprover_dtype: Literal["float32", "float16", "bfloat16"] = "float32"
    reprover_decoding: Literal["beam", "sample"] = "beam"

    def sqlalchemy_url(self) -> str:
        """The configured database, or a SQLite file in the data directory (created on demand)."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / 'lean-equiv.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
