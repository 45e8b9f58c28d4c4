"""What the awards handlers work with: its repositories, what they read outside the log (the ports), and today.

``bootstrap.py`` builds it over the log's unit of work of each command, with the SQL adapters on the command's
connection (so that what they read is consistent with what the command records) and the provinces' calendar;
unit tests build it over the in-memory log with fakes.
"""

from __future__ import annotations

from awards.application.ports import (
    Dependents,
    GatherFacts,
    MembersOfYear,
    ProvinceInOffice,
    Rulebooks,
    ScoreLookup,
    Seal,
    Today,
    UnitKnown,
    Unseal,
)
from awards.domain.adoption import ProvinceRulebooks
from awards.domain.freeze import UnitFreezes
from awards.domain.model import Proposal
from awards.domain.standing import UnitStanding
from awards.domain.vote import HonoringVote
from thidua_shared.context import CommandContext
from thidua_shared.repository import AggregateUnitOfWork, Repository
from thidua_shared.unit_of_work import UnitOfWork


class AwardsUnitOfWork(AggregateUnitOfWork):
    """An awards command's unit of work, in the command's province."""

    def __init__(self, inner: UnitOfWork, context: CommandContext, *, rulebooks: Rulebooks, gather_facts: GatherFacts,
                 final_score: ScoreLookup, unit_known: UnitKnown, members_of_year: MembersOfYear, seal: Seal,
                 unseal: Unseal, today: Today, dependents: Dependents,
                 province_in_office: ProvinceInOffice) -> None:
        super().__init__(inner, context)
        province = context.province
        self.proposals: Repository[Proposal] = self.repository(lambda proposal_id: Proposal(province, proposal_id))
        self.votes: Repository[HonoringVote] = self.repository(lambda vote_id: HonoringVote(province, vote_id))
        self.unit_freezes: Repository[UnitFreezes] = self.repository(lambda unit_id: UnitFreezes(province, unit_id))
        self.standings: Repository[UnitStanding] = self.repository(lambda key: UnitStanding(province, key))
        """Keyed by ``standing_key(unit_id, year)``."""
        self.province_rulebooks: Repository[ProvinceRulebooks] = self.repository(ProvinceRulebooks)
        """Keyed by the province's code: its adoptions, one stream."""
        self.rulebooks = rulebooks
        self.gather_facts = gather_facts
        self.final_score = final_score
        self.unit_known = unit_known
        self.members_of_year = members_of_year
        self.seal = seal
        self.unseal = unseal
        self.today = today
        self.dependents = dependents
        self.province_in_office = province_in_office
