"""What the store writes and the relay publishes, the contracts package reads back: the store encodes with
orjson, a subscriber checks with the package alone (pydantic and the standard library), on both backends."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_contracts import read_event, wire
from thidua_contracts.envelope import Actor
from thidua_contracts.scoring import SelfAssessmentSubmitted
from thidua_shared.store import NewEvents, SqlEventStore

AWKWARD = SelfAssessmentSubmitted(
    bloc_id="khoi-ban-dang", year=2024, unit_id="ubkt",
    scores={"A1": 1e-7, "A2": 0.1 + 0.2, "A3": 12345678901234567.0, "A4": -0.0, "A5": 95.0, "B1": 0.00001},
    evidence=["Báo cáo tổng kết \"năm\" 2024\n\tđính kèm", "\u2028\x7f\x1f", "😀"],
)
"""Numbers and texts two JSON encoders are most likely to write differently."""


async def test_an_event_as_published_is_read_back_by_the_contracts_package(store_engine: AsyncEngine) -> None:
    async with store_engine.begin() as connection:
        stored = await SqlEventStore(connection, "scoring").append(NewEvents(
            province="HNM", stream_id="bloc-year:HNM:khoi-ban-dang:2024", expected_version=0,
            payloads=[AWKWARD], actor=Actor(id="tester", role="unit_officer", unit_id="ubkt"),
            correlation_id="published"))
    async with store_engine.connect() as connection:
        logged = await SqlEventStore(connection, "scoring").read_log(0, 10)
    assert [event.event_id for event in logged] == [event.event_id for event in stored]
    envelope, payload = read_event(wire(logged[0].body, logged[0].hash))
    assert payload == AWKWARD
    assert str(envelope.event_id) == stored[0].event_id
    assert envelope.hash == stored[0].hash
