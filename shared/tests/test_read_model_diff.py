"""A read model compared with its replay row by row, by primary key: rows missing from the live one, extra in it and
different under the same key are each named, with the differing columns; and a topic's events are replayed once
each (the first copy), in their source's log order, up to where the live consumer stands."""

from __future__ import annotations

from typing import Any

from thidua_contracts.envelope import Actor
from thidua_contracts.registry import UnitRegistered
from thidua_contracts.wire import wire
from thidua_shared.audit_topics import TopicMessage
from thidua_shared.read_model_diff import ColumnDifference, diff_table
from thidua_shared.scratch_replay import FedEvent, TopicFeed
from thidua_shared.store.event_store import InMemoryEventStore, NewEvents, StoredEvent

KEY = ["province", "unit_id", "joined_on"]


def _row(unit_id: str, joined_on: str = "2023-01-01", **more: Any) -> dict[str, Any]:
    return {"province": "HNM", "unit_id": unit_id, "joined_on": joined_on, "left_on": None, **more}


def test_equal_rows_in_any_order_are_equal() -> None:
    rows = [_row("a", total=95.0, breakdown={"x": 1}), _row("b", total=90.0, breakdown={"x": 2})]
    diff = diff_table("members", KEY, rows, list(reversed(rows)))
    assert diff.equal
    assert (diff.live, diff.rebuilt) == (2, 2)


def test_missing_extra_and_different_rows_are_named_by_their_key_with_the_differing_columns() -> None:
    live = [_row("a", total=95.0), _row("b", total=90.0), _row("forged", total=100.0)]
    rebuilt = [_row("a", total=95.0), _row("b", total=91.5, left_on="2024-01-01"), _row("c", total=80.0),
               _row("a", "2024-06-01", total=70.0)]
    diff = diff_table("members", KEY, live, rebuilt)
    assert not diff.equal
    assert (diff.live, diff.rebuilt) == (3, 4)
    assert diff.missing == [{"province": "HNM", "unit_id": "a", "joined_on": "2024-06-01"},
                            {"province": "HNM", "unit_id": "c", "joined_on": "2023-01-01"}]
    assert diff.extra == [{"province": "HNM", "unit_id": "forged", "joined_on": "2023-01-01"}]
    [different] = diff.different
    assert different.key == {"province": "HNM", "unit_id": "b", "joined_on": "2023-01-01"}
    assert different.columns == [ColumnDifference(column="left_on", live=None, rebuilt="2024-01-01"),
                                 ColumnDifference(column="total", live=90.0, rebuilt=91.5)]


def test_ignored_columns_are_left_out_and_said() -> None:
    diff = diff_table("members", KEY, [_row("a", written_at="10:00")], [_row("a", written_at="10:01")],
                      ignored=["written_at"])
    assert diff.equal
    assert diff.ignored == ["written_at"]


def test_a_column_only_one_side_has_is_a_difference() -> None:
    [different] = diff_table("members", KEY, [_row("a")], [_row("a", band="Xuất sắc")]).different
    assert different.columns == [ColumnDifference(column="band", live=None, rebuilt="Xuất sắc")]


def _event(position: int, event_id: str) -> StoredEvent:
    return StoredEvent(position, event_id, "UnitRegistered", 1, "HNM", "registry", f"unit-{event_id}", 1,
                       "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", {}, "c", None, "", "h", {}, b"")


async def test_a_topic_feed_keeps_the_first_copy_of_each_event_and_skips_what_breaks_the_contract() -> None:
    store = InMemoryEventStore("registry")
    stored = [event for unit_id in ("a", "b") for event in await store.append(NewEvents(
        province="HNM", stream_id=f"unit:HNM:{unit_id}", expected_version=0,
        payloads=[UnitRegistered(unit_id=unit_id, name=unit_id, short_name=unit_id, kind="other")],
        actor=Actor(id="staff", role="admin"), correlation_id="c"))]
    feed = TopicFeed("", "thidua.hnm.registry", lambda _: True)
    feed.add([TopicMessage(0, 0, wire(stored[0].body, stored[0].hash)),
              TopicMessage(1, 0, wire(stored[1].body, stored[1].hash)),
              TopicMessage(0, 1, b"not an event"),
              TopicMessage(0, 2, wire(stored[0].body, stored[0].hash))])
    assert [(read.partition, read.offset, read.event.event_id) for read in feed.pending] == [
        (0, 0, stored[0].event_id), (1, 0, stored[1].event_id)]
    assert (feed.copies, feed.violations, feed.next_offsets) == (1, 1, {0: 3, 1: 1})
    assert isinstance(feed.pending[0].payload, UnitRegistered)


def test_a_topic_feed_gives_each_event_once_in_log_order_up_to_the_live_consumers_marks() -> None:
    feed = TopicFeed("", "thidua.hnm.registry", lambda _: True)
    feed.pending = [FedEvent(1, 0, _event(3, "c"), None), FedEvent(0, 0, _event(1, "a"), None),
                    FedEvent(0, 1, _event(4, "d"), None), FedEvent(1, 1, _event(2, "b"), None)]
    first = feed.take(below={0: 1, 1: 2})
    assert [event.event_id for event, _ in first] == ["a", "b", "c"], "in the order of the source's log"
    assert feed.take(below={0: 1, 1: 2}) == [], "nothing twice"
    assert [event.event_id for event, _ in feed.take(below={0: 2})] == ["d"], "the rest once the consumer read it"


def test_a_topic_feed_of_the_services_own_events_stops_at_the_logs_head() -> None:
    feed = TopicFeed("", "thidua.hnm.registry", lambda _: True)
    feed.pending = [FedEvent(0, offset, _event(position, str(position)), None)
                    for offset, position in enumerate([2, 1, 5, 3])]
    assert [event.position for event, _ in feed.take(up_to_position=3)] == [1, 2, 3]
    assert [event.position for event, _ in feed.take(up_to_position=5)] == [5]
