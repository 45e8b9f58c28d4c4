"""Signing in and out, changing one's password, choosing the language."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thidua_console.services import Refused, SessionEnded
from thidua_console.texts import LANGUAGES, text
from thidua_console.web import LANGUAGE_COOKIE, Signed, flash, go, language_of, person_of, render, services_of

log = structlog.get_logger(__name__)
router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path of this console (never another site) is a place to go back to after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    if person_of(request) is not None:
        return go(_safe_next(next))
    return render(request, "sign_in.html", next=_safe_next(next), username="", errors={})


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
                  next: Annotated[str, Form()] = "/") -> Response:
    language = language_of(request)
    username = username.strip().lower()
    if not username or not password:
        return render(request, "sign_in.html", status_code=422, next=_safe_next(next), username=username,
                      errors={"form": text("sign_in.required", language)})
    services = services_of(request, None)
    try:
        answer = await services.post("registry", "/sessions", {"username": username, "password": password})
    except Refused as refused:
        log.info("console.sign_in_refused", username=username, status=refused.status)
        return render(request, "sign_in.html", status_code=refused.status, next=_safe_next(next),
                      username=username, errors={"form": refused.message})
    account = answer["account"]
    request.session.clear()  # a new session on each sign-in: nothing from before it carries over
    request.session["account"] = {
        "username": account["username"], "full_name": account.get("full_name", ""), "role": account["role"],
        "unit_id": account.get("unit_id"), "bloc_id": account.get("bloc_id"), "token": answer["token"]}
    log.info("console.signed_in", username=account["username"], role=account["role"])
    console = request.app.state.console
    if not console.province_name:
        try:
            console.province_name = (await services_of(request, person_of(request)).get("registry", ""))["name"]
        except Refused:  # the name is a nicety of the header; signing in does not depend on it
            log.info("console.province_unnamed")
    return go(_safe_next(next))


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    person = person_of(request)
    if person is not None:
        try:
            await services_of(request, person).delete("registry", "/sessions/current")
        except (Refused, SessionEnded) as refused:  # already revoked: signing out still ends the session here
            log.info("console.sign_out_refused", reason=type(refused).__name__)
    request.session.clear()
    flash(request, text("sign_in.signed_out", language_of(request)))
    return go("/sign-in")


@router.post("/language")
async def choose_language(request: Request, language: Annotated[str, Form()] = "vi",
                          back: Annotated[str, Form()] = "/") -> RedirectResponse:
    answer = go(_safe_next(back))
    answer.set_cookie(LANGUAGE_COOKIE, language if language in LANGUAGES else "vi", max_age=365 * 24 * 3600,
                      httponly=True, samesite="lax")
    return answer


@router.get("/password", response_class=HTMLResponse)
async def password_page(page: Annotated[Signed, Depends()]) -> Response:
    return render(page.request, "password.html", errors={})


@router.post("/password", response_class=HTMLResponse)
async def change_password(page: Annotated[Signed, Depends()], current_password: Annotated[str, Form()] = "",
                          new_password: Annotated[str, Form()] = "",
                          new_password_again: Annotated[str, Form()] = "") -> Response:
    errors: dict[str, str] = {}
    for field, value in (("current_password", current_password), ("new_password", new_password)):
        if not value:
            errors[field] = page.t("form.required")
    if new_password and new_password != new_password_again:
        errors["new_password_again"] = page.t("password.mismatch")
    if not errors:
        try:
            await page.services.post("registry", f"/accounts/{page.person.username}/password",
                                     {"current_password": current_password, "new_password": new_password})
        except Refused as refused:
            errors = refused.fields or {"form": refused.message}
            errors.setdefault("form", refused.message)
    if errors:
        return render(page.request, "password.html", status_code=422, errors=errors)
    flash(page.request, page.t("password.changed"))
    return go("/")
