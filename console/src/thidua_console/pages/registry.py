"""The registry as people read it: units by name with their lineage, blocs with their members as of a day,
chairs and vice-chairs over the years."""

from __future__ import annotations

import asyncio
import base64
import binascii
import math
import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, UploadFile
from fastapi.responses import HTMLResponse, Response

from thidua_console.services import Refused
from thidua_console.web import PAGE_SIZE, Signed, flash, go, render
from thidua_contracts.catalog import EVENT_MODELS
from thidua_contracts.documentation import EVENT_DOCS
from thidua_shared.clock import province_today
from thidua_shared.text import nfc

router = APIRouter(prefix="/registry")
CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
UNIT_KINDS = {
    "party_board": ("Ban, cơ quan của Đảng", "Party board"), "party_committee": ("Đảng ủy", "Party committee"),
    "state_agency": ("Cơ quan nhà nước", "State agency"), "enterprise": ("Doanh nghiệp", "Enterprise"),
    "commune": ("Xã, phường, thị trấn", "Commune"), "other": ("Khác", "Other"),
}


def event_title(event_type: str, language: str) -> str:
    """An event as a reader names it: its Vietnamese title, or its type in words in English."""
    doc = EVENT_DOCS.get(event_type)
    if language == "vi" and doc is not None:
        return doc.title_vi
    return CAMEL.sub(" ", event_type).capitalize()


def act_day(event_type: str, payload: dict[str, Any]) -> str | None:
    """The day of the act an event records, as the contract names its field (a vote's opening, a decision's
    day), or none when the event is dated by its recording alone."""
    model = EVENT_MODELS.get(event_type)
    field = model.act_date if model is not None else None
    value = payload.get(field) if field else None
    return str(value) if value else None


