"""Scoring: a bloc-year's table and scoreboard, and each unit's self-assessment with its evidence."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from thidua_console.pages.glance import years_with_scores
from thidua_console.services import Refused
from thidua_console.web import Person, Signed, flash, go, render
from thidua_shared.clock import province_today

router = APIRouter(prefix="/scoring")
MAX_EVIDENCE_FILES = 10


def may_act_for(person: Person, bloc_id: str, unit_id: str) -> bool:
    """Whose forms a person may fill in: a unit officer its own unit's, a secretariat its own bloc's, an admin
    any; an auditor none (it only reads)."""
    if person.role == "unit_officer":
        return person.unit_id == unit_id
    if person.role == "bloc_secretary":
        return person.bloc_id == bloc_id
    return person.role == "admin"


def require_own_unit(person: Person, bloc_id: str, unit_id: str) -> None:
    """Refuse (403) a form the person may not fill in (see :func:`may_act_for`)."""
    if not may_act_for(person, bloc_id, unit_id):
        raise HTTPException(403, "error.own_unit_only")


async def _board(page: Signed, bloc_id: str, year: int) -> dict[str, Any]:
    board: dict[str, Any] = await page.services.get("scoring", f"/blocs/{bloc_id}/years/{year}/scoreboard")
    return board


@router.get("", response_class=HTMLResponse)
async def bloc_years(page: Annotated[Signed, Depends()], year: int | None = None) -> Response:
    years = await years_with_scores(page.services)
    chosen = year or (years[0] if years else province_today().year)
    blocs = await page.services.get("registry", "/blocs")
    if page.person.role == "bloc_secretary":
        blocs = [bloc for bloc in blocs if bloc["bloc_id"] == page.person.bloc_id]
    return render(page.request, "scoring_blocs.html", blocs=blocs, year=chosen,
                  years=sorted({*years, chosen, province_today().year}, reverse=True))


@router.get("/{bloc_id}/{year}", response_class=HTMLResponse)
async def scoreboard(page: Annotated[Signed, Depends()], bloc_id: str, year: int) -> Response:
    board = await _board(page, bloc_id, year)
    names = {member["unit_id"]: member["name"] or member["unit_id"] for member in board["members"]}
    criteria = (board.get("table") or {}).get("criteria", [])
    ranks = {entry["unit_id"]: entry for entry in (board.get("ranking") or {}).get("ranking", [])}
    board["members"].sort(key=lambda member: (ranks[member["unit_id"]]["rank"] if member["unit_id"] in ranks else 10**6,
                                              names[member["unit_id"]]))
    person = page.person
    secretariat = person.role == "admin" or (person.role == "bloc_secretary" and person.bloc_id == bloc_id)
    return render(page.request, "scoring_board.html", board=board, names=names, criteria=criteria, ranks=ranks,
                  bloc_id=bloc_id, year=year, secretariat=secretariat, today=province_today().isoformat(),
                  may_act=lambda unit_id: may_act_for(page.person, bloc_id, unit_id))


def _require_form_of(page: Signed, bloc_id: str, unit_id: str) -> None:
    if not may_act_for(page.person, bloc_id, unit_id):
        raise HTTPException(403, "error.own_unit_only" if page.person.role == "unit_officer" else "error.forbidden")


async def self_form(page: Signed, bloc_id: str, year: int, unit_id: str, status: int = 200,
                     errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Response:
    board = await _board(page, bloc_id, year)
    names = {member["unit_id"]: member["name"] or member["unit_id"] for member in board["members"]}
    if unit_id not in names:
        raise HTTPException(404)
    submitted = (board.get("self_assessments") or {}).get(unit_id)
    if values is None:
        values = {code: str(points) for code, points in (submitted or {}).get("scores", {}).items()}
    table = board.get("table")
    criteria = [criterion for criterion in (table or {}).get("criteria", []) if criterion["source"] == "assessment"]
    return render(page.request, "scoring_self.html", status_code=status, board=board, bloc_id=bloc_id, year=year,
                  unit_id=unit_id, unit_name=names[unit_id], table=table, criteria=criteria, submitted=submitted,
                  values=values, errors=errors or {}, today=province_today().isoformat())


@router.get("/{bloc_id}/{year}/self-assessment/{unit_id}", response_class=HTMLResponse)
async def self_assessment_page(page: Annotated[Signed, Depends()], bloc_id: str, year: int, unit_id: str) -> Response:
    _require_form_of(page, bloc_id, unit_id)
    return await self_form(page, bloc_id, year, unit_id)


def _points(raw: str) -> float:
    return float(raw.strip().replace(",", "."))


@router.post("/{bloc_id}/{year}/self-assessment/{unit_id}", response_class=HTMLResponse)
async def submit_self_assessment(page: Annotated[Signed, Depends()], request: Request, bloc_id: str, year: int,
                                 unit_id: str) -> Response:
    _require_form_of(page, bloc_id, unit_id)
    form = await request.form()
    values = {key.removeprefix("score-"): str(value) for key, value in form.items() if key.startswith("score-")}
    submitted_on = str(form.get("submitted_on") or province_today().isoformat())
    errors: dict[str, str] = {}
    scores: dict[str, float] = {}
    for code, raw in values.items():
        if not raw.strip():
            errors[f"score-{code}"] = page.t("form.required")
            continue
        try:
            scores[code] = _points(raw)
        except ValueError:
            errors[f"score-{code}"] = page.t("scoring.not_a_number")
    files = [item for item in form.getlist("evidence") if isinstance(item, StarletteUpload) and item.filename]
    if len(files) > MAX_EVIDENCE_FILES:
        errors["evidence"] = page.t("scoring.too_many_files", limit=MAX_EVIDENCE_FILES)
    if errors:
        errors["form"] = page.t("form.fix")
        return await self_form(page, bloc_id, year, unit_id, 422, errors, values)
    try:
        refs = await asyncio.gather(*(_store_evidence(page, upload) for upload in files))
        await page.services.post("scoring", f"/blocs/{bloc_id}/years/{year}/self-assessments", {
            "unit_id": unit_id, "scores": scores, "evidence": list(refs), "submitted_on": submitted_on})
    except Refused as refused:
        fields = {f"score-{code}" if code in values else code: problem for code, problem in refused.fields.items()}
        return await self_form(page, bloc_id, year, unit_id, refused.status,
                                {**fields, "form": refused.message}, values)
    flash(page.request, page.t("scoring.self_recorded"))
    return go(f"/scoring/{bloc_id}/{year}")


async def _store_evidence(page: Signed, upload: UploadFile | StarletteUpload) -> str:
    content = await upload.read()
    stored = await page.services.upload("scoring", "/evidence", content,
                                        upload.content_type or "application/octet-stream",
                                        filename=upload.filename or "")
    return str(stored["ref"])
