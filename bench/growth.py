"""Cost as the log grows: the append rate near 10^4, 10^5 and 10^6 stored events, and the replay's seconds
per event over the first 10^4, 10^5 and 10^6 (``python -m bench --scale``, after the province).

The log is filled as commands fill it: one aggregate of ten events per transaction through the unit of
work (:func:`bench.ours.payloads_of`), timed in blocks of 10^4 events; the append rate "at" a milestone is
that of the block that ends there. The replay reads the whole log through ``read_log`` into the read-model
table of :mod:`bench.readmodel`, one transaction per page, and notes the time as it passes each milestone:
a replay that stays linear spends the same seconds per event over the first 10^4 as over the first 10^6.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from bench import ours, readmodel
from bench.report import Progress, say, say_table
from bench.workload import make_workload
from thidua_shared.projection import Projection
from thidua_shared.store import LogHead, NewEvents, SqlEventStore
from thidua_shared.unit_of_work import SqlUnitOfWork

BLOCK = 10_000
EVENTS_PER_AGGREGATE = 10


def milestones(total: int, block: int = BLOCK) -> list[int]:
    """10^4 (``block``), 10^5, … up to ``total`` (which is one of them when it is a power of ten)."""
    found, at = [], block
    while at <= total:
        found.append(at)
        at *= 10
    return found


@dataclass
class Growth:
    backend: str
    events: int
    block: int = BLOCK
    """The first milestone and the size of the timed blocks (a power of ten; smaller in the tests)."""
    append_rate: dict[int, float] = field(default_factory=dict)
    """Events per second of the block of appends that ends at each milestone."""
    replay_seconds_per_event: dict[int, float] = field(default_factory=dict)
    """Seconds per event of the replay from the start up to each milestone."""
    read_seconds_per_event: dict[int, float] = field(default_factory=dict)
    """The same for reading the log alone (``read_log`` pages, each event typed, nothing written): what the replay
    costs apart from its read model, whose table grows with the log (one row per unit, random keys)."""

    def ratio_append(self) -> float | None:
        return _last_over_first(self.append_rate)

    def ratio_replay(self) -> float | None:
        return _last_over_first(self.replay_seconds_per_event)

    def ratio_read(self) -> float | None:
        return _last_over_first(self.read_seconds_per_event)


def _last_over_first(by_mark: dict[int, float]) -> float | None:
    marks = sorted(by_mark)
    return by_mark[marks[-1]] / by_mark[marks[0]] if len(marks) > 1 else None


async def fill(url: str, total: int, growth: Growth) -> None:
    engine = await ours.open_store(url)
    workload = make_workload(total // EVENTS_PER_AGGREGATE, EVENTS_PER_AGGREGATE)
    wanted = set(milestones(total, growth.block))
    project, head = Projection(), LogHead()
    progress = Progress(f"{growth.backend} append", workload.total_events, every=5.0)
    try:
        block_began = time.perf_counter()
        for unit in workload.units:
            batch = NewEvents(province=ours.PROVINCE, stream_id=f"unit-{unit.unit_id}", expected_version=0,
                              payloads=ours.payloads_of(unit), actor=ours.ACTOR, correlation_id=unit.unit_id)
            async with SqlUnitOfWork(engine, "registry", project, head_hint=head) as uow:
                await uow.record(batch)
                await uow.commit()
            progress.add(len(batch.payloads))
            if progress.done % growth.block == 0:
                now = time.perf_counter()
                if progress.done in wanted:
                    growth.append_rate[progress.done] = growth.block / (now - block_began)
                block_began = now
    finally:
        await engine.dispose()


def per_event_at_milestones(growth: Growth, into: dict[int, float]) -> Callable[[int, float], None]:
    """What hears, as a read goes on, the position reached and the seconds since its start, and keeps the seconds
    per event ``into`` each milestone passed."""
    wanted = milestones(growth.events, growth.block)

    def passed(position: int, seconds: float) -> None:
        while wanted and position >= wanted[0]:
            into[wanted.pop(0)] = seconds / position

    return passed


async def replay(url: str, growth: Growth) -> None:
    engine = await ours.open_store(url)
    try:
        await ours.prepare_read_model(engine)
        await ours.replay_read_log(engine, Progress(f"{growth.backend} replay", growth.events, every=5.0),
                                   per_event_at_milestones(growth, growth.replay_seconds_per_event))
        await read_alone(engine, growth)
    finally:
        await engine.dispose()


async def read_alone(engine: AsyncEngine, growth: Growth) -> None:
    """The log read as the replay reads it, page by page and each event typed, with no read model written."""
    passed = per_event_at_milestones(growth, growth.read_seconds_per_event)
    progress = Progress(f"{growth.backend} read alone", growth.events, every=5.0)
    started, after = time.perf_counter(), 0
    while True:
        async with engine.connect() as connection:
            page = await SqlEventStore(connection, "registry").read_log(after, readmodel.PAGE_SIZE)
        if not page:
            return
        for event in page:
            event.typed()
        after = page[-1].position
        progress.add(len(page))
        passed(after, time.perf_counter() - started)


def measure(backend: str, url: str, total: int) -> Growth:
    growth = Growth(backend, total)
    say(f"[{backend}] growth: {total:,} events appended, one aggregate of {EVENTS_PER_AGGREGATE} per transaction, "
        "then replayed into a read model")
    asyncio.run(fill(url, total, growth))
    asyncio.run(replay(url, growth))
    return growth


def table(growths: list[Growth]) -> None:
    def shown(value: float | None, form: str) -> str:
        return "n/a" if value is None else format(value, form)

    say_table([("backend", "<9"), ("events", ">10,"), ("append ev/s", ">12"), ("replay µs/event", ">16"),
               ("read alone µs/event", ">20")],
              [(growth.backend, mark, shown(growth.append_rate.get(mark), ",.0f"),
                shown(_micro(growth.replay_seconds_per_event.get(mark)), ".2f"),
                shown(_micro(growth.read_seconds_per_event.get(mark)), ".2f"))
               for growth in growths for mark in milestones(growth.events, growth.block)])
    reads = ", ".join(f"{growth.backend} {'n/a' if growth.ratio_read() is None else f'{growth.ratio_read():.2f}'}"
                      for growth in growths)
    say(f"  the log read alone, s/event at the last milestone over the first: {reads} (the rest of the replay is its "
        "read model's table, one row per unit under a random key, growing with the log)")


def _micro(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1e6


def summary(growths: list[Growth]) -> str:
    """``scale: append at 10^6 events is F of its rate at 10^4; replay s/event at 10^6 is G of its value at
    10^4`` (per backend when there are several)."""
    if not growths:
        return "scale: growth not measured"
    top = max(milestones(growths[0].events, growths[0].block))
    power, first = f"10^{len(str(top)) - 1}", f"10^{len(str(growths[0].block)) - 1}"

    def each(value: Growth, ratio: float | None) -> str:
        return f"{value.backend} {'n/a' if ratio is None else f'{ratio:.2f}'}"

    appends = ", ".join(each(growth, growth.ratio_append()) for growth in growths)
    replays = ", ".join(each(growth, growth.ratio_replay()) for growth in growths)
    return (f"scale: append at {power} events is {appends} of its rate at {first}; "
            f"replay s/event at {power} is {replays} of its value at {first}")
