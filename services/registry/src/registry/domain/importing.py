"""Bulk import of a province's blocs and units from the table provinces keep (CSV or XLSX).

One row per unit; a unit that belongs to a bloc names the bloc and the date it joined:

    unit_id, unit_name, unit_short_name, unit_kind, parent_unit_id, unit_emails (";" between addresses),
    bloc_id, bloc_name, bloc_kind, bloc_decision_ref, joined_on, membership_decision_ref

Reading checks every row on its own and the rows against each other; the result is a plan of what
to register (or a list of problems, each naming its row). Applying the plan skips what the registry
already has in the same form, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from thidua_contracts.registry import BlocKind, UnitKind
from thidua_shared.commands import EMAIL_FORM
from thidua_shared.errors import Invalid

COLUMNS = ("unit_id", "unit_name", "unit_short_name", "unit_kind", "parent_unit_id", "unit_emails", "bloc_id",
           "bloc_name", "bloc_kind", "bloc_decision_ref", "joined_on", "membership_decision_ref")
EMAIL = re.compile(EMAIL_FORM)
REQUIRED = ("unit_id", "unit_name")
IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
UNIT_KINDS: tuple[str, ...] = get_args(UnitKind)
MAX_LENGTHS = {"unit_name": 300, "unit_short_name": 100, "bloc_name": 300, "bloc_decision_ref": 200,
               "membership_decision_ref": 200}
"""The longest text each column may hold (as when a unit or bloc is registered one by one)."""
SHOWN_VALUE = 80
"""How much of a bad cell a problem quotes: enough to find it, never the whole of a huge cell."""
BLOC_KINDS: tuple[str, ...] = get_args(BlocKind)
HEADINGS_VI = {
    "unit_id": "Mã đơn vị", "unit_name": "Tên đơn vị", "unit_short_name": "Tên viết tắt",
    "unit_kind": "Loại đơn vị", "parent_unit_id": "Mã đơn vị cấp trên", "unit_emails": "Thư điện tử",
    "bloc_id": "Mã khối", "bloc_name": "Tên khối, cụm", "bloc_kind": "Khối hay cụm",
    "bloc_decision_ref": "Quyết định thành lập khối", "joined_on": "Ngày tham gia",
    "membership_decision_ref": "Quyết định kết nạp",
}
"""The columns as the template heads them for people; a file may head them either way."""
UNIT_KIND_NAMES = {
    "party_board": "Ban, cơ quan của Đảng", "party_committee": "Đảng ủy", "state_agency": "Cơ quan nhà nước",
    "enterprise": "Doanh nghiệp", "commune": "Xã, phường, thị trấn", "other": "Khác",
}
BLOC_KIND_NAMES = {"khoi": "Khối", "cum": "Cụm"}


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


_COLUMN_OF = {**{_folded(column): column for column in COLUMNS},
              **{_folded(heading): column for column, heading in HEADINGS_VI.items()}}
_UNIT_KIND_OF = {**{_folded(kind): kind for kind in UNIT_KINDS},
                 **{_folded(name): kind for kind, name in UNIT_KIND_NAMES.items()}}
_BLOC_KIND_OF = {**{_folded(kind): kind for kind in BLOC_KINDS},
                 **{_folded(name): kind for kind, name in BLOC_KIND_NAMES.items()}}
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def column_of(heading: str) -> str:
    """The column a heading names: its code (``unit_id``) or its Vietnamese heading (``Mã đơn vị``)."""
    return _COLUMN_OF.get(_folded(heading), heading)


def _day(text: str) -> date:
    """A day written as people write it (dd/mm/yyyy) or as ISO 8601 (yyyy-mm-dd)."""
    matched = DAY_MONTH_YEAR.fullmatch(text)
    if matched:
        return date(int(matched.group(3)), int(matched.group(2)), int(matched.group(1)))
    return date.fromisoformat(text)


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row (``row`` counts the header as row 1, as a spreadsheet does)."""

    row: int
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitRow:
    unit_id: str
    name: str
    short_name: str
    kind: UnitKind
    parent_unit_id: str | None
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class BlocRow:
    bloc_id: str
    name: str
    kind: BlocKind
    decision_ref: str


@dataclass(frozen=True)
class MembershipRow:
    bloc_id: str
    unit_id: str
    joined_on: date
    decision_ref: str


