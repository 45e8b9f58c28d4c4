"""The scale benchmark's province (``python -m bench --scale``), small, on SQLite: what its commands record is
what the services' projections rebuild, and what an auditor verifies."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from awards.adapters.tables import proposals
from bench.province import ProvinceShape
from bench.scale import SOURCES
from bench.scale_phases import (
    SERVICES,
    ChainBroken,
    ReplayMismatch,
    feed_phase,
    generate,
    replay,
    verify_audit,
    verify_store,
)
from bench.scale_queries import ImplausibleAnswer, measure
from registry.adapters.tables import memberships
from thidua_contracts.envelope import Source
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events

SHAPE = ProvinceShape(blocs=2, units_per_bloc=5, criteria=4, years=2)


def sqlite_urls(folder: Path) -> dict[Source, str]:
    return {source: f"sqlite+aiosqlite:///{folder / f'{source}.db'}" for source in SOURCES}


async def test_a_small_province_replays_into_the_read_models_its_history_describes(tmp_path: Path) -> None:
    urls = sqlite_urls(tmp_path)
    generated = await generate(SHAPE, urls)
    assert {result.service: result.events for result in generated} == {
        "registry": 1 + 2 * (1 + 2 * 5) + 2 * 2 * 4 - 2, "scoring": 2 * 2 * (2 + 25 + 5 + 1),
        "awards": 2 * 2 * (2 * 7 + 9) + 2 * 5 * 2}
    replayed = {source: await replay(source, urls[source]) for source in SOURCES}
    assert replayed["registry"].rows == {
        "units": 10, "blocs": 2, "memberships": 10, "leadership": 8, "provinces": 1, "supervisors": 4,
        "handovers": 2, "lineage": 0, "province_lineage": 0, "accounts": 0}
    assert {name: replayed["scoring"].rows[name] for name in ("scores", "scoring_tables", "assessments", "rankings")} \
        == {"scores": 20, "scoring_tables": 4, "assessments": 100, "rankings": 4}
    assert {name: replayed["awards"].rows[name] for name in ("proposals", "votes", "standings")} \
        == {"proposals": 12, "votes": 8, "standings": 20}
    assert {source: result.rows for source, result in replayed.items()} == SHAPE.expected_rows()
    engine = create_engine(urls["awards"])
    try:
        async with engine.connect() as connection:
            decided = await connection.scalar(select(func.count()).select_from(proposals)
                                              .where(proposals.c.state == "decided"))
    finally:
        await engine.dispose()
    assert decided == 12


async def test_a_replay_that_rebuilds_other_rows_than_the_commands_left_is_refused(tmp_path: Path) -> None:
    urls = sqlite_urls(tmp_path)
    await generate(SHAPE, urls)
    engine = create_engine(urls["registry"])
    try:
        async with engine.begin() as connection:
            await connection.execute(delete(memberships).where(memberships.c.unit_id == "u-000-01"))
    finally:
        await engine.dispose()
    with pytest.raises(ReplayMismatch, match="memberships"):
        await replay("registry", urls["registry"])


async def test_the_verification_passes_the_whole_log_and_names_an_altered_event(tmp_path: Path) -> None:
    urls = sqlite_urls(tmp_path)
    await generate(SHAPE, urls)
    audit, store = await verify_audit("scoring", urls["scoring"]), await verify_store("scoring", urls["scoring"])
    assert (audit.phase, audit.events, store.phase, store.events) == ("verify-audit", 132, "verify-store", 132)
    engine = create_engine(urls["scoring"])
    try:
        async with engine.begin() as connection:
            await connection.execute(update(events).where(events.c.position == 40)
                                     .values(body=func.replace(events.c.body, "C01", "C09")))
    finally:
        await engine.dispose()
    with pytest.raises(ChainBroken, match="the first at position 40: altered"):
        await verify_audit("scoring", urls["scoring"])
    with pytest.raises(ChainBroken, match="the first at position 40: altered"):
        await verify_store("scoring", urls["scoring"])


async def test_the_main_read_queries_answer_from_the_replayed_and_fed_read_models(tmp_path: Path) -> None:
    urls = sqlite_urls(tmp_path)
    await generate(SHAPE, urls)
    fed = {source: await feed_phase(source, urls) for source in ("scoring", "awards")}
    assert (fed["scoring"].events, fed["awards"].events) == (37, 37 + 132)  # registry; registry and scoring
    assert (fed["scoring"].rows["members"], fed["awards"].rows["scores"], fed["awards"].rows["units"]) == (10, 20, 10)
    timings = await measure(SERVICES, urls, SHAPE, requests=8)
    assert [(timing.query, timing.service, timing.requests) for timing in timings] == [
        ("scoreboard", "scoring", 8), ("proposals board", "awards", 8), ("explanation", "awards", 8),
        ("unit history", "registry", 8)]
    assert all(0 < timing.p50_ms <= timing.p95_ms <= timing.p99_ms <= timing.max_ms for timing in timings)


async def test_an_implausible_answer_stops_the_queries(tmp_path: Path) -> None:
    urls = sqlite_urls(tmp_path)
    await generate(SHAPE, urls)
    with pytest.raises(ImplausibleAnswer, match=r"scoreboard: .* 0 members"):
        await measure(SERVICES, urls, SHAPE, requests=2)
