"""The pipeline benchmark's load generator (``python -m bench --pipeline``) on the real system: every command it
sends is seen in the awards service's read model, and a rate it could not keep is not called sustained. Its
figures are not asserted (timings belong to the benchmark, not to tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.pipeline import PROVINCE, Pipeline, Step, set_up, summary
from thidua_cli.system import LocalSystem
from thidua_shared.broker import EmbeddedBroker


@pytest.fixture
async def province(tmp_path: Path, own_broker: EmbeddedBroker) -> AsyncIterator[tuple[LocalSystem, str]]:
    system = LocalSystem(tmp_path, PROVINCE, bootstrap=own_broker.bootstrap_servers)
    try:
        await system.start(progress=False)
        token = await system.issue_token("admin")
        await set_up(system, token, blocs=2)
        yield system, token
    finally:
        system.stop()


async def test_every_score_sent_is_seen_in_the_awards_read_model(province: tuple[LocalSystem, str]) -> None:
    system, token = province
    pipeline = Pipeline(system, token, blocs=2)
    first = await pipeline.step(rate=10, seconds=1.5)
    assert (first.sent, first.seen, first.failed) == (15, 15, 0), first.failures
    assert len(first.latencies) == 15
    assert all(0 < latency < 30 for latency in first.latencies)
    again = await pipeline.step(rate=10, seconds=1)
    assert (again.sent, again.seen, again.failed) == (10, 10, 0), "the units' later scores are told apart"
    assert "p99" in again.line()
    assert "sent     10 seen     10" in again.line()


def test_a_rate_not_kept_is_not_sustained_and_the_summary_says_so() -> None:
    kept = Step(rate=100, seconds=1, sent=100, seen=100, latencies=[0.05] * 100, sending_took=1.0)
    late = Step(rate=200, seconds=1, sent=120, seen=120, latencies=[0.05] * 120, sending_took=1.0)
    lost = Step(rate=50, seconds=1, sent=50, seen=49, latencies=[0.05] * 49, sending_took=1.0)
    assert kept.sustained
    assert not late.sustained
    assert not lost.sustained
    assert lost.percentile(0.99) == float("inf"), "a command never seen counts as endless"
    assert summary([lost, kept, late]) == "pipeline: p99 at 100 commands/s 50 ms; highest sustained rate 100 commands/s"
