"""People's accounts, kept by the province admin: create one with a role and its unit or bloc, unlock one."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import HTMLResponse, Response

from thidua_console.pages.registry import paged
from thidua_console.services import Refused
from thidua_console.web import Signed, flash, go, render
from thidua_shared.text import nfc

router = APIRouter(prefix="/accounts")
PERSON_ROLES = ("admin", "bloc_secretary", "unit_officer", "auditor")


async def _page(page: Signed, status: int = 200, errors: dict[str, str] | None = None,
                form: dict[str, Any] | None = None, number: int = 1) -> Response:
    services = page.services
    accounts, units, blocs = await asyncio.gather(
        services.get("registry", "/accounts"), services.get("registry", "/units"), services.get("registry", "/blocs"))
    units.sort(key=lambda unit: nfc(unit["name"]).casefold())
    blocs.sort(key=lambda bloc: nfc(bloc["name"]).casefold())
    shown, number, pages = paged(accounts, number)
    return render(page.request, "accounts.html", status_code=status, accounts=shown, page=number, pages=pages,
                  units=units, blocs=blocs,
                  unit_names={unit["unit_id"]: unit["name"] for unit in units},
                  bloc_names={bloc["bloc_id"]: bloc["name"] for bloc in blocs}, roles=PERSON_ROLES,
                  errors=errors or {}, form=form or {})


@router.get("", response_class=HTMLResponse)
async def accounts(page: Annotated[Signed, Depends()], p: Annotated[int, Query(ge=1)] = 1) -> Response:
    page.require("admin", "auditor")
    return await _page(page, number=p)


@router.post("", response_class=HTMLResponse)
async def create_account(page: Annotated[Signed, Depends()], username: Annotated[str, Form()] = "",
                         full_name: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
                         unit_id: Annotated[str, Form()] = "", bloc_id: Annotated[str, Form()] = "",
                         password: Annotated[str, Form()] = "") -> Response:
    page.require("admin")
    form = {"username": username.strip().lower(), "full_name": full_name.strip(), "role": role,
            "unit_id": unit_id, "bloc_id": bloc_id}
    errors = {field: page.t("form.required") for field in ("username", "full_name", "role") if not form[field]}
    if not password:
        errors["password"] = page.t("form.required")
    if role == "unit_officer" and not unit_id:
        errors["unit_id"] = page.t("form.required")
    if role == "bloc_secretary" and not bloc_id:
        errors["bloc_id"] = page.t("form.required")
    if not errors:
        body = {**form, "password": password, "unit_id": unit_id or None, "bloc_id": bloc_id or None}
        try:
            await page.services.post("registry", "/accounts", body)
        except Refused as refused:
            errors = {**refused.fields, "form": refused.message}
    if errors:
        errors.setdefault("form", page.t("form.fix"))
        return await _page(page, 422, errors, form)
    flash(page.request, page.t("accounts.created", username=form["username"]))
    return go("/accounts")


@router.post("/{username}/unlocking")
async def unlock(page: Annotated[Signed, Depends()], username: str) -> Response:
    page.require("admin")
    await page.services.post("registry", f"/accounts/{username}/unlocking", {})
    flash(page.request, page.t("accounts.unlocked", username=username))
    return go("/accounts")
