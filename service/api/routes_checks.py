"""Single checks: `POST /v1/check`, `GET /v1/checks/{id}`, `GET /v1/info`."""

from __future__ import annotations

import asyncio
import importlib.metadata

from fastapi import APIRouter, Depends, HTTPException

from service.api.dependencies import ServicesDep, require_api_key
from service.api.schemas import CheckRequest, CheckResponse, Info
from service.equivalence.engine import Pair
from service.storage.checks import StoredCheck, get_check

router = APIRouter(prefix="/v1", dependencies=[Depends(require_api_key)], tags=["checks"])


def as_response(stored: StoredCheck) -> CheckResponse:
    return CheckResponse(
        **stored.result.model_dump(), id=stored.id, cached=stored.cached, created_at=stored.created_at
    )


@router.post(
    "/check",
    response_model=CheckResponse,
    responses={422: {"description": "invalid statement"}, 429: {}, 503: {"description": "Lean failed"}},
)
async def check(body: CheckRequest, services: ServicesDep) -> CheckResponse:
    """Decide whether fs1 and fs2 are equivalent; an identical earlier request is answered from
    the database without running Lean (`cached: true`)."""
    checker = services.checker(body.prover)
    pair = Pair.parse(body.fs1, body.fs2, body.preamble)
    stored = await checker.check(pair, body.mode, body.timeout, wait_s=services.settings.queue_wait_s)
    return as_response(stored)


@router.get("/checks/{check_id}", response_model=CheckResponse)
async def get_stored_check(check_id: str, services: ServicesDep) -> CheckResponse:
    def load() -> StoredCheck | None:
        with services.database.session() as session:
            return get_check(session, check_id)

    if (stored := await asyncio.to_thread(load)) is None:
        raise HTTPException(404, f"no check with id {check_id!r}")
    return as_response(stored)


@router.get("/info", response_model=Info)
async def info(services: ServicesDep) -> Info:
    pool = services.pool
    return Info(
        version=importlib.metadata.version("lean-equiv"),
        lean_version=pool.lean_version(),
        backend=pool.backend.name,
        prover="tidy",
        provers=list(services.checkers),
        pool_size=pool.size,
        ready_sessions=pool.ready_sessions,
        queue_depth=pool.queue_depth,
        lean_runs=pool.runs,
        restarts=pool.restarts,
        database=services.database.dialect,
    )
