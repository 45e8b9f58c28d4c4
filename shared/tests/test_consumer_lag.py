"""Consumer lag is visible to Kafka's tools: the group commits what the read models applied.

``kafka-consumer-groups.sh --describe`` computes a group's lag from its committed offsets and the log's end.
The embedded broker miscounts the end of a partition written in multi-record batches (ListOffsets), so the
tools' arithmetic is not checked here; what this service owes them is: committed offsets that follow the
database's marks, and that stay behind while the subscription is stopped.
"""

from __future__ import annotations

import pytest
from delivery_harness import Databases, Runners, applied_count, register_units, start_consumer

from thidua_shared.outbox import Relay
from thidua_shared.subscriptions import Subscription
from thidua_shared.testing import within


async def acknowledged_as_applied(consumer: Subscription, applied: int, sink: Databases) -> bool:
    """Everything is applied, and the group's committed offsets are the database's marks; a partition that no event
    reached has no mark, and the group may hold 0 for it (the units' keys may leave one of the four empty)."""
    if await applied_count(sink.sink) != applied:
        return False
    marks = {tp: mark.next_offset for tp, mark in (await consumer.marks()).items()}
    acknowledged = await consumer.acknowledged()
    return bool(marks) and {tp: offset for tp, offset in acknowledged.items() if offset or tp in marks} == marks


@pytest.mark.timeout(90)
async def test_the_group_commits_what_the_read_models_applied(
        dbs: Databases, kafka_bootstrap: str, runners: Runners) -> None:
    province, _, consumer = start_consumer(runners, dbs.sink, kafka_bootstrap)
    relay = Relay(dbs.source, "registry", kafka_bootstrap, poll_seconds=0.05)
    runners.start(relay, "relay")
    await register_units(dbs.source, province, 12)

    async def caught_up() -> bool:
        return await acknowledged_as_applied(consumer, 12, dbs)

    await within(30, caught_up)
    before = await consumer.acknowledged()

    [consuming] = [task for task in runners.tasks if task.get_name() == "consumer"]
    await runners.stop(consuming)
    await register_units(dbs.source, province, 5)

    async def published() -> bool:
        return relay.published == 17

    await within(30, published)
    assert await applied_count(dbs.sink) == 12

    runners.start(consumer, "consumer again")

    async def caught_up_again() -> bool:
        return await acknowledged_as_applied(consumer, 17, dbs)

    await within(30, caught_up_again)
    after = await consumer.acknowledged()
    assert sum(after.values()) - sum(before.values()) == 5, "the group's offsets moved by what was applied"
