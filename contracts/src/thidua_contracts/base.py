from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from thidua_contracts.envelope import Source

STRICT = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
"""Immutable, no unknown fields, no NaN or infinity (JSON cannot carry them: they would turn into
null in the log and make the event unreadable)."""


class ContractModel(BaseModel):
    """Base of the models nested in event payloads."""

    model_config = STRICT


class EventPayload(BaseModel):
    """Base of every event payload: immutable, strict about unknown fields.

    ``source`` names the service that owns the event; ``schema_version`` is the version this model
    describes. An event is named in the past tense after what happened.
    """

    model_config = STRICT

    source: ClassVar[Source]
    schema_version: ClassVar[int] = 1
    act_date: ClassVar[str | None] = None
    """The payload's field that dates the act in the world, when the event records a past act: a decision's
    day (``decided_on``), a meeting's (``held_on``), a dossier's receipt (``filed_on``), the day a change took
    effect (``effective_on``). The envelope's ``occurred_at`` is then the start of that day in Viet Nam."""

    @classmethod
    def event_type(cls) -> str:
        return cls.__name__

    def occurred_on(self) -> date | None:
        """The day the act happened in the world, if the event dates it (see ``act_date``)."""
        if self.act_date is None:
            return None
        day = getattr(self, self.act_date)
        return day if isinstance(day, date) else None


VIETNAM = timezone(timedelta(hours=7), "ICT")
"""Viet Nam's time (UTC+7 all year): the provinces' days begin and end by it."""


def start_of_day(day: date) -> datetime:
    """The moment a day of the provinces begins (an act known by its day only ``occurred_at`` then)."""
    return datetime.combine(day, time(), VIETNAM)
