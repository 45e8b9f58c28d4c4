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


class OpenHonoringVote(Command):
    """The bloc secretariat opens a vote on which members to propose for an award form."""

    vote_id: Identifier
    bloc_id: Identifier
    year: Year
    award_code: str = Field(pattern=r"^[A-Z_]{2,40}$")
    candidates: list[Identifier] = Field(min_length=1, max_length=50)
    threshold: float = Field(default=0.5, gt=0, le=1, description="share of the members' votes needed, e.g. 0.5")


class CastBallot(Command):
    vote_id: Identifier
    voter_unit_id: Identifier
    choices: list[Identifier] = Field(max_length=50, description="the candidates this unit votes for")


class CloseHonoringVote(Command):
    vote_id: Identifier
