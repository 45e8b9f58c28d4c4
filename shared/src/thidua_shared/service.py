"""Assemble a service from its parts: database, tokens, relay, projector and consumers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI

from thidua_shared.auth import TokenStore
from thidua_shared.config import ServiceSettings
from thidua_shared.envelope import Source
from thidua_shared.i18n import Catalogue
from thidua_shared.inbox import Consumer, Handler
from thidua_shared.kafka import topic_for
from thidua_shared.logging import configure_logging
from thidua_shared.outbox import Relay
from thidua_shared.projection import Projector
from thidua_shared.runtime import ServiceParts, build_app, serve
from thidua_shared.store.db import create_engine
from thidua_shared.unit_of_work import SqlUnitOfWork

UnitOfWorkFactory = Callable[[], SqlUnitOfWork]


def assemble(name: Source, settings: ServiceSettings, migrations: Path,
             own_events: Mapping[str, Handler],
             subscriptions: Mapping[Source, Mapping[str, Handler]]) -> tuple[ServiceParts, UnitOfWorkFactory]:
    """The service's running parts and a factory of units of work for its command handlers.

    ``own_events`` update the service's read models in the command's transaction;
    ``subscriptions`` name, per source service, the handlers of that service's events.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_for(name))
    auth_engine = create_engine(settings.auth_database())
    relay = Relay(engine, name, settings.kafka_bootstrap_servers)
    consumers = [
        Consumer(
            engine, name=f"{name}.from.{source}", service=name,
            topics=[topic_for(province, source) for province in settings.province_codes],
            handlers=handlers, bootstrap_servers=settings.kafka_bootstrap_servers,
            on_commit=relay.wake,
        )
        for source, handlers in subscriptions.items()
    ]
    parts = ServiceParts(
        name=name, settings=settings, engine=engine, auth_engine=auth_engine,
        tokens=TokenStore(auth_engine), relay=relay, migrations=migrations, consumers=consumers,
    )
    projector = Projector(own_events)

    def unit_of_work() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, name, projector, on_commit=relay.wake)

    return parts, unit_of_work


RouterFactory = Callable[[ServiceParts, UnitOfWorkFactory], APIRouter]


@dataclass(frozen=True)
class ServiceDefinition:
    """Everything that makes one service different from another; the rest is common."""

    name: Source
    title: str
    description: str
    migrations: Path
    catalogue: Catalogue
    own_events: Mapping[str, Handler]
    subscriptions: Mapping[Source, Mapping[str, Handler]]
    router: RouterFactory

    def create_app(self, settings: ServiceSettings | None = None) -> FastAPI:
        settings = settings or ServiceSettings()
        parts, unit_of_work = assemble(self.name, settings, self.migrations, self.own_events,
                                       self.subscriptions)
        app = build_app(parts, self.catalogue, title=self.title, description=self.description)
        app.include_router(self.router(parts, unit_of_work))
        return app

    def main(self) -> None:
        """``python -m <service>``: serve until SIGINT/SIGTERM."""
        settings = ServiceSettings()
        configure_logging(self.name, settings.log_level, settings.log_json)
        serve(self.create_app(settings), settings)
