"""An award proposal: from a bloc (with its basis) or from the province, to a decision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from awards.domain.rulebook import in_force
from thidua_shared.contracts import EventPayload
from thidua_shared.contracts.awards import AwardProposed, ProposalBasis
from thidua_shared.errors import Conflict, Invalid, NotFound


def proposal_stream(province: str, proposal_id: str) -> str:
    return f"proposal:{province}:{proposal_id}"


@dataclass
class Proposal:
    proposal_id: str
    version: int = 0
    state: str = "new"

    @classmethod
    def from_history(cls, proposal_id: str, history: Iterable[EventPayload]) -> Proposal:
        proposal = cls(proposal_id)
        for event in history:
            if isinstance(event, AwardProposed):
                proposal.state = "proposed"
            proposal.version += 1
        return proposal

    def propose(self, unit_id: str, unit_known: bool, year: int, award_code: str, bloc_id: str | None,
                bloc_score: tuple[float, int | None] | None, on: date) -> list[EventPayload]:
        """A bloc's proposal rests on the unit's final score (and published rank) of that bloc-year; the
        rulebook in force on the proposal's date names the forms and is recorded as the basis."""
        if self.version:
            raise Conflict("proposal.exists", proposal_id=self.proposal_id)
        rulebook = in_force(on)
        if rulebook.form(award_code) is None:
            raise Invalid("proposal.unknown_form", award_code=award_code,
                          forms=", ".join(form.code for form in rulebook.forms))
        if not unit_known:
            raise NotFound("proposal.unknown_unit", unit_id=unit_id)
        if bloc_id is not None and bloc_score is None:
            raise Conflict("proposal.no_score", unit_id=unit_id, bloc_id=bloc_id, year=year)
        total, rank = bloc_score if bloc_score is not None else (None, None)
        basis = ProposalBasis(total=total, rank=rank, rule_version=rulebook.version)
        return [AwardProposed(proposal_id=self.proposal_id, bloc_id=bloc_id, year=year, unit_id=unit_id,
                              award_code=award_code, basis=basis)]
