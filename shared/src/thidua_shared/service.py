"""Assemble a service from its parts: database, tokens, relay, projections and consumers."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import APIRouter, FastAPI
from sqlalchemy import Table
from sqlalchemy.exc import SQLAlchemyError

from thidua_contracts.envelope import Source
from thidua_shared.audit_replay import LiveService, ReplayReport, compare
from thidua_shared.audit_topics import TopicNotRead
from thidua_shared.auth import TokenStore
from thidua_shared.checkpoints import Signer
from thidua_shared.clock import use_time_zone
from thidua_shared.config import ServiceSettings
from thidua_shared.http import Wording
from thidua_shared.i18n import Catalogue
from thidua_shared.kafka import topic_for
from thidua_shared.logging import configure_logging
from thidua_shared.outbox import Relay
from thidua_shared.projection import Projection
from thidua_shared.replay import Progress, rebuild
from thidua_shared.runtime import ServiceParts, build_app, prepare_databases, serve
from thidua_shared.scratch_replay import ReplayedService, Scratch, ScratchRefused
from thidua_shared.store.db import create_engine
from thidua_shared.store.event_store import LogHead
from thidua_shared.subscriptions import Subscription
from thidua_shared.supervision import Body
from thidua_shared.tracing import TracingSettings, configure_tracing
from thidua_shared.unit_of_work import SqlUnitOfWork

UnitOfWorkFactory = Callable[[], SqlUnitOfWork]


def assemble(name: Source, settings: ServiceSettings, migrations: Path,
             own_events: Projection,
             subscriptions: Mapping[Source, Projection]) -> tuple[ServiceParts, UnitOfWorkFactory]:
    """The service's running parts and a factory of units of work for its command handlers.

    ``own_events`` update the service's read models in the command's transaction;
    ``subscriptions`` name, per source service, the projection of that service's events.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.database_for(name))
    auth_engine = create_engine(settings.auth_database())
    relay = Relay(engine, name, settings.kafka_bootstrap_servers)
    consumers = [
        Subscription(
            engine, name=f"{name}.from.{source}", service=name,
            topics=[topic_for(province, source) for province in settings.province_codes],
            projection=projection, bootstrap_servers=settings.kafka_bootstrap_servers,
            on_commit=relay.wake, session_timeout_ms=settings.kafka_session_timeout_ms,
            fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
        )
        for source, projection in subscriptions.items()
    ]
    key_file = settings.checkpoint_key_file or settings.data_dir / f"{name}.checkpoint-key.pem"
    parts = ServiceParts(
        name=name, settings=settings, engine=engine, auth_engine=auth_engine,
        tokens=TokenStore(auth_engine), relay=relay, migrations=migrations, consumers=consumers,
        signer=Signer.from_file(name, key_file),
    )
    head_hint = LogHead()
    counted = parts.metrics.events_appended

    def unit_of_work() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, name, own_events, on_commit=relay.wake, head_hint=head_hint, counted=counted)

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
    own_events: Projection
    subscriptions: Mapping[Source, Projection]
    router: RouterFactory
    own_tables: tuple[Table, ...] = ()
    """Read models fed by the service's own events (rebuilt from its log)."""
    consumed_tables: tuple[Table, ...] = ()
    """Read models fed by other services' events (rebuilt by reading their topics again)."""
    wording: Callable[[ServiceParts], Wording] | None = None
    """How the service words the ids of a refusal as people call them (see :data:`thidua_shared.http.Wording`)."""
    workers: Callable[[ServiceParts, UnitOfWorkFactory], Sequence[tuple[str, Body]]] | None = None
    """The service's own long-running tasks, by name, run and supervised beside the relay and the consumers."""

    def create_app(self, settings: ServiceSettings | None = None) -> FastAPI:
        settings = settings or ServiceSettings()
        use_time_zone(settings.time_zone)
        parts, unit_of_work = assemble(self.name, settings, self.migrations, self.own_events,
                                       self.subscriptions)
        parts.read_models = self.read_models
        if self.workers is not None:
            parts.workers.extend(self.workers(parts, unit_of_work))
        app = build_app(parts, self.catalogue, title=self.title, description=self.description,
                        wording=self.wording(parts) if self.wording is not None else None)
        app.include_router(self.router(parts, unit_of_work))
        return app

    async def migrate(self, settings: ServiceSettings) -> None:
        parts, _ = assemble(self.name, settings, self.migrations, self.own_events, self.subscriptions)
        try:
            await prepare_databases(parts)
        finally:
            await parts.engine.dispose()
            await parts.auth_engine.dispose()

    async def replay(self, settings: ServiceSettings, resubscribe: bool, progress: Progress) -> int:
        """Rebuild the read models (see :func:`thidua_shared.replay.rebuild`); the service must be stopped."""
        if resubscribe and not self.consumed_tables:
            raise ValueError(f"{self.name} keeps no read model of other services' events to rebuild")
        await self.migrate(settings)
        engine = create_engine(settings.database_for(self.name))
        try:
            return await rebuild(engine, self.name, self.own_events, self.own_tables,
                                 self.consumed_tables, resubscribe, progress=progress)
        finally:
            await engine.dispose()

    @property
    def read_models(self) -> tuple[Table, ...]:
        return (*self.own_tables, *self.consumed_tables)

    async def audit_replay(self, into: str, source: str, url: str, token: str, province: str, kafka: str | None,
                           rounds: int, progress: Progress) -> ReplayReport:
        """Rebuild the read models of the running service at ``url`` into the scratch database ``into``, from its
        log (``source`` ``store``) or its topic (``topics``), and compare them with the live ones (see
        :mod:`thidua_shared.audit_replay`); the live database is never touched."""
        replayed = ReplayedService(self.name, self.migrations, self.own_events, self.subscriptions, self.read_models)
        engine = create_engine(into)
        async with httpx.AsyncClient(base_url=url, timeout=60,
                                     headers={"Authorization": f"Bearer {token}"}) as client:
            live = LiveService(client, province)
            scratch = Scratch(replayed, engine, province, live.log if source == "store" else None, kafka,
                              progress=progress, published_now=live.published)
            try:
                await scratch.prepare()
                return await compare(scratch, live, rounds)
            finally:
                await engine.dispose()

    def main(self, argv: Sequence[str] | None = None) -> None:
        """``python -m <service> [serve | migrate | replay [--resubscribe] | audit-replay ...]``; ``serve`` by
        default."""
        parser = argparse.ArgumentParser(prog=f"python -m {self.name}", description=self.description)
        commands = parser.add_subparsers(dest="command")
        commands.add_parser("serve", help="run the HTTP API, relay and consumers until SIGINT/SIGTERM")
        commands.add_parser("migrate", help="bring the databases to the newest schema")
        replay = commands.add_parser("replay", help="rebuild the read models (stop the service first)")
        replay.add_argument("--resubscribe", action="store_true",
                            help="also rebuild what comes from other services by reading their topics again")
        audit = commands.add_parser(
            "audit-replay", help="rebuild the read models of the running service into a scratch database and compare "
                                 "them with the live ones (JSON on stdout; exit 0 equal, 1 different)")
        audit.add_argument("--into", required=True, help="the scratch database (an empty one), SQLAlchemy URL")
        audit.add_argument("--source", choices=("store", "topics"), default="store",
                           help="the service's own events from its log over HTTP (store) or from its topic")
        audit.add_argument("--url", required=True, help="the running service's URL")
        audit.add_argument("--province", required=True)
        audit.add_argument("--kafka", help="Kafka bootstrap servers (the topics it reads)")
        audit.add_argument("--rounds", type=int, default=2, help="rounds before a table still moving is left")
        arguments = parser.parse_args(argv)
        if arguments.command == "audit-replay":
            self._audit_replay(parser, arguments)
            return
        settings = ServiceSettings()
        configure_logging(self.name, settings.log_level, settings.log_json)
        tracing = TracingSettings()
        configure_tracing(self.name, tracing.tracing, tracing.tracing_endpoint)
        if arguments.command == "migrate":
            asyncio.run(self.migrate(settings))
            print(f"{self.name}: databases migrated")
        elif arguments.command == "replay":
            def show(done: int, total: int) -> None:
                print(f"{self.name}: {done}/{total} events replayed", file=sys.stderr, flush=True)

            try:
                count = asyncio.run(self.replay(settings, arguments.resubscribe, show))
            except ValueError as error:
                parser.exit(2, f"{error}\n")
            print(f"{self.name}: read models rebuilt from {count} events"
                  + ("; consumers read their topics again at the next start" if arguments.resubscribe else ""))
        else:
            serve(self.create_app(settings), settings)

    def _audit_replay(self, parser: argparse.ArgumentParser, arguments: argparse.Namespace) -> None:
        """The token comes from ``THIDUA_TOKEN`` (never the command line, which other users of the machine see)."""
        configure_logging(self.name, os.environ.get("THIDUA_LOG_LEVEL", "WARNING"), True)
        token = os.environ.get("THIDUA_TOKEN", "")
        if not token:
            parser.exit(2, "audit-replay needs an auditor token in THIDUA_TOKEN\n")

        def show(done: int, total: int) -> None:
            print(f"{self.name}: {done}/{total} events replayed", file=sys.stderr, flush=True)

        try:
            report = asyncio.run(self.audit_replay(arguments.into, arguments.source, arguments.url, token,
                                                   arguments.province.upper(), arguments.kafka, arguments.rounds,
                                                   show))
        except ScratchRefused as refused:
            parser.exit(2, f"{arguments.into}: not an empty database ({refused} holds rows): a replay writes only "
                           "into a new one\n")
        except (ValueError, httpx.HTTPError, TopicNotRead, SQLAlchemyError, OSError) as error:
            parser.exit(2, f"{error}\n")
        print(report.model_dump_json())
        sys.exit(0 if report.equal else 1)
