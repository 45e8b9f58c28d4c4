"""Telling about an event records ``NotificationSent`` in a stream of its own, as the system, caused by it."""

from __future__ import annotations

from datetime import date

from notifications.application.handlers import caused_by, notify
from notifications.domain.model import Message
from thidua_contracts import EventPayload
from thidua_contracts.envelope import Actor
from thidua_contracts.notifications import NotificationSent
from thidua_contracts.registry import ChairElected, UnitRegistered
from thidua_shared.repository import AggregateUnitOfWork
from thidua_shared.store import InMemoryEventStore, NewEvents, StoredEvent
from thidua_shared.unit_of_work import InMemoryUnitOfWork

ELECTED = Message("chair_elected", "Ủy ban Kiểm tra Tỉnh ủy", {
    "vi": "Ủy ban Kiểm tra Tỉnh ủy được bầu làm Trưởng khối năm 2024.",
    "en": "Ủy ban Kiểm tra Tỉnh ủy was elected chair of its bloc for 2024."})


async def _published(payload: EventPayload) -> StoredEvent:
    """``payload`` as the registry recorded it, in a request whose correlation id is ``corr-9``."""
    [stored] = await InMemoryEventStore("registry").append(NewEvents(
        province="HNM", stream_id="bloc:HNM:b", expected_version=0, payloads=[payload],
        actor=Actor(id="staff", role="admin"), correlation_id="corr-9"))
    return stored


async def test_a_notification_is_recorded_in_its_own_stream_as_the_systems_act_caused_by_the_event() -> None:
    elected = await _published(ChairElected(bloc_id="b", year=2024, unit_id="ubkt", votes_for=7, votes_cast=8,
                                            members=8, elected_on=date(2024, 1, 3)))
    inner = InMemoryUnitOfWork("notifications")
    await notify(elected, ELECTED, AggregateUnitOfWork(inner, caused_by(elected)))
    [told] = inner.store.log
    sent = told.typed()
    assert isinstance(sent, NotificationSent)
    assert (told.stream_id, told.stream_version) == (f"notification:HNM:{sent.notification_id}", 1)
    assert (told.province, told.actor["id"], told.actor["role"]) == ("HNM", "notifications", "system")
    assert (told.correlation_id, told.causation_id) == ("corr-9", elected.event_id)
    assert (sent.channel, sent.recipient, sent.template, sent.about_event_id) == (
        "log", "Ủy ban Kiểm tra Tỉnh ủy", "chair_elected", elected.event_id)
    assert sent.texts == ELECTED.text


async def test_an_event_nobody_is_told_about_records_nothing() -> None:
    registered = await _published(UnitRegistered(unit_id="u", name="U", short_name="U", kind="other"))
    inner = InMemoryUnitOfWork("notifications")
    await notify(registered, None, AggregateUnitOfWork(inner, caused_by(registered)))
    assert inner.store.log == []
