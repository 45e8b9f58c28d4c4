"""For auditors: the history of a unit or of a bloc-year across the services, event by event, with each
event's hash and the hash it chains to. Read-only: the services record every read an auditor makes."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from thidua_console.pages.registry import paged, steps_of
from thidua_console.services import Refused, Services
from thidua_console.web import Signed, go, render

router = APIRouter(prefix="/audit")
SERVICE_NAMES = {"registry": ("Đăng ký", "Registry"), "scoring": ("Chấm điểm", "Scoring"),
                 "awards": ("Khen thưởng", "Awards")}


def _auditors_and_admins(page: Signed) -> None:
    if page.person.role not in ("auditor", "admin"):
        raise HTTPException(403)


async def _history(services: Services, service: str, path: str) -> list[dict[str, Any]]:
    try:
        found: list[dict[str, Any]] = await services.get(service, path)
    except Refused as refused:
        if refused.status == 404:
            return []
        raise
    return [{**event, "service": service} for event in found]


def _timeline(page: Signed, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    events.sort(key=lambda event: (event["recorded_at"], event["service"], event.get("position", 0)))
    shown = steps_of(events, page.language)
    for event in shown:
        names = SERVICE_NAMES[event["service"]]
        event["service_name"] = names[1] if page.language == "en" else names[0]
    return shown


def _history_page(page: Signed, title: str, events: list[dict[str, Any]], number: int) -> Response:
    shown, number, pages = paged(_timeline(page, events), number)
    return render(page.request, "audit_history.html", title=title, steps=shown, page=number, pages=pages,
                  base=page.request.url.path + "?")


@router.get("", response_class=HTMLResponse)
async def audit(page: Annotated[Signed, Depends()]) -> Response:
    _auditors_and_admins(page)
    units, blocs = await asyncio.gather(page.services.get("registry", "/units"),
                                        page.services.get("registry", "/blocs"))
    return render(page.request, "audit.html", units=sorted(units, key=lambda unit: unit["name"]),
                  blocs=sorted(blocs, key=lambda bloc: bloc["name"]))


@router.get("/bloc")
async def bloc_chosen(page: Annotated[Signed, Depends()], bloc_id: str, year: int) -> Response:
    _auditors_and_admins(page)
    return go(f"/audit/blocs/{bloc_id}/{year}")


@router.get("/units/{unit_id}", response_class=HTMLResponse)
async def unit_history(page: Annotated[Signed, Depends()], unit_id: str,
                       p: Annotated[int, Query(ge=1)] = 1) -> Response:
    _auditors_and_admins(page)
    services = page.services
    unit, registered, awards = await asyncio.gather(
        services.get("registry", f"/units/{unit_id}"), _history(services, "registry", f"/units/{unit_id}/history"),
        services.get("awards", f"/units/{unit_id}/awards"))
    proposals = awards["awards"]
    histories = await asyncio.gather(*(_history(services, "awards", f"/proposals/{proposal['proposal_id']}/history")
                                       for proposal in proposals if "proposal_id" in proposal))
    events = [*registered, *(event for history in histories for event in history)]
    return _history_page(page, page.t("audit.unit_title", unit=unit["name"]), events, p)


@router.get("/blocs/{bloc_id}/{year}", response_class=HTMLResponse)
async def bloc_year_history(page: Annotated[Signed, Depends()], bloc_id: str, year: int,
                            p: Annotated[int, Query(ge=1)] = 1) -> Response:
    _auditors_and_admins(page)
    services = page.services
    bloc, registered, scored, votes, board = await asyncio.gather(
        services.get("registry", f"/blocs/{bloc_id}"), _history(services, "registry", f"/blocs/{bloc_id}/history"),
        _history(services, "scoring", f"/blocs/{bloc_id}/years/{year}/history"),
        services.get("awards", "/votes", bloc_id=bloc_id, year=year),
        services.get("awards", "/proposals", bloc_id=bloc_id, year=year))
    histories = await asyncio.gather(
        *(_history(services, "awards", f"/votes/{vote['vote_id']}/history") for vote in votes),
        *(_history(services, "awards", f"/proposals/{each['proposal_id']}/history") for each in board["proposals"]))
    events = [*registered, *scored, *(event for history in histories for event in history)]
    return _history_page(page, page.t("audit.bloc_title", bloc=bloc["name"], year=year), events, p)
