"""The day a command says its act happened: today in the province, or a past day, never a future one."""

from __future__ import annotations

from datetime import date

from scoring.application.unit_of_work import ScoringUnitOfWork
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid

STAFF = ("admin", "bloc_secretary")


def past_day(day: date | None, uow: ScoringUnitOfWork) -> date:
    """``day``, or today when none is given; refused when it is after today."""
    today = uow.today()
    if day is None:
        return today
    if day > today:
        raise Invalid("date.in_future", on=day.isoformat(), today=today.isoformat())
    return day


def submitted_on(day: date | None, context: CommandContext, uow: ScoringUnitOfWork) -> date:
    """The day a submission was made: today, or a past day that the province's or the bloc's staff record
    (the 2023 review entered in 2026); that day, not today, must fall inside the window."""
    if day is not None and day != uow.today() and context.actor.role not in STAFF:
        raise Conflict("date.past_by_staff_only", on=day.isoformat(), today=uow.today().isoformat())
    return past_day(day, uow)
