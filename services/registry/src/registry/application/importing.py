"""Apply an import plan in one transaction: all of it, or nothing and every problem named."""

from __future__ import annotations

from dataclasses import dataclass

from registry.application.handlers import BlocsOfUnit, load_bloc, load_unit, lock_units, new_events
from registry.domain.bloc import bloc_stream
from registry.domain.importing import ImportPlan, ImportRejected, Problem, UnitRow
from registry.domain.unit import unit_stream
from thidua_shared.context import CommandContext
from thidua_shared.errors import UserError
from thidua_shared.store import StoredEvent
from thidua_shared.unit_of_work import UnitOfWork


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


async def import_registry(plan: ImportPlan, context: CommandContext, uow: UnitOfWork,
                          blocs_of_unit: BlocsOfUnit) -> ImportResult:
    problems = list(plan.problems)
    if problems:
        raise ImportRejected(problems)
    await lock_units(uow, context.province, *(membership.unit_id for membership in plan.memberships))
    recorded: list[StoredEvent] = []
    unchanged = 0
    for row in _parents_first(plan):
        unit = await load_unit(uow, context.province, row.unit_id)
        if unit.exists:
            registered = {"unit_name": unit.name, "unit_kind": unit.kind, "parent_unit_id": unit.parent_unit_id,
                          "unit_emails": sorted(unit.emails)}
            in_file = {"unit_name": row.name, "unit_kind": row.kind, "parent_unit_id": row.parent_unit_id,
                       "unit_emails": sorted(row.emails)}
            differ = [column for column in registered if registered[column] != in_file[column]]
            if differ:
                problems.append(Problem(plan.rows[row.unit_id], "import.unit_registered_differently",
                                        {"unit_id": row.unit_id, "columns": ", ".join(differ)}))
            unchanged += 1
            continue
        parent = await load_unit(uow, context.province, row.parent_unit_id) if row.parent_unit_id else None
        try:
            decided = unit.register(row.name, row.short_name, row.kind, parent, list(row.emails))
        except UserError as error:
            problems.append(Problem(plan.rows[row.unit_id], error.code, error.params))
            continue
        recorded += await uow.record(new_events(context, unit_stream(context.province, row.unit_id), 0, decided))
    for bloc_row in plan.blocs:
        bloc = await load_bloc(uow, context.province, bloc_row.bloc_id)
        if bloc.exists:
            registered = {"bloc_name": bloc.name, "bloc_kind": bloc.kind, "bloc_decision_ref": bloc.decision_ref}
            in_file = {"bloc_name": bloc_row.name, "bloc_kind": bloc_row.kind,
                       "bloc_decision_ref": bloc_row.decision_ref}
            differ = [column for column in registered if registered[column] != in_file[column]]
            if differ:
                problems.append(Problem(plan.bloc_rows.get(bloc_row.bloc_id, 1), "import.bloc_registered_differently",
                                        {"bloc_id": bloc_row.bloc_id, "columns": ", ".join(differ)}))
            unchanged += 1
            continue
        decided = bloc.establish(bloc_row.name, bloc_row.kind, bloc_row.decision_ref)
        recorded += await uow.record(new_events(context, bloc_stream(context.province, bloc.bloc_id), 0, decided))
    for membership in plan.memberships:
        bloc = await load_bloc(uow, context.province, membership.bloc_id)
        if any(m.unit_id == membership.unit_id and m.joined_on == membership.joined_on for m in bloc.memberships):
            unchanged += 1
            continue
        unit = await load_unit(uow, context.province, membership.unit_id)
        current = await blocs_of_unit(context.province, membership.unit_id, membership.joined_on)
        other = next((b for b, kind in current if kind == bloc.kind and b != bloc.bloc_id), None)
        try:
            decided = bloc.admit(unit, membership.joined_on, membership.decision_ref, other)
        except UserError as error:
            problems.append(Problem(plan.rows[membership.unit_id], error.code, error.params))
            continue
        recorded += await uow.record(new_events(context, bloc_stream(context.province, bloc.bloc_id),
                                            bloc.version, decided))
    if problems:
        raise ImportRejected(problems)
    await uow.commit()
    return ImportResult(recorded, unchanged)
