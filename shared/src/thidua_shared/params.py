"""Bounded path and query parameters, so that no route hands an unchecked value to its database."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query

from thidua_shared.commands import FIRST_DAY, FIRST_YEAR, IDENTIFIER_FORM, LAST_DAY, LAST_YEAR

IdPath = Annotated[str, Path(pattern=IDENTIFIER_FORM, max_length=100,
                             description="lower-case letters, digits and hyphens")]
YearPath = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="e.g. 2025")]
IdQuery = Annotated[str, Query(pattern=IDENTIFIER_FORM, max_length=100)]
YearQuery = Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="e.g. 2025")]
DayQuery = Annotated[date, Query(ge=FIRST_DAY, le=LAST_DAY, description="YYYY-MM-DD")]