def steps_of(history: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """A log's events as a person reads them: each titled, dated by its act where it has one."""
    return [{**event, "title": event_title(event["event_type"], language),
             "act_on": act_day(event["event_type"], event.get("payload") or {})} for event in history]


def kind_name(kind: str, language: str) -> str:
    pair = UNIT_KINDS.get(kind, (kind, kind))
    return pair[1] if language == "en" else pair[0]


def paged(items: list[Any], page: int) -> tuple[list[Any], int, int]:
    pages = max(1, math.ceil(len(items) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    return items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], page, pages


def folded(text: str) -> str:
    return nfc(text).casefold()


@router.get("/units", response_class=HTMLResponse)
async def units(page: Annotated[Signed, Depends()], q: Annotated[str, Query(max_length=100)] = "",
                p: Annotated[int, Query(ge=1)] = 1) -> Response:
    listed = await page.services.get("registry", "/units")
    names = {unit["unit_id"]: unit["name"] for unit in listed}
    chosen = [unit for unit in listed if folded(q) in folded(unit["name"]) or folded(q) in folded(unit["short_name"])]
    chosen.sort(key=lambda unit: folded(unit["name"]))
    shown, number, pages = paged(chosen, p)
    template = "registry_units_rows.html" if page.request.headers.get("HX-Request") else "registry_units.html"
    return render(page.request, template, units=shown, names=names, q=q, page=number, pages=pages,
                  kind_name=lambda kind: kind_name(kind, page.language))


@router.get("/units/{unit_id}", response_class=HTMLResponse)
async def unit(page: Annotated[Signed, Depends()], unit_id: str) -> Response:
    services = page.services
    detail, listed, history = await asyncio.gather(
        services.get("registry", f"/units/{unit_id}"), services.get("registry", "/units"),
        services.get("registry", f"/units/{unit_id}/history"))
    names = {each["unit_id"]: each["name"] for each in listed}
    events = steps_of(list(reversed(history)), page.language)
    return render(page.request, "registry_unit.html", unit=detail, names=names, history=events,
                  kind_name=lambda kind: kind_name(kind, page.language))


@router.get("/blocs", response_class=HTMLResponse)
async def blocs(page: Annotated[Signed, Depends()]) -> Response:
    listed = await page.services.get("registry", "/blocs")
    listed.sort(key=lambda bloc: folded(bloc["name"]))
    return render(page.request, "registry_blocs.html", blocs=listed)


@router.get("/blocs/{bloc_id}", response_class=HTMLResponse)
async def bloc(page: Annotated[Signed, Depends()], bloc_id: str, on: date | None = None) -> Response:
    services = page.services
    day = on or province_today()
    detail, listed = await asyncio.gather(services.get("registry", f"/blocs/{bloc_id}", on=day.isoformat()),
                                          services.get("registry", "/units"))
    names = {each["unit_id"]: each["name"] for each in listed}
    years: dict[int, dict[str, Any]] = {}
    for elected in detail.get("leadership", []):
        years.setdefault(int(elected["year"]), {})[elected["role"]] = elected
    return render(page.request, "registry_bloc.html", bloc=detail, names=names, on=day,
                  leadership=sorted(years.items(), reverse=True))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_LIMIT = 700 * 1024
"""The largest file the console carries from its preview to its recording (a province's registry is far
smaller; the registry's own limit is larger)."""


@router.get("/import", response_class=HTMLResponse)
async def import_page(page: Annotated[Signed, Depends()]) -> Response:
    page.require("admin")
    return render(page.request, "registry_import.html", errors={}, preview=None, problems=[])


@router.get("/import/template.xlsx")
async def import_template(page: Annotated[Signed, Depends()]) -> Response:
    page.require("admin")
    answer = await page.services.download("registry", "/imports/template.xlsx")
    return Response(answer.content, media_type=XLSX, headers={
        "Content-Disposition": answer.headers.get("content-disposition", "attachment")})


def _preview_of(answer: dict[str, Any], language: str) -> dict[str, Any]:
    changes = answer["changes"]
    counted: dict[str, int] = {}
    for change in changes:
        counted[change["event_type"]] = counted.get(change["event_type"], 0) + 1
    return {"rows": answer["rows"], "unchanged": answer["unchanged"], "events": len(changes),
            "counts": [(event_title(event_type, language), count) for event_type, count in counted.items()],
            "names": [change["payload"]["name"] for change in changes if "name" in change["payload"]]}


@router.post("/import", response_class=HTMLResponse)
async def import_file(page: Annotated[Signed, Depends()], file: Annotated[UploadFile | None, Form()] = None,
                      carried: Annotated[str, Form()] = "", record: Annotated[str, Form()] = "") -> Response:
    """Without ``record``: read the file and show what it would record (or each bad row). With it: record the
    file carried from the preview, all of it or nothing."""
    page.require("admin")
    if file is not None and file.filename:
        content = await file.read()
    else:
        try:
            content = base64.b64decode(carried, validate=True)
        except binascii.Error:
            content = b""
    if not content:
        return render(page.request, "registry_import.html", status_code=422, preview=None, problems=[],
                      errors={"file": page.t("registry.choose_file")})
    if len(content) > IMPORT_LIMIT:
        return render(page.request, "registry_import.html", status_code=413, preview=None, problems=[],
                      errors={"file": page.t("registry.file_too_large", limit=IMPORT_LIMIT // 1024)})
    try:
        if record:
            answer = await page.services.upload("registry", "/imports", content, XLSX)
        else:
            preview = await page.services.upload("registry", "/imports/preview", content, XLSX)
    except Refused as refused:
        problems = refused.details.get("problems", [])
        return render(page.request, "registry_import.html", status_code=refused.status, preview=None,
                      problems=problems, errors={"form": refused.message})
    if record:
        flash(page.request, page.t("registry.imported", rows=answer["rows"], events=len(answer["recorded"]["events"]),
                                   unchanged=answer["unchanged"]))
        return go("/registry/units")
    return render(page.request, "registry_import.html", errors={}, problems=[],
                  preview=_preview_of(preview, page.language), carried=base64.b64encode(content).decode())
