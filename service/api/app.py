"""The HTTP service: FastAPI app, its start-up and shutdown, errors, limits and health.

Start-up migrates the database, requeues batch items a killed server left running, starts the
Lean pool (without waiting: `/readyz` says when a session is warm) and the batch workers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from service.api import routes_batches, routes_checks
from service.api.dependencies import Services
from service.api.limits import BodySizeLimit
from service.batch_runner import BatchRunner
from service.checker import Checker, CheckFailed
from service.config import Settings, get_settings
from service.equivalence.statement import InvalidStatement
from service.lean.errors import LeanSessionError, PoolSaturated
from service.provers import engine_pool, engines, load_reprover
from service.storage.database import Database

log = logging.getLogger("lean_equiv")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await _start(settings)
        app.state.services = services
        try:
            yield
        finally:
            await services.runner.stop()
            await services.pool.close()
            services.database.dispose()

    app = FastAPI(
        title="lean-equiv",
        version="0.1.0",
        summary="Decide whether two Lean 4 statements are equivalent, with kernel-checked proofs.",
        lifespan=lifespan,
    )
    app.include_router(routes_checks.router)
    app.include_router(routes_batches.router)
    app.add_exception_handler(InvalidStatement, _invalid_statement)  # type: ignore[arg-type]
    app.add_exception_handler(PoolSaturated, _pool_saturated)  # type: ignore[arg-type]
    app.add_exception_handler(CheckFailed, _lean_failed)  # type: ignore[arg-type]
    app.add_exception_handler(LeanSessionError, _lean_failed)  # type: ignore[arg-type]
    app.add_api_route("/healthz", healthz, methods=["GET"], tags=["health"])
    app.add_api_route("/readyz", readyz, methods=["GET"], tags=["health"])
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"])
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app


async def _start(settings: Settings) -> Services:
    database = Database(settings.sqlalchemy_url())
    database.migrate()
    log.info("database %s migrated", database.dialect)
    reprover = await asyncio.to_thread(load_reprover, settings)
    pool = engine_pool(settings)
    await pool.start(wait=False)  # prepares the backend (installs a missing runtime) in a thread
    checkers = {name: Checker(engine, database) for name, engine in engines(pool, reprover).items()}
    runner = BatchRunner(
        checkers,
        workers=pool.size,
        claim_size=settings.batch_claim_size,
        max_attempts=settings.batch_max_attempts,
    )
    await runner.start()
    log.info("provers offered: %s", ", ".join(checkers))
    return Services(settings, database, pool, checkers, runner)


RETRY_AFTER_S = 10


async def _invalid_statement(_: Request, error: InvalidStatement) -> JSONResponse:
    """The client's statement was refused (by the validator or by Lean): 422 with the reason."""
    return JSONResponse(status_code=422, content={"detail": error.as_dict()})


async def _pool_saturated(_: Request, error: PoolSaturated) -> JSONResponse:
    """Nothing failed, Lean was busy: try again later."""
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    return JSONResponse(status_code=429, content={"detail": str(error)}, headers=headers)


async def _lean_failed(_: Request, error: CheckFailed | LeanSessionError) -> JSONResponse:
    """Lean itself failed: no verdict, never a fake one."""
    return JSONResponse(
        status_code=503, content={"detail": f"Lean infrastructure error, no verdict: {error}"}
    )


async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


async def readyz(request: Request) -> JSONResponse:
    """The Lean runtime is installed and at least one session is warm."""
    pool = request.app.state.services.pool
    ready = pool.ready_sessions > 0
    body = {"ready": ready, "sessions": pool.ready_sessions, "error": pool.last_start_error}
    return JSONResponse(status_code=200 if ready else 503, content=body)


app = create_app()
