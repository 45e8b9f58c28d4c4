"""What the papers read from the awards read models, on SQLite and PostgreSQL: the registry's names of the
province, its blocs and their chairs, and the proposals with their council votes and decisions as typed records."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.paper_facts import SqlPaperFacts
from awards.adapters.projections import OWN_EVENTS, REGISTRY_EVENTS
from awards.bootstrap import SERVICE
from awards.domain.papers.records import BlocRecord, CouncilRecord, DecisionRecord
from thidua_contracts import EventPayload
from thidua_contracts.awards import AwardDecided, AwardProposed, CouncilVoteRecorded, DossierDocument, ProposalBasis
from thidua_contracts.registry import (
    BlocEstablished,
    ChairElected,
    ProvinceRegistered,
    ProvincesMerged,
    UnitRegistered,
)
from thidua_shared.store import StoredEvent, migrate
from thidua_shared.store.db import create_engine


def _stored(payload: EventPayload, source: str, province: str = "HNM") -> StoredEvent:
    return StoredEvent(position=1, event_id="e", event_type=type(payload).__name__, schema_version=1,
                       province=province, source=source, stream_id="s", stream_version=1,
                       occurred_at="2024-01-01T00:00:00Z", recorded_at="2024-01-01T00:00:00Z", actor={},
                       correlation_id="c", causation_id=None, prev_hash="", hash="", payload={}, body=b"")


def _chair(bloc_id: str, unit_id: str) -> ChairElected:
    return ChairElected(bloc_id=bloc_id, year=2023, unit_id=unit_id, votes_for=8, votes_cast=8, members=8,
                        elected_on=date(2023, 1, 5))


async def _record(connection: AsyncConnection) -> None:
    registry: tuple[EventPayload, ...] = (
        ProvinceRegistered(code="HNM", name="Hà Nam"),
        UnitRegistered(unit_id="ubkt", name="Ủy ban Kiểm tra Tỉnh ủy", short_name="UBKT", kind="party_board"),
        BlocEstablished(bloc_id="khoi-dang", name="Khối các Ban Đảng", kind="khoi", decision_ref="QĐ 1"),
        _chair("khoi-dang", "van-phong"), _chair("khoi-dang", "ubkt"), _chair("cum-xa", "xa-a"))
    for payload in registry:
        await REGISTRY_EVENTS.apply(connection, _stored(payload, "registry"), payload)
    merged = ProvincesMerged(from_codes=["HNM"], into_code="NBH", effective_on=date(2025, 7, 1),
                             legal_basis="Nghị quyết số 202/2025/QH15")
    for province, payload in (("NBH", ProvinceRegistered(code="NBH", name="Ninh Bình")), ("HNM", merged),
                              ("NBH", merged)):
        await REGISTRY_EVENTS.apply(connection, _stored(payload, "registry", province), payload)
    own: tuple[EventPayload, ...] = (
        AwardProposed(proposal_id="p-1", bloc_id="khoi-dang", year=2023, unit_id="ubkt", award_code="PROV_MERIT",
                      basis=ProposalBasis(rank=3, total=91.5, vote_id="v-1", rule_version="VN-98-2023"),
                      filed_on=date(2024, 1, 5), documents=[DossierDocument(kind="submission", ref="01/TTr")]),
        CouncilVoteRecorded(proposal_id="p-1", members=20, present=18, approve=17, reject=3, written_votes=2,
                            held_on=date(2024, 2, 5), required=11, passed=True, rule_version="VN-98-2023"),
        AwardDecided(proposal_id="p-1", unit_id="ubkt", award_code="PROV_MERIT", decision_no="301/QĐ-UBND",
                     decided_on=date(2024, 2, 20), authority="Chủ tịch UBND tỉnh", rule_version="VN-98-2023",
                     reward_vnd=5_400_000, reward_multiple=3, base_salary_vnd=1_800_000,
                     base_salary_basis="Nghị định số 24/2023/NĐ-CP"))
    for payload in own:
        await OWN_EVENTS.apply(connection, _stored(payload, "awards"), payload)


async def test_the_papers_read_names_chairs_council_votes_and_decisions_as_recorded(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
        async with engine.begin() as connection:
            await _record(connection)
        async with engine.connect() as connection:
            facts = SqlPaperFacts(connection)
            province, units = await facts.province_name("HNM", date(2025, 6, 30)), await facts.unit_names("HNM")
            merged = await facts.province_name("HNM", date(2025, 7, 1))
            blocs, other_year = await facts.blocs("HNM", 2023), await facts.blocs("HNM", 2024)
            [proposal] = await facts.proposals("HNM", 2023)
            elsewhere = await facts.province_name("QNM", date(2025, 7, 1))
    finally:
        await engine.dispose()
    assert (province, elsewhere, units) == ("Hà Nam", None, {"ubkt": "Ủy ban Kiểm tra Tỉnh ủy"})
    assert merged == "Ninh Bình", "from the day the merger takes effect, the papers bear the new province's name"
    assert blocs == {"khoi-dang": BlocRecord("khoi-dang", "Khối các Ban Đảng", "khoi", "ubkt"),
                     "cum-xa": BlocRecord("cum-xa", None, None, "xa-a")}, "a re-election replaces the chair"
    assert other_year == {"khoi-dang": BlocRecord("khoi-dang", "Khối các Ban Đảng", "khoi", None)}
    assert (proposal.total, proposal.rank, proposal.filed_on, proposal.documents) == (
        91.5, 3, date(2024, 1, 5), {"submission": "01/TTr"})
    assert proposal.council == CouncilRecord(members=20, present=18, approve=17, reject=3, written_votes=2,
                                             held_on=date(2024, 2, 5), required=11, passed=True)
    assert proposal.decision == DecisionRecord(
        decision_no="301/QĐ-UBND", decided_on=date(2024, 2, 20), authority="Chủ tịch UBND tỉnh",
        rule_version="VN-98-2023", reward_vnd=5_400_000, reward_multiple=3, base_salary_vnd=1_800_000,
        base_salary_basis="Nghị định số 24/2023/NĐ-CP")
