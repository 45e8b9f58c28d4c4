from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ProposeAward(BaseModel):
    """Propose a unit for an award form for a year, from its bloc or directly by the province."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    proposal_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")
    unit_id: str
    year: int = Field(ge=2000, le=2100)
    award_code: str
    bloc_id: str | None = None
