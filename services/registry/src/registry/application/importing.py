"""Apply an import plan: all of it, or nothing and every problem named.

Deciding reads the registry in short transactions and writes nothing; only then one transaction records
what was decided, if nothing it read has changed since deciding began: the events recorded meanwhile
touch neither its streams nor its units (else it decides again). Other writers wait for that short
transaction only, not for the whole file to be checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import structlog

from registry.application.handlers import lock_units
from registry.application.unit_of_work import RegistryUnitOfWork
from registry.domain.bloc import Bloc, bloc_stream
from registry.domain.importing import ImportPlan, ImportRejected, Problem, UnitRow
from registry.domain.unit import Unit, unit_stream
from thidua_contracts import EventPayload
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, UserError
from thidua_shared.store import StoredEvent

log = structlog.get_logger(__name__)
ATTEMPTS = 3
RECHECKED_AT_MOST = 10_000
"""Past this many events recorded while deciding, the plan is decided again rather than checked against them."""


class RegistrySnapshot(Protocol):
    """Reads for deciding an import, each in a short transaction of its own (none is held between them)."""

    async def log_position(self) -> int:
        """The position of the newest event in the registry's log."""

    async def histories(self, stream_ids: Sequence[str]) -> dict[str, list[EventPayload]]:
        """The events of each stream named (an empty list for a stream with none)."""

    async def current_blocs(self, province: str,
                            unit_ids: Sequence[str]) -> dict[str, list[tuple[str, str, date | None]]]:
        """Per unit: the (bloc_id, kind, left_on) of each of its memberships, from the read model."""


def _parents_first(plan: ImportPlan) -> list[UnitRow]:
    """The file's units with every parent before its children (a cycle keeps file order)."""
    by_id = {unit.unit_id: unit for unit in plan.units}
    ordered: list[UnitRow] = []
    placed: set[str] = set()

    def place(unit: UnitRow, trail: frozenset[str]) -> None:
        if unit.unit_id in placed or unit.unit_id in trail:
            return
        parent = by_id.get(unit.parent_unit_id or "")
        if parent is not None:
            place(parent, trail | {unit.unit_id})
        placed.add(unit.unit_id)
        ordered.append(unit)

    for unit in plan.units:
        place(unit, frozenset())
    return ordered


@dataclass(frozen=True)
class ImportResult:
    recorded: list[StoredEvent]
    unchanged: int
    """Rows' units, blocs and memberships the registry already had in the same form."""


@dataclass
class Decided:
    """What the file adds to the registry as it was at ``log_position``: the aggregates it changes, each
    with its new events pending, in the order first changed (units parents first, then blocs)."""

    log_position: int
    read_streams: set[str] = field(default_factory=set)
    unit_ids: set[str] = field(default_factory=set)
    changed: dict[str, Unit | Bloc] = field(default_factory=dict)
    """By stream, in the order first changed."""
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0

    def changes(self, aggregate: Unit | Bloc) -> None:
        if aggregate.pending:
            self.changed.setdefault(aggregate.stream_id, aggregate)

    def still_holds_after(self, recorded_meanwhile: list[StoredEvent]) -> bool:
        """None of the events recorded since ``log_position`` is on a stream the plan read, nor names one of
        its units (a membership elsewhere, a merger): what was decided still holds."""
        for event in recorded_meanwhile:
            payload = event.typed()
            named = {getattr(payload, "unit_id", None), *getattr(payload, "from_unit_ids", ())}
            if event.stream_id in self.read_streams or named & self.unit_ids:
                return False
        return True


async def decide(plan: ImportPlan, province: str, snapshot: RegistrySnapshot) -> Decided:
    """The events the plan adds, checked against the registry as ``snapshot`` reads it; nothing written."""
    unit_ids = sorted({row.unit_id for row in plan.units} | {row.parent_unit_id for row in plan.units
                                                             if row.parent_unit_id})
    bloc_ids = sorted({row.bloc_id for row in plan.blocs} | {row.bloc_id for row in plan.memberships})
    streams = [unit_stream(province, unit_id) for unit_id in unit_ids] + [bloc_stream(province, bloc_id)
                                                                          for bloc_id in bloc_ids]
    decided = Decided(await snapshot.log_position(), set(streams), set(unit_ids))
    histories = await snapshot.histories(streams)
    units = {unit_id: Unit(province, unit_id).replay(histories[unit_stream(province, unit_id)])
             for unit_id in unit_ids}
    blocs = {bloc_id: Bloc(province, bloc_id).replay(histories[bloc_stream(province, bloc_id)])
             for bloc_id in bloc_ids}
    for row in _parents_first(plan):
        _decide_unit(row, plan, units, decided)
    for bloc_row in plan.blocs:
        bloc = blocs[bloc_row.bloc_id]
        if bloc.exists:
            registered = {"bloc_name": bloc.name, "bloc_kind": bloc.kind, "bloc_decision_ref": bloc.decision_ref}
            in_file = {"bloc_name": bloc_row.name, "bloc_kind": bloc_row.kind,
                       "bloc_decision_ref": bloc_row.decision_ref}
            differ = [column for column in registered if registered[column] != in_file[column]]
            if differ:
                decided.problems.append(Problem(plan.bloc_rows.get(bloc_row.bloc_id, 1),
                                                "import.bloc_registered_differently",
                                                {"bloc_id": bloc_row.bloc_id, "columns": ", ".join(differ)}))
            decided.unchanged += 1
            continue
        bloc.establish(bloc_row.name, bloc_row.kind, bloc_row.decision_ref)
        decided.changes(bloc)
    current = await snapshot.current_blocs(province, sorted({m.unit_id for m in plan.memberships}))
    for membership in plan.memberships:
        bloc = blocs[membership.bloc_id]
        if any(m.unit_id == membership.unit_id and m.joined_on == membership.joined_on for m in bloc.memberships):
            decided.unchanged += 1
            continue
        other = next((bloc_id for bloc_id, kind, left_on in current.get(membership.unit_id, [])
                      if kind == bloc.kind and bloc_id != bloc.bloc_id
                      and (left_on is None or left_on > membership.joined_on)), None)
        try:
            bloc.admit(units[membership.unit_id], membership.joined_on, membership.decision_ref, other)
        except UserError as error:
            decided.problems.append(Problem(plan.rows[membership.unit_id], error.code, error.params))
            continue
        decided.changes(bloc)
    return decided


