"""The growth measurement of ``python -m bench --scale`` (``bench/growth.py``), on SQLite: it stores every event it
says it appended, replays all of them into the read model they describe, and reports a figure at each milestone."""

from __future__ import annotations

from pathlib import Path

from bench import growth, ours
from bench.workload import expected_read_model, make_workload
from thidua_shared.store.audit import verify_log


async def test_growth_appends_and_replays_the_whole_log_with_a_figure_at_each_milestone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'growth.db'}"
    measured = growth.Growth("sqlite", 10_000, block=1_000)  # bench --scale: 10^4 … 10^6; the same code, smaller

    await growth.fill(url, measured.events, measured)
    await growth.replay(url, measured)

    assert sorted(measured.append_rate) == [1_000, 10_000]
    assert sorted(measured.replay_seconds_per_event) == [1_000, 10_000]
    assert sorted(measured.read_seconds_per_event) == [1_000, 10_000], "the log read alone reaches the end too"
    assert measured.ratio_read() is not None
    assert all(rate > 0 for rate in measured.append_rate.values())
    engine = await ours.open_store(url)
    try:
        assert await verify_log(engine) == (10_000, [])
        workload = make_workload(10_000 // growth.EVENTS_PER_AGGREGATE, growth.EVENTS_PER_AGGREGATE)
        assert await ours.read_model(engine) == expected_read_model(workload)
    finally:
        await engine.dispose()
    line = growth.summary([measured])
    assert line.startswith("scale: append at 10^4 events is sqlite ")
    assert "of its rate at 10^3; replay s/event at 10^4 is sqlite " in line
