"""What the notifications service told people: a unit officer sees what was sent to its unit and its blocs, a
secretariat what was sent to its bloc and its members, the province's staff and auditors everything."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from thidua_console.pages.registry import paged
from thidua_console.web import Signed, render

router = APIRouter()


async def _audience(page: Signed) -> set[str] | None:
    """The names a person's notifications are addressed to (None: everything)."""
    person, services = page.person, page.services
    blocs = {bloc["bloc_id"]: bloc["name"] for bloc in await services.get("registry", "/blocs")}
    if person.role == "unit_officer" and person.unit_id:
        unit, roles = await asyncio.gather(services.get("registry", f"/units/{person.unit_id}"),
                                           services.get("registry", f"/units/{person.unit_id}/roles"))
        return {unit["name"], *(blocs.get(each["bloc_id"], "") for each in roles["memberships"])}
    if person.role == "bloc_secretary" and person.bloc_id:
        bloc = await services.get("registry", f"/blocs/{person.bloc_id}")
        units = {unit["unit_id"]: unit["name"] for unit in await services.get("registry", "/units")}
        return {bloc["name"], *(units.get(member["unit_id"], "") for member in bloc["members"])}
    return None


@router.get("/notifications", response_class=HTMLResponse)
async def notifications(page: Annotated[Signed, Depends()], p: Annotated[int, Query(ge=1)] = 1) -> Response:
    sent, audience = await asyncio.gather(page.services.get("notifications", "/notifications"), _audience(page))
    mine = [note for note in sent if audience is None or note["recipient"] in audience]
    mine.sort(key=lambda note: note["sent_at"], reverse=True)
    shown, number, pages = paged(mine, p)
    return render(page.request, "notifications.html", notes=shown, page=number, pages=pages, total=len(mine))
