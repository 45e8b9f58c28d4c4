"""A projection sends each event to the handler of its exact class; runs of one class come together."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from thidua_contracts import EventPayload
from thidua_contracts.registry import ChairElected, UnitRegistered, UnitRenamed, ViceChairElected, _LeaderElected
from thidua_shared.projection import Projection
from thidua_shared.store import StoredEvent
from thidua_shared.store.db import create_engine


def _stored(payload: EventPayload, position: int = 1) -> StoredEvent:
    return StoredEvent(position=position, event_id=f"e{position}", event_type=type(payload).__name__,
                       schema_version=1, province="HNM", source="registry", stream_id="s",
                       stream_version=position, occurred_at="2024-01-01T00:00:00Z",
                       recorded_at="2024-01-01T00:00:00Z", actor={}, correlation_id="c", causation_id=None,
                       prev_hash="", hash="", payload=payload.model_dump(mode="json"), body=b"")


def _elected(model: type[ChairElected] | type[ViceChairElected]) -> ChairElected | ViceChairElected:
    return model(bloc_id="b", year=2024, unit_id="u", votes_for=5, votes_cast=6, members=7,
                 elected_on=date(2024, 1, 15))


def _registered(unit_id: str) -> UnitRegistered:
    return UnitRegistered(unit_id=unit_id, name=unit_id.upper(), short_name=unit_id, kind="other")


@pytest.fixture
async def connection() -> AsyncIterator[AsyncConnection]:
    engine = create_engine("sqlite+aiosqlite://")
    try:
        async with engine.connect() as opened:
            yield opened
    finally:
        await engine.dispose()


async def test_each_event_goes_to_the_handler_of_its_own_class_whatever_the_order_of_registration(
        connection: AsyncConnection) -> None:
    projection, roles = Projection(), []

    @projection.handles(ViceChairElected)
    async def vice_chair(connection: AsyncConnection, event: StoredEvent, payload: ViceChairElected) -> None:
        roles.append("vice_chair")

    @projection.handles(ChairElected)
    async def chair(connection: AsyncConnection, event: StoredEvent, payload: ChairElected) -> None:
        roles.append("chair")

    for model in (ChairElected, ViceChairElected, ChairElected):
        payload = _elected(model)
        await projection.apply(connection, _stored(payload), payload)
    assert roles == ["chair", "vice_chair", "chair"]


async def test_a_run_of_events_of_one_class_comes_to_its_run_handler_at_once(connection: AsyncConnection) -> None:
    projection, calls = Projection(), []

    @projection.handles_runs(UnitRegistered)
    async def registered(connection: AsyncConnection, run: Sequence[tuple[StoredEvent, UnitRegistered]]) -> None:
        calls.append([payload.unit_id for _, payload in run])

    @projection.handles(UnitRenamed)
    async def renamed(connection: AsyncConnection, event: StoredEvent, payload: UnitRenamed) -> None:
        calls.append([f"renamed {payload.unit_id}"])

    renamed_a = UnitRenamed(unit_id="a", name="A2", effective_on=date(2024, 2, 1))
    payloads = [_registered("a"), _registered("b"), renamed_a, _registered("c")]
    await projection.project(connection, [_stored(payload, n) for n, payload in enumerate(payloads, 1)])
    assert calls == [["a", "b"], ["renamed a"], ["c"]]
    await projection.apply(connection, _stored(_registered("d")), _registered("d"))
    assert calls[-1] == ["d"], "one event is a run of one"


async def test_events_without_a_handler_change_nothing(connection: AsyncConnection) -> None:
    projection, seen = Projection(), []

    @projection.handles(UnitRenamed)
    async def renamed(connection: AsyncConnection, event: StoredEvent, payload: UnitRenamed) -> None:
        seen.append(payload.unit_id)

    await projection.project(connection, [_stored(_registered("a")), _stored(_elected(ChairElected), 2)])
    assert seen == []
    assert not projection.applies_to(UnitRegistered)


def test_a_class_is_handled_once_and_only_events_of_the_contract_are_handled() -> None:
    projection = Projection()

    async def anything(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
        return None

    projection.handles(UnitRenamed)(anything)
    with pytest.raises(ValueError, match="already has a handler"):
        projection.handles(UnitRenamed)(anything)
    with pytest.raises(ValueError, match="not an event of the contract"):
        projection.handles(_LeaderElected)(anything)
