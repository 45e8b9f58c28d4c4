"""How a service process runs: HTTP API, outbox relay and consumers under one lifespan.

Each service's ``bootstrap.py`` builds a :class:`ServiceParts` and hands it to :func:`build_app`.
Nothing connects at import time; migrations run at start (``THIDUA_MIGRATE_ON_START``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import structlog
import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel
from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncEngine
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from thidua_contracts.envelope import Source
from thidua_shared.audit_api import audit_routes, publish, record_read
from thidua_shared.auth import Principal, TokenStore
from thidua_shared.checkpoints import Signer, breaks_since_last_checkpoint, sign_if_moved
from thidua_shared.config import ServiceSettings
from thidua_shared.errors import Forbidden
from thidua_shared.http import ERROR_RESPONSES, Wording, install_common, principal_dependency
from thidua_shared.i18n import Catalogue, pick_language, render
from thidua_shared.idempotency import ProvinceRoute
from thidua_shared.metrics import CountRequests, LagReader, ServiceMetrics
from thidua_shared.outbox import Relay
from thidua_shared.readiness import BrokerProbe, not_ready
from thidua_shared.store import migrate
from thidua_shared.subscriptions import Subscription
from thidua_shared.supervision import Body, TaskState, supervise
from thidua_shared.tracing import TraceRequests, tracer

log = structlog.get_logger(__name__)
SWAGGER_ASSETS = "/docs/assets"
"""Where Swagger UI's own files are served from, out of the swagger-ui-bundle package: /docs works offline."""


@dataclass
class ServiceParts:
    name: Source
    settings: ServiceSettings
    engine: AsyncEngine
    auth_engine: AsyncEngine
    tokens: TokenStore
    relay: Relay
    migrations: Path
    consumers: list[Subscription] = field(default_factory=list)
    signer: Signer | None = None
    """The instance's key of this service's checkpoints (none: the service signs none)."""
    workers: list[tuple[str, Body]] = field(default_factory=list)
    """The service's own long-running tasks (notifications' deliveries), supervised like the relay."""
    read_models: tuple[Table, ...] = ()
    """The tables fed by events (its own and other services'): what auditors may read and a replay rebuilds."""
    metrics: ServiceMetrics = field(default_factory=ServiceMetrics)
    """The instance's Prometheus metrics (``GET /metrics``); a service registers its own in ``metrics.registry``."""


async def prepare_databases(parts: ServiceParts) -> None:
    await migrate.upgrade(parts.engine, [migrate.STORE_VERSIONS, parts.migrations])
    await migrate.upgrade(parts.auth_engine, [migrate.AUTH_VERSIONS])


def settle_heap() -> None:
    """Leave what the process made to start (modules, models, the app: most of its objects) out of the garbage
    collector's full passes. Each full pass walked them all, 120–200 ms with the loop stopped, a few times a minute
    under load: the tail of the pipeline's latency (``python -m bench --pipeline``). Only a service process does
    this (:func:`serve`): a test process that builds many apps would keep each one's objects for good."""
    gc.collect()
    gc.freeze()


