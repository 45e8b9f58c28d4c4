"""Aggregates and repositories: applied by event class, loaded from their stream, saved at their version,
over the in-memory unit of work and the SQL one on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitDissolved, UnitRegistered, UnitRenamed
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict
from thidua_shared.projection import Projection
from thidua_shared.repository import AggregateUnitOfWork
from thidua_shared.store import ConcurrencyConflict, migrate
from thidua_shared.store.db import create_engine
from thidua_shared.testing import database_url_for
from thidua_shared.unit_of_work import InMemoryUnitOfWork, SqlUnitOfWork

CONTEXT = CommandContext("HNM", Actor(id="staff", role="admin"), "corr-1")


class Named(Aggregate):
    """A small aggregate of the test's own: a name that can change."""

    def __init__(self, named_id: str) -> None:
        super().__init__(f"unit:HNM:{named_id}", "HNM")
        self.named_id = named_id
        self.names: list[str] = []

    def register(self, name: str) -> None:
        if self.exists:
            raise Conflict("unit.exists", unit_id=self.named_id)
        self.record(UnitRegistered(unit_id=self.named_id, name=name, short_name=name, kind="other"))

    def rename(self, name: str) -> None:
        self.record(UnitRenamed(unit_id=self.named_id, name=name, effective_on="2024-01-01", decision_ref="1"))

    @applies(UnitRegistered)
    def _registered(self, event: UnitRegistered) -> None:
        self.names = [event.name]

    @applies(UnitRenamed)
    def _renamed(self, event: UnitRenamed) -> None:
        self.names.append(event.name)



OpenUow = Callable[[], AbstractAsyncContextManager[AggregateUnitOfWork]]


def in_memory() -> OpenUow:
    inner = InMemoryUnitOfWork("registry")

    @asynccontextmanager
    async def open_uow() -> AsyncIterator[AggregateUnitOfWork]:
        async with inner:
            yield AggregateUnitOfWork(inner, CONTEXT)

    return open_uow


def in_sql(engine: AsyncEngine) -> OpenUow:
    @asynccontextmanager
    async def open_uow() -> AsyncIterator[AggregateUnitOfWork]:
        async with SqlUnitOfWork(engine, "registry", Projection()) as inner:
            yield AggregateUnitOfWork(inner, CONTEXT)

    return open_uow


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def open_uow(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[OpenUow]:
    if request.param == "memory":
        yield in_memory()
        return
    with database_url_for(request.param, tmp_path) as url:
        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, [migrate.STORE_VERSIONS])
            yield in_sql(engine)
        finally:
            await engine.dispose()


def test_recording_applies_the_event_at_once_and_keeps_it_pending() -> None:
    named = Named("a")
    named.register("A")
    named.rename("B")
    assert named.names == ["A", "B"]
    assert (named.version, named.saved_version) == (2, 0)
    assert [type(event) for event in named.pending] == [UnitRegistered, UnitRenamed]


def test_an_event_without_an_applier_is_refused() -> None:
    with pytest.raises(TypeError, match="no applier for UnitDissolved"):
        Named("a").apply(UnitDissolved(unit_id="a", effective_on="2024-01-01", decision_ref="1"))


def test_a_class_applying_one_event_twice_is_refused() -> None:
    with pytest.raises(TypeError, match="applies UnitRenamed twice"):
        class Twice(Named):
            @applies(UnitRenamed)
            def _one(self, event: UnitRenamed) -> None: ...

            @applies(UnitRenamed)
            def _other(self, event: UnitRenamed) -> None: ...


def test_a_subclass_inherits_its_parents_appliers_and_may_replace_one() -> None:
    class Shouting(Named):
        @applies(UnitRenamed)
        def _renamed_loudly(self, event: UnitRenamed) -> None:
            self.names.append(event.name.upper())

    shouting = Shouting("a")
    shouting.register("A")
    shouting.rename("b")
    assert shouting.names == ["A", "B"]
    assert Named("a").replay([]).names == []


async def test_an_empty_stream_gives_a_new_aggregate(open_uow: OpenUow) -> None:
    async with open_uow() as uow:
        named = await uow.repository(Named).get("a")
    assert (named.exists, named.version, named.pending) == (False, 0, ())


async def test_saved_events_load_back_in_order(open_uow: OpenUow) -> None:
    async with open_uow() as uow:
        named = Named("a")
        named.register("A")
        named.rename("B")
        stored = await uow.save(named)
        await uow.commit()
    assert [(event.event_type, event.stream_version, event.actor["id"]) for event in stored] == [
        ("UnitRegistered", 1, "staff"), ("UnitRenamed", 2, "staff")]
    assert uow.committed == stored
    assert named.pending == ()
    async with open_uow() as uow:
        loaded = await uow.repository(Named).get("a")
        loaded.rename("C")
        [renamed] = await uow.save(loaded)
        await uow.commit()
    assert loaded.names == ["A", "B", "C"]
    assert renamed.stream_version == 3


async def test_several_aggregates_are_saved_in_one_transaction_or_not_at_all(open_uow: OpenUow) -> None:
    async with open_uow() as uow:
        first, second = Named("a"), Named("b")
        first.register("A")
        second.register("B")
        await uow.save(first, second)
        # no commit: both are rolled back
    async with open_uow() as uow:
        assert not (await uow.repository(Named).get("a")).exists
        assert not (await uow.repository(Named).get("b")).exists


async def test_saving_a_stream_that_moved_since_it_was_loaded_is_a_conflict(open_uow: OpenUow) -> None:
    async with open_uow() as uow:
        named = Named("a")
        named.register("A")
        await uow.save(named)
        await uow.commit()
    async with open_uow() as uow:
        stale = await uow.repository(Named).get("a")
        fresh = await uow.repository(Named).get("a")
        fresh.rename("B")
        await uow.save(fresh)
        stale.rename("C")
        with pytest.raises(ConcurrencyConflict):
            await uow.save(stale)


async def test_saving_nothing_records_nothing(open_uow: OpenUow) -> None:
    async with open_uow() as uow:
        assert await uow.save(Named("a")) == []
        await uow.commit()
    assert uow.committed == []
