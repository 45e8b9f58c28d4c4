from __future__ import annotations

from pydantic import Field

from thidua_shared.commands import Command, Identifier, Year


class ProposeAward(Command):
    """Propose a unit for an award form for a year, from its bloc or directly by the province."""

    proposal_id: Identifier
    unit_id: Identifier
    year: Year
    award_code: str = Field(pattern=r"^[A-Z_]{2,40}$", description="e.g. PROV_FLAG")
    bloc_id: Identifier | None = None