def build_app(parts: ServiceParts, catalogue: Catalogue, title: str, description: str,
              wording: Wording | None = None) -> FastAPI:
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    relay_state = TaskState(f"{parts.name}.relay")
    checkpoint_state = TaskState(f"{parts.name}.checkpoints")
    consumer_states = [TaskState(consumer.name) for consumer in parts.consumers]
    worker_states = [TaskState(f"{parts.name}.{name}") for name, _ in parts.workers]
    probe = BrokerProbe(parts.settings.kafka_bootstrap_servers)
    lag = LagReader(parts.engine, parts.settings.kafka_bootstrap_servers, parts.consumers)
    parts.metrics.watch(parts.relay, parts.consumers, [relay_state, *consumer_states, *worker_states,
                                                       *([checkpoint_state] if parts.signer is not None else [])])

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if parts.settings.migrate_on_start:
            await prepare_databases(parts)
        stop.clear()
        tasks.append(asyncio.create_task(supervise(relay_state, parts.relay.run, stop), name=relay_state.name))
        for consumer, state in zip(parts.consumers, consumer_states, strict=True):
            tasks.append(asyncio.create_task(supervise(state, consumer.run, stop), name=consumer.name))
        for (_, body), worker_state in zip(parts.workers, worker_states, strict=True):
            tasks.append(asyncio.create_task(supervise(worker_state, body, stop), name=worker_state.name))
        if parts.signer is not None:
            tasks.append(asyncio.create_task(supervise(checkpoint_state, checkpointing(parts, parts.signer), stop),
                                             name=checkpoint_state.name))
        log.info("service.started", provinces=parts.settings.province_codes)
        try:
            yield
        finally:
            stop.set()
            _, late = await asyncio.wait(tasks, timeout=15)
            for task in late:
                task.cancel()
            tasks.clear()
            await probe.close()
            await lag.close()
            await parts.engine.dispose()
            await parts.auth_engine.dispose()
            log.info("service.stopped")

    app = FastAPI(title=title, description=description, version="0.1.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None, generate_unique_id_function=operation_id)
    if wording is None:
        install_common(app, catalogue)
    else:
        install_common(app, catalogue, wording)
    install_docs(app)
    app.add_middleware(CountRequests, metrics=parts.metrics)
    if tracer() is not None:
        app.add_middleware(TraceRequests)
    app.state.parts = parts
    if parts.signer is not None:
        province_audit = province_router()
        app.include_router(audit_routes(parts, parts.signer, caller_of(parts), province_audit))
        app.include_router(province_audit)

    @app.get("/health", tags=["ops"], summary="Liveness and the state of relay and consumers")
    async def get_health() -> Health:
        async with parts.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return Health(
            service=parts.name, status="ok", provinces=parts.settings.province_codes,
            relay=RelayHealth(published=parts.relay.published, refills=parts.relay.refills, **relay_state.as_dict()),
            consumers={
                consumer.name: ConsumerHealth(
                    ready=consumer.ready.is_set(), processed=consumer.processed,
                    dead_lettered=consumer.dead_lettered, rewinds=consumer.rewinds, **state.as_dict())
                for consumer, state in zip(parts.consumers, consumer_states, strict=True)
            },
        )

    @app.get("/metrics", include_in_schema=False)
    async def get_metrics() -> Response:
        """Prometheus' text format (see :mod:`thidua_shared.metrics`): not in the OpenAPI document, as it is no
        JSON API; ``docs/observability.md`` lists what it holds."""
        await lag.refresh(parts.metrics)
        return Response(parts.metrics.render(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/ready", tags=["ops"], summary="Readiness: the broker answers, the relay and every consumer run",
             response_model=Readiness, responses={503: {"model": Readiness, "description": "Not ready: says why"}})
    async def get_readiness(request: Request) -> JSONResponse:
        reasons = await not_ready(probe, [relay_state, *consumer_states],
                                  {consumer.name: consumer.ready.is_set() for consumer in parts.consumers})
        language = pick_language(request.headers.get("accept-language"))
        body = Readiness(
            service=parts.name, ready=not reasons,
            reasons=[ReadinessReason(part=reason.part, code=reason.code,
                                     message=render(catalogue, reason.code, language, reason.params))
                     for reason in reasons],
        )
        return JSONResponse(body.model_dump(), status_code=503 if reasons else 200)

    return app


def operation_id(route: APIRoute) -> str:
    """A route's operation id: its function's name in camelCase (``register_unit`` gives ``registerUnit``),
    short and stable whatever its path, so that generated clients keep their method names."""
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def install_docs(app: FastAPI) -> None:
    """Swagger UI at ``/docs``, its script, style and icon served by this process (no CDN)."""
    app.mount(SWAGGER_ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    oauth2_redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} - API",
            swagger_js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_ASSETS}/favicon-32x32.png", oauth2_redirect_url=oauth2_redirect)

    @app.get(oauth2_redirect, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()


class TaskHealth(BaseModel):
    running: bool
    restarts: int
    last_error: str | None


class RelayHealth(TaskHealth):
    published: int
    refills: int


class ConsumerHealth(TaskHealth):
    ready: bool
    processed: int
    dead_lettered: int
    rewinds: int


class Health(BaseModel):
    service: str
    status: str
    provinces: list[str]
    relay: RelayHealth
    consumers: dict[str, ConsumerHealth]


class ReadinessReason(BaseModel):
    part: str
    code: str
    message: str


class Readiness(BaseModel):
    service: str
    ready: bool
    reasons: list[ReadinessReason]


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    """Run until SIGINT/SIGTERM; shutdown stops consumers and relay cleanly."""
    settle_heap()
    uvicorn.run(app, host=settings.host, port=settings.port or 8000, log_config=None,
                access_log=False, lifespan="on")


READING = frozenset({"GET", "HEAD", "OPTIONS"})


def caller_of(parts: ServiceParts) -> Callable[..., Awaitable[Principal]]:
    """The FastAPI dependency giving the authenticated caller of a province route of this service; an auditor's
    every request is recorded (who read what, when), for the province's admin to see, and an auditor only reads:
    any other method is refused here, before the request's body is even looked at."""
    authenticate = principal_dependency(lambda: parts.tokens, parts.settings.province_codes)

    # A default, not an ``Annotated`` hint: under postponed annotations FastAPI could not resolve a local name.
    async def caller(request: Request, principal: Principal = Depends(authenticate)) -> Principal:
        if principal.role == "auditor":
            await record_read(parts.engine, principal, request)
            if request.method not in READING:
                raise Forbidden("auth.auditor_reads_only", method=request.method)
        return principal

    return caller


def checkpointing(parts: ServiceParts, signer: Signer) -> Callable[[asyncio.Event], Awaitable[None]]:
    """Every ``checkpoint_interval_seconds``, check the log's hash chain since the last checkpoint (the metric
    ``thidua_chain_intact``, an error logged when broken); then sign the log's head when it moved since
    the last checkpoint, keep it and publish it."""

    async def check() -> None:
        breaks = await breaks_since_last_checkpoint(parts.engine)
        parts.metrics.chain_checked(not breaks)
        if breaks:
            log.error("chain.broken", breaks=len(breaks), first=breaks[0].position, problem=breaks[0].problem)

    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=parts.settings.checkpoint_interval_seconds)
            if stop.is_set():
                return
            await check()
            checkpoint = await sign_if_moved(parts.engine, signer)
            if checkpoint is not None:
                log.info("checkpoint.signed", position=checkpoint.position, on_demand=False)
                await publish(parts.settings.kafka_bootstrap_servers, parts.settings.province_codes, checkpoint)

    return run


def province_router() -> APIRouter:
    """The router of a service's routes under ``/provinces/{province}``: refusals documented as ErrorBody, and
    every state-changing route accepting an ``Idempotency-Key`` (see :mod:`thidua_shared.idempotency`)."""
    return APIRouter(prefix="/provinces/{province}", responses=ERROR_RESPONSES, route_class=ProvinceRoute)
