"""What route handlers share: the running services, and the optional API key."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from service.batch_runner import BatchRunner
from service.checker import Checker
from service.config import Settings
from service.lean.pool import LeanPool
from service.storage.database import Database


@dataclass
class Services:
    settings: Settings
    database: Database
    pool: LeanPool
    checker: Checker
    runner: BatchRunner


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def require_api_key(
    services: ServicesDep,
    x_api_key: Annotated[str | None, Header(description="Required when the server sets api_key.")] = None,
) -> None:
    expected = services.settings.api_key
    if expected and not (x_api_key and secrets.compare_digest(x_api_key, expected)):
        raise HTTPException(401, "missing or wrong X-API-Key header")
