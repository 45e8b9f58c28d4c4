"""Pytest fixtures shared by every test suite in the repository (loaded by the root conftest).

Kafka: ``KAFKA_BOOTSTRAP_SERVERS`` if set, else a testcontainers Kafka if a Docker engine answers,
else the embedded tansu broker. PostgreSQL: ``THIDUA_TEST_POSTGRES_URL`` (default the local server);
when it does not answer, PostgreSQL tests are skipped, or fail if ``THIDUA_REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import sqlite3
import string
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, Self, TypeVar

import httpx
import orjson
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_contracts.wire import digest
from thidua_shared.auth import TokenStore
from thidua_shared.broker import EmbeddedBroker, embedded_settings
from thidua_shared.config import ServiceSettings
from thidua_shared.hashing import canonical
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine
from thidua_shared.store.event_store import StoredEvent
from thidua_shared.unit_of_work import InMemoryUnitOfWork

POSTGRES_ADMIN_URL = os.environ.get(
    "THIDUA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=2).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means no engine
        return False


@pytest.fixture(scope="session")
async def _session_kafka() -> AsyncIterator[str | EmbeddedBroker]:
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        yield configured
        return
    if _docker_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer().with_kraft() as container:
            yield container.get_bootstrap_server()
        return
    broker = EmbeddedBroker()
    await broker.start()
    # services built in this process, and those the tests start as processes, join groups faster
    for name, value in embedded_settings().items():
        os.environ.setdefault(name, value)
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
async def kafka_bootstrap(_session_kafka: str | EmbeddedBroker) -> str:
    """The session's Kafka. An embedded broker found dead (killed from outside, or crashed) is started again,
    empty, on its port, so that one lost process does not fail every test after it; tests use provinces of
    their own, so none relies on another's topics."""
    if isinstance(_session_kafka, str):
        return _session_kafka
    if not _session_kafka.alive():
        warnings.warn("the session's embedded Kafka broker had stopped; started again, empty", stacklevel=1)
        await _session_kafka.start()
    return _session_kafka.bootstrap_servers


@pytest.fixture
async def own_broker() -> AsyncIterator[EmbeddedBroker]:
    """A broker of the test's own, to pause, kill and restart (always the embedded one)."""
    broker = EmbeddedBroker()
    await broker.start()
    # services built in this process, and those the tests start as processes, join groups faster
    for name, value in embedded_settings().items():
        os.environ.setdefault(name, value)
    try:
        yield broker
    finally:
        broker.stop()


def postgres_available() -> str | None:
    """The reason PostgreSQL cannot be used, or None when it answers."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as error:  # noqa: BLE001
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} does not answer: {error}"


def need_postgres() -> None:
    reason = postgres_available()
    if reason is None:
        return
    if os.environ.get("THIDUA_REQUIRE_POSTGRES") == "1":
        pytest.fail(reason + " (THIDUA_REQUIRE_POSTGRES=1)")
    pytest.skip(reason)


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards. Yields its async URL."""
    import psycopg

    need_postgres()
    name = f"thidua_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def database_url_for(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    with database_url_for(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def store_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a fresh database that has the store tables (migrated with Alembic)."""
    engine = create_engine(database_url)
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
    try:
        yield engine
    finally:
        await engine.dispose()


class ApiUnderTest:
    """A service app in this process (lifespan run: migrations, relay, consumers) and a way to call it."""

    def __init__(self, app: FastAPI, settings: ServiceSettings) -> None:
        self.app = app
        self.settings = settings
        self.province = settings.province_codes[0]
        self.base = f"/provinces/{self.province}"

    async def token(self, role: str, province: str | None = None, unit_id: str | None = None,
                    bloc_id: str | None = None) -> str:
        province = province or self.province
        engine = create_engine(self.settings.auth_database())
        try:
            issued = await TokenStore(engine).issue(province, role, "test", unit_id, bloc_id)
        finally:
            await engine.dispose()
        return issued.token

    def client(self, token: str | None = None, language: str = "vi") -> httpx.AsyncClient:
        headers = {"Accept-Language": language}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                 base_url="http://test", headers=headers)


def unique_province(prefix: str = "T") -> str:
    """A province code (``^[A-Z]{2,8}$``) no other test uses, so tests sharing a broker never share a topic."""
    return prefix + "".join(random.choices(string.ascii_uppercase, k=8 - len(prefix)))


@contextlib.asynccontextmanager
async def running_service(create_app: Callable[[ServiceSettings], FastAPI], data_dir: Path,
                          bootstrap: str, provinces: str | None = None) -> AsyncIterator[ApiUnderTest]:
    """The service on a province of its own (random unless given): one relay per topic, as in production."""
    provinces = provinces or unique_province()
    settings = ServiceSettings(data_dir=data_dir, provinces=provinces,
                               kafka_bootstrap_servers=bootstrap)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield ApiUnderTest(app, settings)


async def within(seconds: float, condition: Callable[[], Awaitable[bool]]) -> None:
    """Wait until ``condition`` holds, failing the test after ``seconds`` (no blind sleeps). ``seconds`` only
    stops a wait that would never end, it is no speed target: on a busy two-core machine a consumer took over 15 s
    to join its group before the first event crossed (the tests wait up to 60 s for an event to cross services)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"not within {seconds} s: {getattr(condition, '__name__', condition)}")
        await asyncio.sleep(0.1)


class OverInMemoryLog:
    """Mixed into a service's fake unit of work built over :class:`InMemoryUnitOfWork` (``inner``): ``log`` is
    every event kept, and ``async with`` it rolls back what a refused command recorded, as a transaction."""

    inner: InMemoryUnitOfWork

    @property
    def log(self) -> list[StoredEvent]:
        return self.inner.store.log

    async def __aenter__(self) -> Self:
        await self.inner.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.inner.__aexit__(*exc)


def rewrite_consistently(connection: sqlite3.Connection, position: int, change: Callable[[dict[str, Any]], None],
                         ) -> None:
    """Tamper with a service's SQLite log as someone who knows the hashing would: ``change`` the event at
    ``position`` and recompute the hash of it and of every later event, and the head, so that the chain is
    consistent again (only an anchor outside the database, a checkpoint or a topic's copy, can tell)."""
    rows = connection.execute("SELECT position, body FROM events WHERE position >= ? ORDER BY position",
                              (position - 1,)).fetchall()
    prev_hash = connection.execute("SELECT hash FROM events WHERE position = ?", (position - 1,)).fetchone()[0]
    for at, body in rows[1:]:
        document = orjson.loads(body)
        document.pop("hash", None)
        if at == position:
            change(document)
        document["prev_hash"] = prev_hash
        new_body = canonical(document)
        prev_hash = digest(new_body)
        connection.execute("UPDATE events SET body = ?, hash = ? WHERE position = ?",
                           (new_body.decode(), prev_hash, at))
    connection.execute("UPDATE log_head SET last_hash = ?", (prev_hash,))


T = TypeVar("T")


async def tamper(database: Path | str, change: Callable[[sqlite3.Connection], T]) -> T:
    """A direct write to a service's SQLite file, as someone with the file would make it, and what ``change``
    returns. BEGIN IMMEDIATE takes the write lock at once, so that no read snapshot goes stale under it; and the
    write runs in a thread of its own: a service running in the test's event loop may hold the lock across an
    await, and a blocking wait in the loop's own thread would never let it finish (the test failed with
    'database is locked' after the busy timeout)."""

    def tampered() -> T:
        connection = sqlite3.connect(database, timeout=60, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            result = change(connection)
            connection.execute("COMMIT")
            return result
        finally:
            connection.close()

    return await asyncio.to_thread(tampered)
