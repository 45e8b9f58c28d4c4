"""What if another rulebook version had applied: proposals judged again over the in-memory log, nothing recorded."""

from __future__ import annotations

from datetime import date

from awards_fakes import CONTEXT, FakeUnitOfWork

from awards.application import handlers, standings, votes
from awards.application.what_if import what_if
from awards.domain.commands import (
    AdoptRulebook,
    AttestStandard,
    CastBallot,
    CloseHonoringVote,
    Document,
    OpenHonoringVote,
    ProposeAward,
    RateQuality,
)
from awards.domain.eligibility import TargetResult
from awards.domain.rulebook import NATIONAL_DEFAULTS, LeadsBloc, Rulebook
from awards.domain.what_if import FiledProposal, Rejudged

VN_98, VN_152 = NATIONAL_DEFAULTS
DOCUMENTS = [Document(kind=kind, ref=f"{kind}-1") for kind in ("submission", "achievement_report", "vote_minutes")]


async def _second_honoured_and_proposed(uow: FakeUnitOfWork) -> None:
    """Bloc b of u (first of its ranking) and w (second), both meeting the provincial flag's standard; the bloc
    honours w for the provincial flag, and w's dossier is filed on 10 January 2024 (under Decree 98/2023)."""
    uow.read_model.units.update({"u": "active", "w": "active"})
    uow.read_model.members.update({"b": ["u", "w"]})
    uow.read_model.scores.update({("b", 2023, "u"): (95.0, 1), ("b", 2023, "w"): (90.0, 2)})
    for unit_id in ("u", "w"):
        uow.read_model.targets[(unit_id, 2023)] = [TargetResult("t1", True, 104.0)]
        await standings.rate_quality(RateQuality(unit_id=unit_id, year=2023, rating="excellent", ref="QĐ 1",
                                                 rated_on=date(2024, 1, 2)), CONTEXT, uow)
        for fact in ("internal_unity", "party_excellent", "member_titles"):
            await standings.attest_standard(AttestStandard(unit_id=unit_id, year=2023, fact=fact, ref=f"BB {fact}",
                                                           attested_on=date(2024, 1, 2)), CONTEXT, uow)
    await votes.open_vote(OpenHonoringVote(vote_id="v1", bloc_id="b", year=2023, award_code="PROV_FLAG",
                                           candidates=["u", "w"], opened_on=date(2024, 1, 5)), CONTEXT, uow)
    for voter in ("u", "w"):
        await votes.cast_ballot(CastBallot(vote_id="v1", voter_unit_id=voter, choices=["w"]), CONTEXT, uow)
    await votes.close_vote(CloseHonoringVote(vote_id="v1"), CONTEXT, uow)
    await handlers.propose_award(ProposeAward(proposal_id="p1", unit_id="w", year=2023, award_code="PROV_FLAG",
                                              bloc_id="b", filed_on=date(2024, 1, 10), documents=DOCUMENTS),
                                 CONTEXT, uow)


async def _first_only(uow: FakeUnitOfWork) -> Rulebook:
    """The province's own version of Decree 152/2025's rules in which only the first of a ranking leads its bloc
    (a provincial choice: the national default counts the first three)."""
    forms = []
    for form in VN_152.forms:
        rules = [LeadsBloc(places=1, citation=rule.citation) if isinstance(rule, LeadsBloc) else rule
                 for rule in form.rules.eligibility]
        forms.append(form.model_copy(update={"rules": form.rules.model_copy(update={"eligibility": rules})}))
    await handlers.adopt_rulebook(AdoptRulebook(version="HNM-FIRST", effective_from=date(2025, 10, 1),
                                                legal_basis=["QĐ 12/2025/QĐ-UBND"], forms=forms), CONTEXT, uow)
    [adopted] = await uow.rulebooks("HNM")
    return adopted


async def _judged_again(uow: FakeUnitOfWork, other: Rulebook) -> Rejudged:
    proposal = await uow.proposals.get("p1")
    filed = FiledProposal(proposal.proposal_id, proposal.unit_id, proposal.year, proposal.award_code,
                          proposal.bloc_id, proposal.rule_version)
    [judged] = await what_if(uow.gather_facts, "HNM", [filed], other, await uow.rulebooks("HNM"))
    return judged


async def test_the_two_national_rulebooks_judge_alike_and_differ_only_in_what_they_cite() -> None:
    uow = FakeUnitOfWork()
    await _second_honoured_and_proposed(uow)
    recorded = len(uow.inner.store.log)

    judged = await _judged_again(uow, VN_152)

    assert (judged.applied.rule_version, judged.other and judged.other.rule_version) == ("VN-98-2023", "VN-152-2025")
    assert judged.applied.eligible
    assert judged.other is not None
    assert judged.other.eligible
    assert not judged.differs
    assert judged.differences == []
    [frozen] = [each for each in judged.recited if each.rule == "not_frozen"]
    assert frozen.applied is not None
    assert frozen.other is not None
    assert "98/2023/NĐ-CP" in frozen.applied.citation
    assert frozen.other.citation == "khoản 4 Điều 4 Nghị định số 152/2025/NĐ-CP"
    assert len(uow.inner.store.log) == recorded, "judging again records nothing"


async def test_a_version_in_which_only_the_first_leads_its_bloc_would_refuse_the_second_its_flag() -> None:
    uow = FakeUnitOfWork()
    await _second_honoured_and_proposed(uow)
    first_only = await _first_only(uow)
    recorded = len(uow.inner.store.log)

    judged = await _judged_again(uow, first_only)

    assert judged.differs
    assert judged.applied.eligible
    assert judged.other is not None
    assert not judged.other.eligible
    [leads] = judged.differences
    assert leads.rule == "leads_bloc"
    assert leads.applied is not None
    assert leads.other is not None
    assert (leads.applied.ok, leads.applied.params["places"], leads.applied.params["rank"]) == (True, 3, 2)
    assert (leads.other.ok, leads.other.params["places"], leads.other.params["rank"]) == (False, 1, 2)
    assert leads.other.citation == leads.applied.citation, "the same provincial choice, with another number"
    assert len(uow.inner.store.log) == recorded, "judging again records nothing"


async def test_a_version_without_the_proposals_form_judges_it_otherwise_with_no_verdict() -> None:
    uow = FakeUnitOfWork()
    await _second_honoured_and_proposed(uow)
    collective = VN_152.form("EXCELLENT_COLLECTIVE")
    assert collective is not None
    no_flags = Rulebook(version="HNM-NO-FLAGS", effective_from=date(2025, 10, 1), legal_basis=["QĐ 13"],
                        forms=[collective])

    judged = await _judged_again(uow, no_flags)

    assert judged.other is None
    assert judged.differs
    assert judged.applied.eligible
