"""Batches: submit a test set, follow it, read its results, cancel it."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from service.api.dependencies import ServicesDep, require_api_key
from service.api.schemas import (
    BatchCreate,
    BatchCreated,
    BatchItemIn,
    BatchItemResult,
    BatchResults,
    BatchStatus,
    ModeName,
    ProverName,
)
from service.storage import batches
from service.storage.models import BatchItemRow, BatchRow, CheckRow
from service.summary import batch_summary

router = APIRouter(prefix="/v1/batches", dependencies=[Depends(require_api_key)], tags=["batches"])
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines", "text/jsonl")
_ITEMS = TypeAdapter(list[BatchItemIn])
_CSV_COLUMNS = ("id", "position", "status", "label", "equivalent", "verdict", "check_id", "error")


def _parse_jsonl(body: bytes) -> list[BatchItemIn]:
    items = []
    for number, line in enumerate(body.decode("utf-8", errors="strict").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(BatchItemIn.model_validate_json(line))
        except ValidationError as error:
            raise HTTPException(422, {"line": number, "errors": error.errors(include_url=False)}) from None
    return items


def _parse_body(request: Request, body: bytes, name: str, mode: ModeName, prover: ProverName) -> BatchCreate:
    """A JSON object {items, name?, mode?}, a JSON list of items, or JSONL (one item per line)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    try:
        if content_type in JSONL_TYPES:
            return BatchCreate(items=_parse_jsonl(body), name=name, mode=mode, prover=prover)
        data = json.loads(body)
        if isinstance(data, list):
            return BatchCreate(items=_ITEMS.validate_python(data), name=name, mode=mode, prover=prover)
        return BatchCreate.model_validate(data)
    except UnicodeDecodeError as error:
        raise HTTPException(422, f"the body is not UTF-8: {error}") from None
    except json.JSONDecodeError as error:
        raise HTTPException(422, f"the body is not JSON: {error}") from None
    except ValidationError as error:
        raise HTTPException(422, error.errors(include_url=False)) from None


@router.post(
    "",
    status_code=202,
    response_model=BatchCreated,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/BatchCreate"}},
                "application/x-ndjson": {"schema": {"type": "string", "description": "one item per line"}},
            }
        }
    },
)
async def create_batch(
    request: Request,
    services: ServicesDep,
    name: Annotated[str, Query(max_length=200)] = "",
    mode: ModeName = "strict",
    prover: ProverName = "tidy",
) -> BatchCreated:
    """Queue a test set; items are checked in the background and each result is stored as soon
    as it exists. Invalid statements do not fail the batch: their items end `invalid`."""
    services.checker(prover)  # 422 now, not item by item later
    spec = _parse_body(request, await request.body(), name, mode, prover)
    rows = [
        {
            "item_id": str(item.id if item.id is not None else position),
            "informal": item.informal,
            "fs1": item.fs1,
            "fs2": item.fs2,
            "label": item.label,
            "preamble": item.preamble or "",
        }
        for position, item in enumerate(spec.items)
    ]

    def create() -> BatchRow:
        with services.database.session() as session:
            return batches.create_batch(session, rows, spec.mode, spec.prover, spec.name)

    batch = await asyncio.to_thread(create)
    services.runner.wake()
    return BatchCreated(batch_id=batch.id, total=batch.total)


def _batch_or_404(session: Session, batch_id: str) -> BatchRow:
    batch = session.get(BatchRow, batch_id)
    if batch is None:
        raise HTTPException(404, f"no batch with id {batch_id!r}")
    return batch


def _status(services: ServicesDep, batch_id: str) -> BatchStatus:
    with services.database.session() as session:
        return _as_status(session, _batch_or_404(session, batch_id))


def _as_status(session: Session, batch: BatchRow) -> BatchStatus:
    return BatchStatus(
        id=batch.id,
        name=batch.name,
        mode=batch.mode,
        prover=batch.prover,
        created_at=batch.created_at,
        finished_at=batch.finished_at,
        summary=batch_summary(batch.status, batch.total, *batches.batch_counts(session, batch)),
    )


@router.get("", response_model=list[BatchStatus])
def list_batches(
    services: ServicesDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> list[BatchStatus]:
    with services.database.session() as session:
        return [_as_status(session, batch) for batch in batches.list_batches(session, offset, limit)]


@router.get("/{batch_id}", response_model=BatchStatus)
def get_batch(batch_id: str, services: ServicesDep) -> BatchStatus:
    return _status(services, batch_id)


@router.post("/{batch_id}/cancel", response_model=BatchStatus)
def cancel_batch(batch_id: str, services: ServicesDep) -> BatchStatus:
    """Queued items are cancelled; items already in Lean finish and are stored."""
    with services.database.session() as session:
        batch = _batch_or_404(session, batch_id)
        batches.cancel_batch(session, batch)
        return _as_status(session, batch)


def _item_result(item: BatchItemRow, check: CheckRow | None, full: bool) -> BatchItemResult:
    error: Any = item.error
    if item.status == "invalid" and error:
        error = json.loads(error)
    return BatchItemResult(
        id=item.item_id,
        position=item.position,
        status=item.status,
        attempts=item.attempts,
        label=item.label,
        equivalent=check.equivalent if check else None,
        verdict=check.verdict if check else ("invalid" if item.status == "invalid" else None),
        check_id=item.check_id,
        error=error,
        result=check.result if check and full else None,
    )


@router.get("/{batch_id}/results", response_model=BatchResults)
def batch_results(
    batch_id: str,
    services: ServicesDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    format: Literal["json", "jsonl", "csv"] = "json",
    full: Annotated[bool, Query(description="Include each verdict object with proofs.")] = True,
) -> Any:
    """Paginated JSON, or the whole batch as JSONL or CSV (one row per item, in input order)."""
    with services.database.session() as session:
        batch = _batch_or_404(session, batch_id)
        if format == "json":
            rows = batches.item_results(session, batch_id, offset, limit)
            items = [_item_result(item, check, full) for item, check in rows]
            return BatchResults(batch_id=batch_id, offset=offset, limit=limit, total=batch.total, items=items)
        results = [_item_result(item, check, full) for item, check in batches.item_results(session, batch_id)]
    if format == "jsonl":
        lines = (r.model_dump_json() + "\n" for r in results)
        return StreamingResponse(lines, media_type="application/x-ndjson")
    return StreamingResponse(_csv_rows(results), media_type="text/csv")


def _csv_rows(results: list[BatchItemResult]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = ({**r.model_dump(), "error": _csv_error(r.error)} for r in results)
    for row in (dict(zip(_CSV_COLUMNS, _CSV_COLUMNS, strict=True)), *rows):
        writer.writerow([row[column] for column in _CSV_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _csv_error(error: Any) -> str | None:
    return json.dumps(error, ensure_ascii=False) if isinstance(error, dict | list) else error
