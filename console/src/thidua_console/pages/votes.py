"""Honouring votes: the secretariat opens one with its candidates, each member's officer casts a secret ballot,
the secretariat closes it and the tally is read."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from thidua_console.pages.glance import years_with_scores
from thidua_console.pages.registry import paged
from thidua_console.services import Refused, Services
from thidua_console.web import Signed, flash, go, render
from thidua_shared.clock import province_today

router = APIRouter(prefix="/votes")


async def form_names(services: Services) -> dict[str, str]:
    """Every award form's name, by its code, from the rulebooks the awards service keeps."""
    books = await services.get("awards", "/rulebooks")
    return {form["code"]: form["name"] for book in books["versions"] for form in book["forms"]}


async def unit_names(services: Services) -> dict[str, str]:
    return {unit["unit_id"]: unit["name"] for unit in await services.get("registry", "/units")}


def _secretariat_of(page: Signed, bloc_id: str) -> bool:
    person = page.person
    return person.role == "admin" or (person.role == "bloc_secretary" and person.bloc_id == bloc_id)


@router.get("", response_class=HTMLResponse)
async def votes(page: Annotated[Signed, Depends()], year: int | None = None, bloc_id: str | None = None,
                p: Annotated[int, Query(ge=1)] = 1) -> Response:
    services = page.services
    years = await years_with_scores(services)
    chosen = year or (years[0] if years else province_today().year)
    if page.person.role == "bloc_secretary":
        bloc_id = page.person.bloc_id
    listed, forms, units, blocs = await asyncio.gather(
        services.get("awards", "/votes", year=chosen, bloc_id=bloc_id), form_names(services), unit_names(services),
        services.get("registry", "/blocs"))
    bloc_names = {bloc["bloc_id"]: bloc["name"] for bloc in blocs}
    waiting = [vote for vote in listed if vote["state"] == "open" and page.person.role == "unit_officer"
               and page.person.unit_id not in vote["voters"]]
    shown, number, pages = paged(listed, p)
    return render(page.request, "votes.html", votes=shown, page=number, pages=pages, forms=forms, units=units,
                  bloc_names=bloc_names,
                  blocs=[bloc for bloc in blocs if _secretariat_of(page, bloc["bloc_id"])], year=chosen,
                  years=sorted({*years, chosen, province_today().year}, reverse=True), bloc_id=bloc_id or "",
                  waiting={vote["vote_id"] for vote in waiting})


@router.get("/new", response_class=HTMLResponse)
async def new_vote(page: Annotated[Signed, Depends()], bloc_id: str, year: int, award_code: str = "") -> Response:
    if not _secretariat_of(page, bloc_id):
        raise HTTPException(403, "error.secretariat_only")
    return await _new_vote_page(page, bloc_id, year, award_code)


async def _new_vote_page(page: Signed, bloc_id: str, year: int, award_code: str, status: int = 200,
                         errors: dict[str, str] | None = None, form: dict[str, Any] | None = None) -> Response:
    services = page.services
    forms, units, bloc = await asyncio.gather(form_names(services), unit_names(services),
                                              services.get("registry", f"/blocs/{bloc_id}"))
    candidates = None
    if award_code:
        candidates = await services.get("awards", f"/blocs/{bloc_id}/years/{year}/candidates", award_code=award_code)
    return render(page.request, "vote_new.html", status_code=status, bloc=bloc, year=year, forms=forms, units=units,
                  award_code=award_code, candidates=candidates, errors=errors or {},
                  form={"opened_on": province_today().isoformat(), "places": "", **(form or {})})