@dataclass
class ImportPlan:
    units: list[UnitRow] = field(default_factory=list)
    blocs: list[BlocRow] = field(default_factory=list)
    memberships: list[MembershipRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    """The file row of each unit, to name it in problems found while applying the plan."""
    bloc_rows: dict[str, int] = field(default_factory=dict)
    """The first file row of each bloc."""


def _cell(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _shown(value: Any) -> Any:
    if isinstance(value, str) and len(value) > SHOWN_VALUE:
        return value[:SHOWN_VALUE] + "…"
    return value


def read_rows(rows: Iterable[Mapping[str, Any]], header: Iterable[str]) -> ImportPlan:
    """The plan for ``rows`` (dicts by column name, in file order), or its problems."""
    plan = ImportPlan()
    header = [column_of(str(heading)) for heading in header]
    rows = ({column_of(str(heading)): value for heading, value in row.items()} for row in rows)
    missing = [column for column in REQUIRED if column not in set(header)]
    if missing:
        plan.problems.append(Problem(1, "import.missing_columns", {"columns": ", ".join(missing),
                                                                    "expected": ", ".join(COLUMNS)}))
        return plan
    blocs: dict[str, tuple[BlocRow, int]] = {}
    kinds_joined: dict[tuple[str, str], str] = {}
    for number, row in enumerate(rows, start=2):
        if not any(_cell(row, column) for column in COLUMNS):
            continue
        _read_row(number, row, plan, blocs, kinds_joined)
    plan.blocs = [bloc for bloc, _ in blocs.values()]
    plan.bloc_rows = {bloc_id: number for bloc_id, (_, number) in blocs.items()}
    return plan


def _read_row(number: int, row: Mapping[str, Any], plan: ImportPlan, blocs: dict[str, tuple[BlocRow, int]],
              kinds_joined: dict[tuple[str, str], str]) -> None:
    def problem(code: str, **params: Any) -> None:
        plan.problems.append(Problem(number, code, {key: _shown(value) for key, value in params.items()}))

    too_long = next((column for column, limit in MAX_LENGTHS.items() if len(_cell(row, column)) > limit), None)
    if too_long is not None:
        return problem("import.too_long", column=too_long, limit=MAX_LENGTHS[too_long],
                       length=len(_cell(row, too_long)))
    unit_id, name = _cell(row, "unit_id"), _cell(row, "unit_name")
    kind = _UNIT_KIND_OF.get(_folded(_cell(row, "unit_kind") or "other"), _cell(row, "unit_kind"))
    parent = _cell(row, "parent_unit_id") or None
    if not IDENTIFIER.fullmatch(unit_id):
        return problem("import.bad_identifier", column="unit_id", value=unit_id)
    if not name:
        return problem("import.required", column="unit_name")
    if kind not in UNIT_KINDS:
        return problem("import.bad_choice", column="unit_kind", value=kind, choices="; ".join(UNIT_KIND_NAMES.values()))
    if parent is not None and not IDENTIFIER.fullmatch(parent):
        return problem("import.bad_identifier", column="parent_unit_id", value=parent)
    emails = tuple(sorted({part.strip() for part in _cell(row, "unit_emails").split(";") if part.strip()}))
    bad_email = next((email for email in emails if not EMAIL.fullmatch(email)), None)
    if bad_email is not None:
        return problem("import.bad_email", column="unit_emails", value=bad_email)
    unit = UnitRow(unit_id, name, _cell(row, "unit_short_name") or name, kind,  # type: ignore[arg-type]
                   parent, emails)
    if unit_id in plan.rows:
        first = plan.rows[unit_id]
        if next(known for known in plan.units if known.unit_id == unit_id) != unit:
            return problem("import.unit_differs", unit_id=unit_id, first_row=first)
    else:
        plan.rows[unit_id] = number
        plan.units.append(unit)
    bloc_id = _cell(row, "bloc_id")
    if not bloc_id:
        return None
    if not IDENTIFIER.fullmatch(bloc_id):
        return problem("import.bad_identifier", column="bloc_id", value=bloc_id)
    bloc_kind = _BLOC_KIND_OF.get(_folded(_cell(row, "bloc_kind")), _cell(row, "bloc_kind"))
    bloc = BlocRow(bloc_id, _cell(row, "bloc_name"), bloc_kind,  # type: ignore[arg-type]
                   _cell(row, "bloc_decision_ref"))
    if bloc.kind not in BLOC_KINDS:
        return problem("import.bad_choice", column="bloc_kind", value=bloc.kind,
                       choices="; ".join(BLOC_KIND_NAMES.values()))
    if not bloc.name or not bloc.decision_ref:
        return problem("import.required", column="bloc_name, bloc_decision_ref")
    known = blocs.setdefault(bloc_id, (bloc, number))
    if known[0] != bloc:
        return problem("import.bloc_differs", bloc_id=bloc_id, first_row=known[1])
    try:
        joined_on = _day(_cell(row, "joined_on"))
    except ValueError:
        return problem("import.bad_date", column="joined_on", value=_cell(row, "joined_on"))
    other = kinds_joined.setdefault((unit_id, bloc.kind), bloc_id)
    if other != bloc_id:
        return problem("bloc.one_of_a_kind", unit_id=unit_id, other_bloc_id=other, kind=bloc.kind)
    plan.memberships.append(MembershipRow(bloc_id, unit_id, joined_on,
                                          _cell(row, "membership_decision_ref") or bloc.decision_ref))
    return None


class ImportRejected(Invalid):
    """The file has problems: nothing was imported. Each problem names its row and what to fix; the answer
    lists the first ``listed_at_most`` of them and counts them all."""

    def __init__(self, problems: list[Problem], listed_at_most: int | None = None) -> None:
        listed = problems if listed_at_most is None else problems[:listed_at_most]
        super().__init__("import.rejected" if len(listed) == len(problems) else "import.rejected_listing_first",
                         count=len(problems), listed=len(listed), problems=[
                             {"row": problem.row, "code": problem.code, "params": dict(problem.params)}
                             for problem in listed])
        self.problems = problems
