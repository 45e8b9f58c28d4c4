"""A unit's year beyond its assessment: its targets and their results (the unit's officer), the final score the
secretariat records for it, and the standards the province attests for it (the admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from thidua_console.pages.scoring import require_own_unit
from thidua_console.services import Refused
from thidua_console.web import Signed, flash, go, render
from thidua_shared.clock import province_today

router = APIRouter()
TARGET_ROWS = 8
FACTS = ("internal_unity", "party_excellent", "new_models", "member_titles")


def _number(raw: str) -> float | None:
    raw = raw.strip().replace(",", ".")
    return float(raw) if raw else None


async def _member(page: Signed, bloc_id: str, year: int, unit_id: str) -> tuple[dict[str, Any], str]:
    board: dict[str, Any] = await page.services.get("scoring", f"/blocs/{bloc_id}/years/{year}/scoreboard")
    names = {member["unit_id"]: member["name"] for member in board["members"]}
    if unit_id not in names:
        raise HTTPException(404)
    return board, names[unit_id]


async def _targets_page(page: Signed, bloc_id: str, year: int, unit_id: str, status: int = 200,
                        errors: dict[str, str] | None = None) -> Response:
    board, name = await _member(page, bloc_id, year, unit_id)
    return render(page.request, "targets.html", status_code=status, board=board, bloc_id=bloc_id, year=year,
                  unit_id=unit_id, unit_name=name, targets=board.get("targets", {}).get(unit_id, []),
                  results=(board.get("target_results", {}).get(unit_id) or {}).get("results", []),
                  rows=TARGET_ROWS, errors=errors or {}, today=province_today().isoformat())


@router.get("/scoring/{bloc_id}/{year}/targets/{unit_id}", response_class=HTMLResponse)
async def targets(page: Annotated[Signed, Depends()], bloc_id: str, year: int, unit_id: str) -> Response:
    if page.person.role != "auditor":  # an auditor reads every unit's
        require_own_unit(page.person, bloc_id, unit_id)
    return await _targets_page(page, bloc_id, year, unit_id)


@router.post("/scoring/{bloc_id}/{year}/targets/{unit_id}", response_class=HTMLResponse)
async def register_targets(page: Annotated[Signed, Depends()], request: Request, bloc_id: str, year: int,
                           unit_id: str) -> Response:
    require_own_unit(page.person, bloc_id, unit_id)
    form = await request.form()
    rows = [{"code": str(form.get(f"code-{i}", "")).strip(), "text": str(form.get(f"text-{i}", "")).strip(),
             "measure": str(form.get(f"measure-{i}", "")).strip() or None} for i in range(TARGET_ROWS)]
    listed = [row for row in rows if row["code"] or row["text"]]
    if not listed:
        return await _targets_page(page, bloc_id, year, unit_id, 422, {"form": page.t("targets.none")})
    try:
        await page.services.post("scoring", f"/blocs/{bloc_id}/years/{year}/targets",
                                 {"unit_id": unit_id, "targets": listed})
    except Refused as refused:
        return await _targets_page(page, bloc_id, year, unit_id, refused.status, {"form": refused.message})
    flash(page.request, page.t("targets.registered"))
    return go(f"/scoring/{bloc_id}/{year}/targets/{unit_id}")


@router.post("/scoring/{bloc_id}/{year}/targets/{unit_id}/results", response_class=HTMLResponse)
async def record_results(page: Annotated[Signed, Depends()], request: Request, bloc_id: str, year: int,
                         unit_id: str) -> Response:
    require_own_unit(page.person, bloc_id, unit_id)
    form = await request.form()
    board, _ = await _member(page, bloc_id, year, unit_id)
    results = []
    try:
        for target in board.get("targets", {}).get(unit_id, []):
            code = target["code"]
            result: dict[str, Any] = {"code": code, "attained": form.get(f"attained-{code}") == "1"}
            for field in ("achieved", "planned"):
                value = _number(str(form.get(f"{field}-{code}", "")))
                if value is not None:
                    result[field] = value
            results.append(result)
    except ValueError:
        return await _targets_page(page, bloc_id, year, unit_id, 422, {"form": page.t("scoring.not_a_number")})
    try:
        await page.services.post("scoring", f"/blocs/{bloc_id}/years/{year}/target-results", {
            "unit_id": unit_id, "results": results,
            "recorded_on": str(form.get("recorded_on") or province_today().isoformat())})
    except Refused as refused:
        return await _targets_page(page, bloc_id, year, unit_id, refused.status, {"form": refused.message})
    flash(page.request, page.t("targets.results_recorded"))
    return go(f"/scoring/{bloc_id}/{year}/targets/{unit_id}")


def _secretariat(page: Signed, bloc_id: str) -> None:
    person = page.person
    if not (person.role == "admin" or (person.role == "bloc_secretary" and person.bloc_id == bloc_id)):
        raise HTTPException(403, "error.secretariat_only")


async def _final_page(page: Signed, bloc_id: str, year: int, unit_id: str, status: int = 200,
                      errors: dict[str, str] | None = None) -> Response:
    board, name = await _member(page, bloc_id, year, unit_id)
    criteria = [c for c in (board.get("table") or {}).get("criteria", []) if c["source"] == "assessment"]
    score = next((row for row in board.get("scores", []) if row["unit_id"] == unit_id), None)
    return render(page.request, "final_score.html", status_code=status, board=board, bloc_id=bloc_id, year=year,
                  unit_id=unit_id, unit_name=name, criteria=criteria, score=score, errors=errors or {})


@router.get("/scoring/{bloc_id}/{year}/final/{unit_id}", response_class=HTMLResponse)
async def final_score(page: Annotated[Signed, Depends()], bloc_id: str, year: int, unit_id: str) -> Response:
    _secretariat(page, bloc_id)
    return await _final_page(page, bloc_id, year, unit_id)


@router.post("/scoring/{bloc_id}/{year}/final/{unit_id}", response_class=HTMLResponse)
async def record_final(page: Annotated[Signed, Depends()], request: Request, bloc_id: str, year: int,
                       unit_id: str) -> Response:
    """The secretariat's own score of a unit (a bloc that scores by its chair's team), or an adjustment of one
    criterion with its reason."""
    _secretariat(page, bloc_id)
    form = await request.form()
    base = f"/blocs/{bloc_id}/years/{year}"
    try:
        if form.get("adjust"):
            points = _number(str(form.get("to_points", "")))
            body: dict[str, Any] = {"unit_id": unit_id, "code": str(form.get("code", "")), "to_points": points,
                                    "reason": str(form.get("reason", "")).strip()}
            await page.services.post("scoring", f"{base}/adjustments", body)
        else:
            breakdown = {key.removeprefix("score-"): _number(str(value)) for key, value in form.items()
                         if key.startswith("score-")}
            if any(value is None for value in breakdown.values()):
                return await _final_page(page, bloc_id, year, unit_id, 422, {"form": page.t("form.fix")})
            await page.services.post("scoring", f"{base}/scores", {"unit_id": unit_id, "breakdown": breakdown})
    except ValueError:
        return await _final_page(page, bloc_id, year, unit_id, 422, {"form": page.t("scoring.not_a_number")})
    except Refused as refused:
        return await _final_page(page, bloc_id, year, unit_id, refused.status, {"form": refused.message})
    flash(page.request, page.t("final.recorded"))
    return go(f"/scoring/{bloc_id}/{year}")


async def _standing_page(page: Signed, unit_id: str, year: int, status: int = 200,
                         errors: dict[str, str] | None = None) -> Response:
    services = page.services
    unit = await services.get("registry", f"/units/{unit_id}")
    try:
        standing = await services.get("awards", f"/units/{unit_id}/years/{year}/standing")
    except Refused as refused:
        if refused.status != 404:
            raise
        standing = {"unit_id": unit_id, "year": year, "attested": {}, "history": []}  # nothing attested yet
    return render(page.request, "standing.html", status_code=status, standing=standing, unit=unit, year=year,
                  facts=FACTS, errors=errors or {}, today=province_today().isoformat())


@router.get("/units/{unit_id}/{year}", response_class=HTMLResponse)
async def standing(page: Annotated[Signed, Depends()], unit_id: str, year: int) -> Response:
    if page.person.role == "unit_officer" and page.person.unit_id != unit_id:
        raise HTTPException(403, "error.own_unit_only")
    return await _standing_page(page, unit_id, year)


@router.post("/units/{unit_id}/{year}/attestations", response_class=HTMLResponse)
async def attest(page: Annotated[Signed, Depends()], request: Request, unit_id: str, year: int) -> Response:
    if page.person.role != "admin":
        raise HTTPException(403)
    form = await request.form()
    try:
        await page.services.post("awards", f"/units/{unit_id}/years/{year}/attestations", {
            "fact": str(form.get("fact", "")), "ref": str(form.get("ref", "")).strip(),
            "attested_on": str(form.get("attested_on") or province_today().isoformat())})
    except Refused as refused:
        return await _standing_page(page, unit_id, year, refused.status, {"form": refused.message})
    flash(page.request, page.t("standing.attested"))
    return go(f"/units/{unit_id}/{year}")
