from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RecordScore(BaseModel):
    """Record a unit's final score for a bloc-year, criterion by criterion."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bloc_id: str
    year: int = Field(ge=2000, le=2100)
    unit_id: str
    breakdown: dict[str, float]
    method: str = Field(default="secretariat", max_length=50)
