"""The work both stores do: the same units, names and dates, made once before any timing starts."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("party_board", "party_committee", "state_agency", "enterprise", "commune", "other")


@dataclass(frozen=True, slots=True)
class Unit:
    """One aggregate: registered once, then renamed ``len(renames)`` times."""

    unit_id: str
    name: str
    short_name: str
    kind: str
    parent_unit_id: str | None
    renames: tuple[tuple[str, date], ...]


@dataclass(frozen=True, slots=True)
class Workload:
    units: tuple[Unit, ...]
    events_per_aggregate: int

    @property
    def total_events(self) -> int:
        return len(self.units) * self.events_per_aggregate


def make_workload(aggregates: int, events_per_aggregate: int, seed: int = 7) -> Workload:
    """``aggregates`` units of ``events_per_aggregate`` events each (one registration, then renames)."""
    if aggregates < 1 or events_per_aggregate < 1:
        raise ValueError("need at least one aggregate of at least one event")
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    units = []
    for number in range(aggregates):
        base = f"Sở Nội vụ tỉnh số {number:05d}"
        renames = tuple(
            (f"{base} (đổi tên lần {step + 1}, {rng.randrange(10**6):06d})",
             start + timedelta(days=rng.randrange(700)))
            for step in range(events_per_aggregate - 1)
        )
        units.append(Unit(
            unit_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            name=base,
            short_name=f"SNV-{number:05d}",
            kind=KINDS[number % len(KINDS)],
            parent_unit_id=None,
            renames=renames,
        ))
    return Workload(units=tuple(units), events_per_aggregate=events_per_aggregate)


def expected_read_model(workload: Workload) -> dict[str, tuple[str, int]]:
    """What a correct replay leaves in the read model: unit id → (latest name, event count)."""
    return {
        unit.unit_id: (unit.renames[-1][0] if unit.renames else unit.name, 1 + len(unit.renames))
        for unit in workload.units
    }
