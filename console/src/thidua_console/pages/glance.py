"""The year at a glance: each bloc's progress from its table to its decisions, and what waits on whom."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from thidua_console.services import Refused, Services
from thidua_console.web import Signed, render
from thidua_shared.clock import province_today

router = APIRouter()
DECIDED = ("decided",)
SETTLED = ("decided", "rejected", "revoked")


@dataclass
class BlocYear:
    """One bloc's year as the glance shows it."""

    bloc_id: str
    name: str
    members: int = 0
    table: bool = False
    self_done: int = 0
    ranking_on: str | None = None
    proposals: Counter[str] = field(default_factory=Counter)
    waits: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return sum(self.proposals[state] for state in DECIDED)

    @property
    def open_proposals(self) -> int:
        return sum(count for state, count in self.proposals.items() if state not in SETTLED)


async def years_with_scores(services: Services) -> list[int]:
    """The years the awards service knows scores for, newest first (the years there is work to show)."""
    scores = await services.get("awards", "/scores")
    return sorted({int(score["year"]) for score in scores}, reverse=True)


async def bloc_year(services: Services, bloc: dict[str, Any], year: int, proposals: list[dict[str, Any]]) -> BlocYear:
    seen = BlocYear(bloc["bloc_id"], bloc["name"])
    try:
        board = await services.get("scoring", f"/blocs/{bloc['bloc_id']}/years/{year}/scoreboard")
    except Refused as refused:
        if refused.status != 404:
            raise
        board = {"members": [], "table": None, "self_assessments": {}, "missing": {}, "ranking": None}
    seen.members = len(board["members"])
    seen.table = board.get("table") is not None
    seen.self_done = len(board.get("self_assessments") or {})
    ranking = board.get("ranking")
    seen.ranking_on = (ranking.get("published_on") or ranking.get("published_at")) if ranking else None
    seen.proposals = Counter(p["state"] for p in proposals if p["bloc_id"] == bloc["bloc_id"])
    missing = board.get("missing") or {}
    if seen.members and not seen.ranking_on:
        if not seen.table and not board.get("scores"):
            seen.waits.append(("wait.table", {}))
        for kind, key in (("targets", "wait.targets"), ("target_results", "wait.results"), ("self", "wait.self")):
            if missing.get(kind):
                seen.waits.append((key, {"count": len(missing[kind])}))
        if missing.get("cross"):
            seen.waits.append(("wait.cross", {}))
        seen.waits.append(("wait.ranking", {}))
    if seen.open_proposals:
        seen.waits.append(("wait.proposals", {"count": seen.open_proposals}))
    return seen


@router.get("/", response_class=HTMLResponse)
async def glance(page: Annotated[Signed, Depends()],
                 year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    services = page.services
    years = await years_with_scores(services)
    chosen = year or (years[0] if years else province_today().year)
    blocs, board = await asyncio.gather(services.get("registry", "/blocs"),
                                        services.get("awards", "/proposals", year=chosen))
    if page.person.role == "bloc_secretary":
        blocs = [bloc for bloc in blocs if bloc["bloc_id"] == page.person.bloc_id]
    rows = await asyncio.gather(*(bloc_year(services, bloc, chosen, board["proposals"]) for bloc in blocs))
    choices = sorted({*years, chosen, province_today().year}, reverse=True)
    return render(page.request, "glance.html", year=chosen, years=choices, rows=rows)
