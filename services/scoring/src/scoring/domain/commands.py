from __future__ import annotations

from typing import Annotated

from pydantic import Field

from thidua_shared.commands import Command, Identifier, Year

CriterionCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,30}$")]
Points = Annotated[float, Field(ge=-1000, le=1000)]


class RecordScore(Command):
    """Record a unit's final score for a bloc-year, criterion by criterion."""

    bloc_id: Identifier
    year: Year
    unit_id: Identifier
    breakdown: dict[CriterionCode, Points] = Field(max_length=200)
    method: str = Field(default="secretariat", max_length=50)