@router.post("/new", response_class=HTMLResponse)
async def open_vote(page: Annotated[Signed, Depends()], request: Request, bloc_id: str, year: int) -> Response:
    if not _secretariat_of(page, bloc_id):
        raise HTTPException(403, "error.secretariat_only")
    form = await request.form()
    award_code = str(form.get("award_code", ""))
    chosen = [str(value) for value in form.getlist("candidates")]
    values = {"opened_on": str(form.get("opened_on", "")), "places": str(form.get("places", "")),
              "candidates": chosen}
    errors: dict[str, str] = {}
    if not chosen:
        errors["candidates"] = page.t("votes.choose_candidates")
    if not values["opened_on"]:
        errors["opened_on"] = page.t("form.required")
    places: int | None = None
    if values["places"]:
        try:
            places = int(str(values["places"]))
        except ValueError:
            errors["places"] = page.t("scoring.not_a_number")
    if errors:
        return await _new_vote_page(page, bloc_id, year, award_code, 422, {**errors, "form": page.t("form.fix")},
                                    values)
    vote_id = f"{bloc_id}-{year}-{award_code.lower().replace('_', '-')}"
    existing = await page.services.get("awards", "/votes", bloc_id=bloc_id, year=year)
    taken = {vote["vote_id"] for vote in existing}
    number = 2
    while vote_id in taken:
        vote_id = f"{bloc_id}-{year}-{award_code.lower().replace('_', '-')}-{number}"
        number += 1
    body: dict[str, Any] = {"vote_id": vote_id, "bloc_id": bloc_id, "year": year, "award_code": award_code,
                            "candidates": chosen, "opened_on": values["opened_on"]}
    if places is not None:
        body["places"] = places
    try:
        await page.services.post("awards", "/votes", body)
    except Refused as refused:
        return await _new_vote_page(page, bloc_id, year, award_code, refused.status,
                                    {**refused.fields, "form": refused.message}, values)
    flash(page.request, page.t("votes.opened"))
    return go(f"/votes/{vote_id}")


@router.get("/{vote_id}", response_class=HTMLResponse)
async def vote(page: Annotated[Signed, Depends()], vote_id: str) -> Response:
    return await _vote_page(page, vote_id)


async def _vote_page(page: Signed, vote_id: str, status: int = 200, errors: dict[str, str] | None = None) -> Response:
    services = page.services
    found, forms, units = await asyncio.gather(services.get("awards", f"/votes/{vote_id}"), form_names(services),
                                               unit_names(services))
    person = page.person
    may_cast = (found["state"] == "open" and person.role == "unit_officer" and person.unit_id is not None
                and person.unit_id not in found["voters"])
    bloc = await services.get("registry", f"/blocs/{found['bloc_id']}")
    return render(page.request, "vote.html", status_code=status, vote=found, forms=forms, units=units, bloc=bloc,
                  may_cast=may_cast, may_close=found["state"] == "open" and _secretariat_of(page, found["bloc_id"]),
                  errors=errors or {}, today=province_today().isoformat())


@router.post("/{vote_id}/ballot", response_class=HTMLResponse)
async def cast_ballot(page: Annotated[Signed, Depends()], request: Request, vote_id: str) -> Response:
    if page.person.role != "unit_officer" or page.person.unit_id is None:
        raise HTTPException(403, "votes.officers_only")
    form = await request.form()
    choices = [str(value) for value in form.getlist("choices")]
    try:
        await page.services.post("awards", f"/votes/{vote_id}/ballots",
                                 {"voter_unit_id": page.person.unit_id, "choices": choices})
    except Refused as refused:
        return await _vote_page(page, vote_id, refused.status, {"form": refused.message})
    flash(page.request, page.t("votes.cast"))
    return go(f"/votes/{vote_id}")


@router.post("/{vote_id}/closing", response_class=HTMLResponse)
async def close_vote(page: Annotated[Signed, Depends()], request: Request, vote_id: str) -> Response:
    form = await request.form()
    closed_on = str(form.get("closed_on") or province_today().isoformat())
    try:
        await page.services.post("awards", f"/votes/{vote_id}/closing", {"closed_on": closed_on})
    except Refused as refused:
        return await _vote_page(page, vote_id, refused.status, {"form": refused.message})
    flash(page.request, page.t("votes.closed"))
    return go(f"/votes/{vote_id}")
