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
    checkers: dict[str, Checker]
    """By prover name: the provers this server offers."""
    runner: BatchRunner

    def checker(self, prover: str) -> Checker:
        """422 for a prover this server does not offer, saying how to offer it."""
        if prover not in self.checkers:
            raise HTTPException(
                422,
                f"this server does not offer the prover {prover!r} (offered: {', '.join(self.checkers)}); "
                "start it with LEAN_EQUIV_REPROVER_MODEL set to a ReProver model directory",
            )
        return self.checkers[prover]


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def require_api_key(
    services: ServicesDep,
    x_api_key: Annotated[str | None, Header(description="Required when the server sets api_key.")] = None,
) -> None:
    expected = services.settings.api_key
    if expected and not (x_api_key and secrets.compare_digest(x_api_key, expected)):
        raise HTTPException(401, "missing or wrong X-API-Key header")
