"""The relay's lag and a consumer's lag, as a scrape of the metrics shows them: up while the relay or the consumer
is stopped and events are recorded, back to 0 once it runs again (real broker, the metrics' own reader)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from delivery_harness import Databases, Runners, register_units, start_consumer
from prometheus_client.parser import text_string_to_metric_families

from thidua_shared.metrics import LagReader, ServiceMetrics
from thidua_shared.outbox import Relay
from thidua_shared.testing import within


async def scrape(reader: LagReader, metrics: ServiceMetrics) -> dict[str, float]:
    """The samples of one scrape, by name and labels (``name{label=value}``)."""
    await reader.refresh(metrics)
    return {sample.name + "".join(f"{{{key}={value}}}" for key, value in sorted(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(metrics.render().decode()) for sample in family.samples}


def waiting_for(reader: LagReader, metrics: ServiceMetrics, name: str,
                holds: Callable[[float], bool]) -> Callable[[], Awaitable[bool]]:
    async def condition() -> bool:
        value = (await scrape(reader, metrics)).get(name)
        return value is not None and holds(value)

    condition.__name__ = f"{name} as wanted"
    return condition


@pytest.mark.timeout(90)
async def test_relay_lag_and_consumer_lag_rise_while_stopped_and_come_back_to_zero(
        dbs: Databases, kafka_bootstrap: str, runners: Runners) -> None:
    province, topic, consumer = start_consumer(runners, dbs.sink, kafka_bootstrap)
    source, sink = ServiceMetrics(), ServiceMetrics()
    relay_lag = LagReader(dbs.source, kafka_bootstrap, [])
    consumer_lag = LagReader(dbs.sink, kafka_bootstrap, [consumer])
    lag_series = f"thidua_consumer_lag_messages{{consumer={consumer.name}}}{{topic={topic}}}"
    try:
        await register_units(dbs.source, province, 6)
        behind = await scrape(relay_lag, source)
        assert behind["thidua_relay_lag_events"] == 6, "no relay runs: all six wait"
        assert behind["thidua_relay_lag_seconds"] > 0

        relay_task = runners.start(Relay(dbs.source, "registry", kafka_bootstrap, poll_seconds=0.05), "relay")
        await within(30, waiting_for(relay_lag, source, "thidua_relay_lag_events", lambda value: value == 0))
        assert (await scrape(relay_lag, source))["thidua_relay_lag_seconds"] == 0
        await within(30, waiting_for(consumer_lag, sink, lag_series, lambda value: value == 0))

        [consuming] = [task for task in runners.tasks if task.get_name() == "consumer"]
        await runners.stop(consuming)
        await register_units(dbs.source, province, 5)
        await within(30, waiting_for(consumer_lag, sink, lag_series, lambda value: value > 0))

        runners.start(consumer, "consumer again")
        await within(30, waiting_for(consumer_lag, sink, lag_series, lambda value: value == 0))
        assert not relay_task.done()
    finally:
        await relay_lag.close()
        await consumer_lag.close()
