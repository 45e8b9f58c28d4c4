"""The papers' facts in memory: the seed's bloc of Hà Nam after its 2023 review, its votes and proposals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from awards.domain.papers.records import BlocRecord, CouncilRecord, DecisionRecord, ProposalRecord, VoteRecord
from awards.domain.rulebook import Rulebook

BLOC = "khoi-ban-dang"
BLOC_NAME = "Khối thi đua các Ban xây dựng Đảng và các cơ quan trực thuộc Tỉnh ủy"
UNITS = {"van-phong": "Văn phòng Tỉnh ủy", "ban-to-chuc": "Ban Tổ chức Tỉnh ủy", "ubkt": "Ủy ban Kiểm tra Tỉnh ủy",
         "du-khoi-doanh-nghiep": "Đảng ủy Khối Doanh nghiệp tỉnh", "ban-tuyen-giao": "Ban Tuyên giáo Tỉnh ủy",
         "du-khoi-co-quan": "Đảng ủy Khối các cơ quan tỉnh", "ban-noi-chinh": "Ban Nội chính Tỉnh ủy",
         "ban-dan-van": "Ban Dân vận Tỉnh ủy"}
DOCUMENTS = {"submission": "01/TTr-KTĐ", "achievement_report": "02/BC-KTĐ"}


@dataclass
class FakePaperFacts:
    province: str | None = "Hà Nam"
    units: dict[str, str] = field(default_factory=dict)
    bloc_records: dict[str, BlocRecord] = field(default_factory=dict)
    votes: dict[str, VoteRecord] = field(default_factory=dict)
    records: list[ProposalRecord] = field(default_factory=list)
    adopted: list[Rulebook] = field(default_factory=list)

    async def province_name(self, province: str, on: date) -> str | None:
        return self.province

    async def unit_names(self, province: str) -> Mapping[str, str]:
        return self.units

    async def blocs(self, province: str, year: int) -> Mapping[str, BlocRecord]:
        return self.bloc_records

    async def vote(self, province: str, vote_id: str) -> VoteRecord | None:
        return self.votes.get(vote_id)

    async def proposals(self, province: str, year: int) -> list[ProposalRecord]:
        return [record for record in self.records if record.year == year]

    async def rulebooks(self, province: str) -> list[Rulebook]:
        return self.adopted


def _council(approve: int, required: int, held_on: date = date(2024, 2, 5)) -> CouncilRecord:
    return CouncilRecord(members=20, present=18, approve=approve, reject=20 - approve, written_votes=2,
                         held_on=held_on, required=required, passed=approve >= required)


def seed_facts() -> FakePaperFacts:
    """The bloc honoured Văn phòng for both flags and two units for certificates of merit; the council met on
    5 February 2024; the provincial flag was decided on 20 February, the merits wait for their decision."""
    proposal = ProposalRecord(proposal_id="p", bloc_id=BLOC, year=2023, unit_id="van-phong", award_code="PROV_FLAG",
                              state="decided", total=95.0, rank=1, rule_version="VN-98-2023",
                              filed_on=date(2024, 1, 5), vote_id="v-prov-flag",
                              documents={**DOCUMENTS, "vote_minutes": "03/BB-KTĐ"})
    return FakePaperFacts(
        units=dict(UNITS),
        bloc_records={BLOC: BlocRecord(BLOC, BLOC_NAME, "khoi", "ban-to-chuc")},
        votes={
            "v-prov-flag": VoteRecord(
                vote_id="v-prov-flag", bloc_id=BLOC, year=2023, award_code="PROV_FLAG", candidates=["van-phong"],
                members=8, threshold=0.5, threshold_of="members", more_than=True, places=1, closed=True,
                results=[("van-phong", 8)], honoured=["van-phong"], ballots_cast=8, closed_on=date(2024, 1, 3)),
            "v-merit": VoteRecord(
                vote_id="v-merit", bloc_id=BLOC, year=2023, award_code="PROV_MERIT",
                candidates=["ban-to-chuc", "du-khoi-doanh-nghiep", "ubkt"], members=8, threshold=0.5,
                threshold_of="members", more_than=True, places=2, closed=True,
                results=[("ban-to-chuc", 7), ("ubkt", 5), ("du-khoi-doanh-nghiep", 3)],
                honoured=["ban-to-chuc", "ubkt"], ballots_cast=8, invalid_ballots=1, closed_on=date(2024, 1, 3)),
        },
        records=[
            replace(proposal, proposal_id="p-prov-flag", state="rejected", council=_council(15, 16)),
            replace(proposal, proposal_id="p-prov-flag-b", council=_council(17, 16), decision=DecisionRecord(
                decision_no="300/QĐ-UBND", decided_on=date(2024, 2, 20), authority="Chủ tịch UBND tỉnh",
                rule_version="VN-98-2023", reward_vnd=14_400_000, reward_multiple=8, base_salary_vnd=1_800_000,
                base_salary_basis="Nghị định số 24/2023/NĐ-CP")),
            replace(proposal, proposal_id="p-gov-flag", award_code="GOV_FLAG", state="forwarded", vote_id="v-gov-flag",
                    documents=DOCUMENTS, council=_council(17, 16)),
            replace(proposal, proposal_id="p-merit-ban-to-chuc", unit_id="ban-to-chuc", award_code="PROV_MERIT",
                    state="approved", total=94.0, rank=2, vote_id="v-merit", documents=DOCUMENTS,
                    council=_council(17, 10)),
            replace(proposal, proposal_id="p-merit-ubkt", unit_id="ubkt", award_code="PROV_MERIT", state="approved",
                    total=91.5, rank=3, vote_id="v-merit", documents=DOCUMENTS, council=_council(16, 10)),
        ])
