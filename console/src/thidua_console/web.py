"""The console's frame: sessions, CSRF, language, the signed-in person, templates and error pages.

A person signs in with the registry (``POST /provinces/{p}/sessions``), which checks the password, counts
failures and locks the account; the token it issues for that person is kept in the person's session cookie,
signed (Starlette's ``SessionMiddleware``, itsdangerous), httpOnly and SameSite=Lax, and every call the
console makes for them carries it. Signing out revokes the token at the registry, so a copied cookie is worth
nothing afterwards.

Every POST carries the session's CSRF token (a hidden ``csrf_token`` field, or the ``X-CSRF-Token`` header
htmx sends): the check is a dependency of every router, so a route cannot forget it.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import httpx
import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from thidua_console.config import ConsoleSettings
from thidua_console.services import SERVICES, Refused, Services, SessionEnded, Unreachable
from thidua_console.texts import LANGUAGES, TEXTS, text
from thidua_shared.clock import province_zone, use_time_zone
from thidua_shared.http import Correlate, correlation_id
from thidua_shared.security_headers import PAGES_POLICY, SecurityHeaders

log = structlog.get_logger(__name__)
LANGUAGE_COOKIE = "thidua_lang"
SESSION_COOKIE = "thidua_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
PAGE_SIZE = 25


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("thidua_console").joinpath(name)))


templates = Jinja2Templates(directory=_package_dir("templates"))


def day(value: Any) -> str:
    """A day as people write it: dd/mm/yyyy (from an ISO day or an ISO instant, in Viet Nam's time)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        return value.astimezone(province_zone()).strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    raw = str(value)
    if len(raw) > 10:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).astimezone(province_zone()).strftime("%d/%m/%Y")
    return date.fromisoformat(raw).strftime("%d/%m/%Y")


def moment(value: Any) -> str:
    """An instant as people read it: dd/mm/yyyy hh:mm, Viet Nam's time."""
    if not value:
        return ""
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return instant.astimezone(province_zone()).strftime("%d/%m/%Y %H:%M")


def number(value: Any, digits: int = 2) -> str:
    """A number as Vietnamese write it: 1.234,5 (trailing zeros dropped)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    formatted = f"{float(value):,.{digits}f}".rstrip("0").rstrip(".")
    return formatted.replace(",", " ").replace(".", ",").replace(" ", ".")


templates.env.filters["day"] = day
templates.env.filters["moment"] = moment
templates.env.filters["number"] = number


@dataclass(frozen=True)
class Person:
    """Who is signed in: their account and what their token allows."""

    username: str
    full_name: str
    role: str
    unit_id: str | None
    bloc_id: str | None
    token: str


class NotSignedIn(Exception):
    """No session (or one the registry no longer honours): the person is sent to the sign-in page."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("not signed in")
        self.expired = expired


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token: refused, nothing done."""


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE, "vi")
    return chosen if chosen in LANGUAGES else "vi"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Every state-changing request carries the session's CSRF token, in the form or in the header."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = request.session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not secrets.compare_digest(expected, given):
        log.warning("console.csrf_refused", path=request.url.path)
        raise CsrfRefused()


def person_of(request: Request) -> Person | None:
    account = request.session.get("account")
    if not isinstance(account, dict) or not account.get("token"):
        return None
    return Person(account["username"], account.get("full_name", ""), account["role"], account.get("unit_id"),
                  account.get("bloc_id"), account["token"])


def signed_in(request: Request) -> Person:
    person = person_of(request)
    if person is None:
        raise NotSignedIn()
    structlog.contextvars.bind_contextvars(username=person.username, role=person.role)
    return person


def services_of(request: Request, person: Person | None) -> Services:
    console: Console = request.app.state.console
    return Services(console.urls, console.client, console.settings.province, person.token if person else None,
                    language_of(request), correlation_id())


class Signed:
    """What a page gets: the person, their services, their language."""

    def __init__(self, request: Request, person: Annotated[Person, Depends(signed_in)]) -> None:
        self.request = request
        self.person = person
        self.services = services_of(request, person)
        self.language = language_of(request)

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.language, params)

    def require(self, *roles: str) -> None:
        if self.person.role not in roles:
            raise HTTPException(403)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    language = language_of(request)
    console: Console = request.app.state.console
    return templates.TemplateResponse(request, template, {
        "lang": language,
        "t": lambda key, **params: text(key, language, params),
        "person": person_of(request),
        "csrf": csrf_token(request),
        "csrf_field": CSRF_FIELD,
        "province_name": console.province_name,
        "flash": request.session.pop("flash", None),
        **context,
    }, status_code=status_code)


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message


def go(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@dataclass
class Console:
    settings: ConsoleSettings
    urls: dict[str, str]
    client: httpx.AsyncClient
    province_name: str = ""
    """The province's name as the registry gives it (read at the first sign-in; until then, none is shown)."""


def create_app(settings: ConsoleSettings | None = None,
               routers: list[Callable[[], Any]] | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()
    use_time_zone(settings.time_zone)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=30) as client:
            app.state.console = Console(settings, {name: settings.service_url(name) for name in SERVICES}, client,
                                        settings.province_name)
            yield

    app = FastAPI(title="thidua console", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SessionMiddleware, secret_key=settings.console_secret, session_cookie=SESSION_COOKIE,
                       max_age=int(settings.console_session_hours * 3600), same_site="lax",
                       https_only=settings.console_https)
    app.add_middleware(Correlate)
    app.add_middleware(SecurityHeaders, policy=PAGES_POLICY)
    app.mount("/static", StaticFiles(directory=_package_dir("static")), name="static")
    _install_errors(app)

    @app.get("/health", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}
    from thidua_console.pages import ROUTERS

    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(check_csrf)])
    return app


def _install_errors(app: FastAPI) -> None:
    async def _page(request: Request, status: int, message: str) -> HTMLResponse:
        return render(request, "error.html", status_code=status, message=message)

    @app.exception_handler(NotSignedIn)
    async def _sign_in(request: Request, error: NotSignedIn) -> Response:
        if error.expired:
            request.session.pop("account", None)
            flash(request, text("sign_in.expired", language_of(request)))
        target = "/sign-in"
        if request.method == "GET" and request.url.path not in ("/", "/sign-in"):
            target += f"?next={request.url.path}"
        if request.headers.get("HX-Request"):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return go(target)

    @app.exception_handler(SessionEnded)
    async def _session_ended(request: Request, _error: SessionEnded) -> Response:
        return await _sign_in(request, NotSignedIn(expired=True))

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _error: CsrfRefused) -> HTMLResponse:
        return await _page(request, 403, text("form.csrf", language_of(request)))

    @app.exception_handler(Unreachable)
    async def _unreachable(request: Request, error: Unreachable) -> HTMLResponse:
        return await _page(request, 503, text("error.unreachable", language_of(request), {"service": str(error)}))

    @app.exception_handler(Refused)
    async def _refused(request: Request, error: Refused) -> Response:
        return await _page(request, error.status, error.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> HTMLResponse:
        language = language_of(request)
        key = str(error.detail) if str(error.detail) in TEXTS else {
            403: "error.forbidden", 404: "error.not_found"}.get(error.status_code)
        return await _page(request, error.status_code, text(key, language) if key else str(error.detail))


Page = Callable[..., Awaitable[Response]]
