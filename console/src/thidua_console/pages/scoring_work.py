"""The secretariat's scoring work: adopt the table (from an Excel file), the cross-assessment grid, publish
the ranking, export the scoreboard; and a unit's self-assessment from its Excel template."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from thidua_console.pages.scoring import require_own_unit, self_form
from thidua_console.services import Refused
from thidua_console.web import Signed, flash, go, render
from thidua_console.workbooks import (
    XLSX,
    read_self_assessment,
    read_table,
    self_assessment_template,
    table_template,
)
from thidua_shared.clock import province_today

router = APIRouter(prefix="/scoring")
METHODS = ("mean_of_cross", "trimmed_mean", "verified_self")


def _require_secretariat(page: Signed, bloc_id: str) -> None:
    person = page.person
    if not (person.role == "admin" or (person.role == "bloc_secretary" and person.bloc_id == bloc_id)):
        raise HTTPException(403, "error.secretariat_only")


def _file(content: bytes, name: str) -> Response:
    return Response(content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def _board(page: Signed, bloc_id: str, year: int) -> dict[str, Any]:
    board: dict[str, Any] = await page.services.get("scoring", f"/blocs/{bloc_id}/years/{year}/scoreboard")
    return board


def _problems(read_problems: list[tuple[int, str]], page: Signed) -> list[str]:
    return [page.t("workbook.row", row=row, message=message) if row else message for row, message in read_problems]


@router.get("/{bloc_id}/{year}/table/template.xlsx")
async def table_workbook(page: Annotated[Signed, Depends()], bloc_id: str, year: int) -> Response:
    _require_secretariat(page, bloc_id)
    return _file(table_template(), f"bang-tieu-chi-{year}.xlsx")


async def _table_page(page: Signed, bloc_id: str, year: int, status: int = 200, **context: Any) -> Response:
    board = await _board(page, bloc_id, year)
    today = province_today()
    defaults = {"adopted_on": today.isoformat(), "opens_on": today.isoformat(),
                "closes_on": date(year + 1, 1, 31).isoformat() if year >= today.year else today.isoformat(),
                "method": "mean_of_cross"}
    return render(page.request, "scoring_table.html", status_code=status, board=board, bloc_id=bloc_id, year=year,
                  methods=METHODS, errors=context.pop("errors", {}),
                  form={**defaults, **context.pop("form", {})}, **{"criteria": None, "problems": [], **context})


@router.get("/{bloc_id}/{year}/table", response_class=HTMLResponse)
async def table_page(page: Annotated[Signed, Depends()], bloc_id: str, year: int) -> Response:
    _require_secretariat(page, bloc_id)
    return await _table_page(page, bloc_id, year)


@router.post("/{bloc_id}/{year}/table", response_class=HTMLResponse)
async def adopt_table(page: Annotated[Signed, Depends()], bloc_id: str, year: int,
                      file: Annotated[UploadFile | None, Form()] = None, carried: Annotated[str, Form()] = "",
                      method: Annotated[str, Form()] = "mean_of_cross", adopted_on: Annotated[str, Form()] = "",
                      opens_on: Annotated[str, Form()] = "", closes_on: Annotated[str, Form()] = "") -> Response:
    """With a file: read it and show the criteria (or each bad row). With the criteria carried from that preview:
    adopt the table on its day and open scoring between the two days."""
    _require_secretariat(page, bloc_id)
    form = {"method": method, "adopted_on": adopted_on, "opens_on": opens_on, "closes_on": closes_on}
    if file is not None and file.filename:
        read = read_table(await file.read(), page.language)
        if read.problems:
            return await _table_page(page, bloc_id, year, 422, problems=_problems(read.problems, page), form=form,
                                     errors={"form": page.t("scoring.table_bad_rows")})
        return await _table_page(page, bloc_id, year, criteria=read.items, form=form,
                                 carried=json.dumps(read.items, ensure_ascii=False))
    try:
        criteria = json.loads(carried) if carried else None
    except ValueError:
        criteria = None
    if not isinstance(criteria, list) or not criteria:
        return await _table_page(page, bloc_id, year, 422, form=form,
                                 errors={"file": page.t("registry.choose_file")})
    errors = {field: page.t("form.required") for field, value in form.items() if not value}
    if errors:
        return await _table_page(page, bloc_id, year, 422, criteria=criteria, carried=carried, form=form,
                                 errors={**errors, "form": page.t("form.fix")})
    base = f"/blocs/{bloc_id}/years/{year}"
    try:
        await page.services.post("scoring", f"{base}/table", {"criteria": criteria, "method": method,
                                                               "adopted_on": adopted_on})
        await page.services.post("scoring", f"{base}/window", {"opens_on": opens_on, "closes_on": closes_on})
    except Refused as refused:
        return await _table_page(page, bloc_id, year, refused.status, criteria=criteria, carried=carried, form=form,
                                 errors={**refused.fields, "form": refused.message})
    flash(page.request, page.t("scoring.table_adopted"))
    return go(f"/scoring/{bloc_id}/{year}")


@router.get("/{bloc_id}/{year}/self-assessment/{unit_id}/template.xlsx")
async def self_workbook(page: Annotated[Signed, Depends()], bloc_id: str, year: int, unit_id: str) -> Response:
    require_own_unit(page.person, bloc_id, unit_id)
    board = await _board(page, bloc_id, year)
    names = {member["unit_id"]: member["name"] for member in board["members"]}
    if unit_id not in names or not board.get("table"):
        raise HTTPException(404)
    criteria = [c for c in board["table"]["criteria"] if c["source"] == "assessment"]
    return _file(self_assessment_template(names[unit_id], criteria), f"tu-cham-diem-{year}.xlsx")


@router.post("/{bloc_id}/{year}/self-assessment/{unit_id}/workbook", response_class=HTMLResponse)
async def self_assessment_from_workbook(page: Annotated[Signed, Depends()], bloc_id: str, year: int, unit_id: str,
                                        file: Annotated[UploadFile | None, Form()] = None,
                                        submitted_on: Annotated[str, Form()] = "") -> Response:
    require_own_unit(page.person, bloc_id, unit_id)
    board = await _board(page, bloc_id, year)
    if not board.get("table"):
        raise HTTPException(404)
    criteria = [c for c in board["table"]["criteria"] if c["source"] == "assessment"]
    problems: list[str] = []
    if file is None or not file.filename:
        problems = [page.t("registry.choose_file")]
    else:
        read = read_self_assessment(await file.read(), criteria, page.language)
        problems = _problems(read.problems, page)
        if not problems:
            try:
                await page.services.post("scoring", f"/blocs/{bloc_id}/years/{year}/self-assessments",
                                         {"unit_id": unit_id, "scores": read.items[0],
                                          "submitted_on": submitted_on or province_today().isoformat()})
            except Refused as refused:
                problems = [refused.message]
    if problems:
        return await self_form(page, bloc_id, year, unit_id, 422, {"workbook": "; ".join(problems),
                                                                   "form": page.t("form.fix")})
    flash(page.request, page.t("scoring.self_recorded"))
    return go(f"/scoring/{bloc_id}/{year}")


@router.get("/{bloc_id}/{year}/cross", response_class=HTMLResponse)
async def cross_grid(page: Annotated[Signed, Depends()], bloc_id: str, year: int, assessor: str = "") -> Response:
    _require_secretariat(page, bloc_id)
    return await _cross_page(page, bloc_id, year, assessor)


async def _cross_page(page: Signed, bloc_id: str, year: int, assessor: str, status: int = 200,
                      errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Response:
    board = await _board(page, bloc_id, year)
    names = {member["unit_id"]: member["name"] for member in board["members"]}
    criteria = [c for c in (board.get("table") or {}).get("criteria", []) if c["source"] == "assessment"]
    given = {(row["assessor_unit_id"], row["unit_id"]): row["scores"] for row in board.get("cross_assessments", [])}
    if values is None:
        values = {f"{unit_id}|{code}": str(points) for (by, unit_id), scores in given.items() if by == assessor
                  for code, points in scores.items()}
    done = {by for by, _ in given}
    return render(page.request, "scoring_cross.html", status_code=status, board=board, bloc_id=bloc_id, year=year,
                  names=names, criteria=criteria, assessor=assessor if assessor in names else "", values=values,
                  errors=errors or {}, done=done, today=province_today().isoformat())


@router.post("/{bloc_id}/{year}/cross", response_class=HTMLResponse)
async def submit_cross(page: Annotated[Signed, Depends()], request: Request, bloc_id: str, year: int) -> Response:
    """One assessor's row of the grid: a cross-assessment of each other member, all sent or the first refusal
    shown (those sent before it stay: each is an assessment on its own, and sending the row again replaces them)."""
    _require_secretariat(page, bloc_id)
    form = await request.form()
    assessor = str(form.get("assessor", ""))
    submitted_on = str(form.get("submitted_on") or province_today().isoformat())
    values = {key: str(value) for key, value in form.items() if "|" in key}
    errors: dict[str, str] = {}
    per_unit: dict[str, dict[str, float]] = {}
    for key, raw in values.items():
        unit_id, code = key.split("|", 1)
        try:
            per_unit.setdefault(unit_id, {})[code] = float(raw.strip().replace(",", "."))
        except ValueError:
            errors[key] = page.t("scoring.not_a_number")
    if errors:
        return await _cross_page(page, bloc_id, year, assessor, 422, {**errors, "form": page.t("form.fix")}, values)
    for unit_id, scores in per_unit.items():
        try:
            await page.services.post("scoring", f"/blocs/{bloc_id}/years/{year}/cross-assessments",
                                     {"assessor_unit_id": assessor, "unit_id": unit_id, "scores": scores,
                                      "submitted_on": submitted_on})
        except Refused as refused:
            return await _cross_page(page, bloc_id, year, assessor, refused.status, {"form": refused.message}, values)
    flash(page.request, page.t("scoring.cross_recorded", count=len(per_unit)))
    return go(f"/scoring/{bloc_id}/{year}/cross")


@router.post("/{bloc_id}/{year}/finals")
async def compute_finals(page: Annotated[Signed, Depends()], bloc_id: str, year: int) -> Response:
    """Every member's final score by the table's method (the mean of the cross-assessments, say)."""
    _require_secretariat(page, bloc_id)
    await page.services.post("scoring", f"/blocs/{bloc_id}/years/{year}/finals", {})
    flash(page.request, page.t("scoring.finals_done"))
    return go(f"/scoring/{bloc_id}/{year}")


@router.post("/{bloc_id}/{year}/ranking")
async def publish_ranking(page: Annotated[Signed, Depends()], bloc_id: str, year: int,
                          published_on: Annotated[str, Form()] = "") -> Response:
    _require_secretariat(page, bloc_id)
    await page.services.post("scoring", f"/blocs/{bloc_id}/years/{year}/ranking",
                             {"published_on": published_on or province_today().isoformat()})
    flash(page.request, page.t("scoring.ranking_done"))
    return go(f"/scoring/{bloc_id}/{year}")


@router.get("/{bloc_id}/{year}/export.xlsx")
async def export(page: Annotated[Signed, Depends()], bloc_id: str, year: int) -> Response:
    answer = await page.services.download("scoring", f"/blocs/{bloc_id}/years/{year}/export", format="xlsx")
    return Response(answer.content, media_type=XLSX, headers={
        "Content-Disposition": answer.headers.get("content-disposition", "attachment")})
