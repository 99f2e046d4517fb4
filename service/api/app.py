"""The HTTP service (first slice): `POST /v1/check`, health and readiness.

Storage, batches and the result cache (issue 4) are not built yet: every request runs Lean.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from service.config import get_settings
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.statement import MAX_STATEMENT_CHARS, InvalidStatement, parse_statement
from service.equivalence.verdict import CheckResult
from service.lean.pool import LeanPool, PoolSaturated

QUEUE_WAIT_S = 60.0


class CheckRequest(BaseModel):
    fs1: str = Field(max_length=MAX_STATEMENT_CHARS)
    fs2: str = Field(max_length=MAX_STATEMENT_CHARS)
    prover: Literal["tidy"] = "tidy"
    mode: Literal["strict", "logical"] = "strict"
    timeout: float | None = Field(default=None, gt=0, le=600)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    pool = LeanPool.from_settings(get_settings())
    await pool.start(wait=False)
    app.state.pool = pool
    app.state.engine = EquivalenceEngine(pool)
    yield
    await pool.close()


app = FastAPI(title="lean-equiv", version="0.1.0", lifespan=lifespan)


@app.exception_handler(InvalidStatement)
async def invalid_statement(_: Request, error: InvalidStatement) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": error.as_dict()})


@app.post("/v1/check", response_model=CheckResult)
async def check(request: CheckRequest) -> CheckResult:
    pair = Pair(parse_statement(request.fs1), parse_statement(request.fs2))
    engine: EquivalenceEngine = app.state.engine
    try:
        result = await engine.check(pair.fs1, pair.fs2, request.mode, request.timeout)
    except PoolSaturated as error:
        raise HTTPException(429, str(error), headers={"Retry-After": "10"}) from error
    if result.verdict == "error":
        raise HTTPException(503, result.error or "Lean infrastructure error")
    return result


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/readyz")
async def readyz() -> JSONResponse:
    pool: LeanPool = app.state.pool
    ready = pool.ready_sessions > 0
    body = {"ready": ready, "sessions": pool.ready_sessions, "error": pool.last_start_error}
    return JSONResponse(status_code=200 if ready else 503, content=body)
