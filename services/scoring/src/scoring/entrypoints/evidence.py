"""Scoring's evidence routes: upload a file once under its SHA-256, and read it back.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from scoring.adapters import evidence
from thidua_shared.auth import Principal
from thidua_shared.downloads import SAFE_FILE_HEADERS, content_disposition
from thidua_shared.errors import NotFound
from thidua_shared.http import ErrorBody
from thidua_shared.idempotency import CommandUnitOfWork, answer_once
from thidua_shared.runtime import ServiceParts, caller_of, province_router
from thidua_shared.service import UnitOfWorkFactory
from thidua_shared.uploads import read_limited


class EvidenceStored(BaseModel):
    """The reference to put in an assessment's evidence, and whether the file was already held."""

    ref: str
    sha256: str
    size: int
    stored_before: bool


def _header_text(value: str) -> str:
    """A header's text as the client sent it: UTF-8 when its bytes are (HTTP hands them over as latin-1)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/evidence", status_code=201, tags=["assessments"],
              summary="Upload an evidence file; it is stored once under its SHA-256 "
                      "(any role of the province but auditors)",
              responses={413: {"model": ErrorBody, "description": "larger than THIDUA_EVIDENCE_MAX_BYTES"}},
              openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {}}}})
    async def upload_evidence(province: str, caller: Caller, request: Request) -> EvidenceStored:
        content = await read_limited(request, parts.settings.evidence_max_bytes, "evidence.too_large")

        async def work(uow: CommandUnitOfWork) -> EvidenceStored:
            stored = EvidenceStored(**await evidence.store(
                uow.connection, province, content, request.headers.get("content-type", "application/octet-stream"),
                _header_text(request.headers.get("x-filename", ""))))
            await uow.commit()
            return stored

        return await answer_once(unit_of_work, province, caller.token_id, work, EvidenceStored)

    @api.get("/evidence/{sha256}", tags=["assessments"], summary="An evidence file, as uploaded",
             response_class=Response,
             responses={200: {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}})
    async def get_evidence(province: str, sha256: str, caller: Caller) -> Response:
        found = await evidence.fetch(parts.engine, province, sha256.removeprefix(evidence.PREFIX))
        if found is None:
            raise NotFound("evidence.not_found", sha256=sha256)
        return Response(found.content, media_type=found.content_type, headers={
            "Content-Disposition": content_disposition(found.filename or found.sha256), **SAFE_FILE_HEADERS})

    return api