def _decide_unit(row: UnitRow, plan: ImportPlan, units: dict[str, Unit], decided: Decided) -> None:
    unit = units[row.unit_id]
    if unit.exists:
        registered = {"unit_name": unit.name, "unit_kind": unit.kind, "parent_unit_id": unit.parent_unit_id,
                      "unit_emails": sorted(unit.emails)}
        in_file = {"unit_name": row.name, "unit_kind": row.kind, "parent_unit_id": row.parent_unit_id,
                   "unit_emails": sorted(row.emails)}
        differ = [column for column in registered if registered[column] != in_file[column]]
        if differ:
            decided.problems.append(Problem(plan.rows[row.unit_id], "import.unit_registered_differently",
                                            {"unit_id": row.unit_id, "columns": ", ".join(differ)}))
        decided.unchanged += 1
        return
    parent = units[row.parent_unit_id] if row.parent_unit_id else None
    try:
        unit.register(row.name, row.short_name, row.kind, parent, list(row.emails))
    except UserError as error:
        decided.problems.append(Problem(plan.rows[row.unit_id], error.code, error.params))
        return
    decided.changes(unit)


async def preview_import(plan: ImportPlan, province: str, snapshot: RegistrySnapshot,
                         listed_at_most: int | None = None) -> Decided:
    """What recording the plan would do now, or its problems refused as the import refuses them; nothing is
    written (the aggregates' pending events are what an import would record)."""
    if plan.problems:
        raise ImportRejected(plan.problems, listed_at_most)
    decided = await decide(plan, province, snapshot)
    if decided.problems:
        raise ImportRejected(decided.problems, listed_at_most)
    return decided


UnitOfWorkFactory = Callable[[], AbstractAsyncContextManager[RegistryUnitOfWork]]


async def import_registry(plan: ImportPlan, context: CommandContext, snapshot: RegistrySnapshot,
                          unit_of_work: UnitOfWorkFactory, listed_at_most: int | None = None) -> ImportResult:
    """Record the plan in one transaction, or nothing: problems of the file or against the registry are
    refused (the first ``listed_at_most`` named). If the registry changes while the plan is being decided,
    it is decided again (``ATTEMPTS`` times, then refused as busy)."""
    if plan.problems:
        raise ImportRejected(plan.problems, listed_at_most)
    for attempt in range(1, ATTEMPTS + 1):
        started = time.perf_counter()
        decided = await decide(plan, context.province, snapshot)
        if decided.problems:
            raise ImportRejected(decided.problems, listed_at_most)
        writing = time.perf_counter()
        async with unit_of_work() as uow:
            # Admissions of these units elsewhere wait for this transaction, and what they recorded before it
            # is seen below: the plan's memberships are decided against every one of them.
            await lock_units(uow, *sorted({m.unit_id for m in plan.memberships}))
            head = (await uow.events.head())[0]
            if head != decided.log_position and (
                    head - decided.log_position > RECHECKED_AT_MOST
                    or not decided.still_holds_after(await uow.events.read_log(decided.log_position,
                                                                               head - decided.log_position))):
                log.info("import.decided_again", attempt=attempt, recorded_meanwhile=head - decided.log_position)
                continue
            recorded = await uow.save(*decided.changed.values())
            await uow.commit()
        log.info("import.recorded", events=len(recorded), unchanged=decided.unchanged, attempt=attempt,
                 deciding_ms=round((writing - started) * 1000),
                 writing_ms=round((time.perf_counter() - writing) * 1000))
        return ImportResult(recorded, decided.unchanged)
    raise Conflict("import.busy", attempts=ATTEMPTS)
