"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from service.equivalence.statement import MAX_STATEMENT_CHARS
from service.equivalence.verdict import CheckResult
from service.summary import BatchSummary

ProverName = Literal["tidy", "reprover", "tidy+reprover"]
ModeName = Literal["strict", "logical"]


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fs1: str = Field(max_length=MAX_STATEMENT_CHARS)
    fs2: str = Field(max_length=MAX_STATEMENT_CHARS)
    preamble: str | None = Field(default=None, max_length=MAX_STATEMENT_CHARS)
    prover: ProverName = "tidy"
    mode: ModeName = "strict"
    timeout: float | None = Field(default=None, gt=0, le=600)


class CheckResponse(CheckResult):
    id: str
    cached: bool
    """True when the verdict came from the database without running Lean."""
    created_at: datetime


class BatchItemIn(BaseModel):
    """One line of a test set: the reference statement, the model's candidate, an optional label."""

    id: str | int | None = None
    informal: str | None = None
    fs1: str = Field(validation_alias=AliasChoices("fs1", "reference"), max_length=MAX_STATEMENT_CHARS)
    fs2: str = Field(validation_alias=AliasChoices("fs2", "candidate"), max_length=MAX_STATEMENT_CHARS)
    label: Literal[0, 1] | None = None
    preamble: str | None = Field(default=None, max_length=MAX_STATEMENT_CHARS)


class BatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[BatchItemIn] = Field(min_length=1, max_length=100_000)
    name: str = Field(default="", max_length=200)
    mode: ModeName = "strict"
    prover: ProverName = "tidy"


class BatchCreated(BaseModel):
    batch_id: str
    total: int


class BatchStatus(BaseModel):
    id: str
    name: str
    mode: str
    prover: str
    created_at: datetime
    finished_at: datetime | None
    summary: BatchSummary


class BatchItemResult(BaseModel):
    id: str
    position: int
    status: str
    attempts: int
    label: int | None
    equivalent: int | None
    verdict: str | None
    check_id: str | None
    error: Any = None
    result: dict[str, Any] | None = None


class BatchResults(BaseModel):
    batch_id: str
    offset: int
    limit: int
    total: int
    items: list[BatchItemResult]


class Info(BaseModel):
    version: str
    lean_version: str
    backend: str
    prover: str
    """The default prover."""
    provers: list[str]
    """The provers this server offers (`reprover`, `tidy+reprover`: when a ReProver model is set)."""
    pool_size: int
    ready_sessions: int
    queue_depth: int
    lean_runs: int
    restarts: int
    database: str
