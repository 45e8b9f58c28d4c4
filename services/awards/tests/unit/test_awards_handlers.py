"""Awards use cases over the in-memory log and a fake read model: the rules of proposals and honouring votes,
from the bloc's vote to the decision and after, without a database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from awards_fakes import CONTEXT, TODAY, FakeUnitOfWork

from awards.application import handlers, standings, votes
from awards.domain.citation import Cite
from awards.domain.commands import (
    AdoptRulebook,
    AttestStandard,
    CastBallot,
    CloseHonoringVote,
    DecideAward,
    Document,
    ForwardToCentral,
    Freeze,
    OpenHonoringVote,
    ProposeAward,
    RateQuality,
    RecordCouncilVote,
    RejectProposal,
    ResubmitProposal,
    ReturnProposal,
    RevokeAward,
)
from awards.domain.eligibility import TargetResult
from awards.domain.model import ProposalState
from awards.domain.rulebook import (
    NATIONAL_DEFAULTS,
    Form,
    HonouredByVote,
    LeadsBloc,
    NotFrozen,
    Quota,
    Registered,
    Rulebook,
    VoteRules,
)
from thidua_contracts import EventPayload
from thidua_contracts.awards import (
    AwardDecided,
    AwardFlagged,
    AwardProposed,
    AwardRejected,
    AwardRevoked,
    BallotCast,
    CouncilVoteRecorded,
    HonoringVoteClosed,
    HonoringVoteOpened,
    ProposalReturned,
)
from thidua_contracts.envelope import Actor
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid, NotFound

FILED = date(2024, 1, 10)
"""A dossier of 2023, filed under Decree 98/2023 (in force from 2024-01-01)."""
ALL_DOCUMENTS = [Document(kind=kind, ref=f"{kind}-1")
                 for kind in ("submission", "achievement_report", "vote_minutes", "council_minutes")]


def _events(uow: FakeUnitOfWork, since: int = 0) -> list[EventPayload]:
    """What the commands committed, from the ``since``-th event on."""
    return [event.typed() for event in uow.committed[since:]]


async def _province(uow: FakeUnitOfWork, *honoured_for: str, year: int = 2023) -> None:
    """Bloc b of units u (first of its ranking) and w (second), among five blocs, both meeting the provincial
    flag's standard; for each form of ``honoured_for`` the bloc's vote honoured both."""
    uow.read_model.units.update({"u": "active", "w": "active"})
    uow.read_model.members.update({"b": ["u", "w"], **{f"k{index}": [f"x{index}"] for index in range(2, 6)}})
    uow.read_model.scores.update({("b", year, "u"): (95.0, 1), ("b", year, "w"): (90.0, 2)})
    for unit_id in ("u", "w"):
        await _meets_flag_standard(uow, unit_id, year)
    for award_code in honoured_for:
        vote_id = f"v-{award_code.lower().replace('_', '-')}"
        await _vote(uow, vote_id, award_code, ballots={"u": ["u", "w"], "w": ["u", "w"]}, year=year)


async def _meets_flag_standard(uow: FakeUnitOfWork, unit_id: str, year: int = 2023) -> None:
    """The unit exceeded its targets of ``year``, was rated excellent, and its unity, its Party organisation and
    its members' titles are attested."""
    uow.read_model.targets[(unit_id, year)] = [TargetResult("t1", True, 104.0), TargetResult("t2", True, 100.0)]
    await standings.rate_quality(RateQuality(unit_id=unit_id, year=year, rating="excellent", ref=f"QĐ {year}",
                                             rated_on=date(year + 1, 1, 2)), CONTEXT, uow)
    for fact in ("internal_unity", "party_excellent", "member_titles"):
        await standings.attest_standard(AttestStandard(unit_id=unit_id, year=year, fact=fact, ref=f"BB {fact}",
                                                       attested_on=date(year + 1, 1, 2)), CONTEXT, uow)


async def _vote(uow: FakeUnitOfWork, vote_id: str, award_code: str, ballots: dict[str, list[str]],
                year: int = 2023, opened_on: date = date(2024, 1, 5), bloc_id: str = "b") -> None:
    """Open a vote of the bloc on 2024-01-05 with the voters as its candidates, cast their ballots, close it."""
    await votes.open_vote(OpenHonoringVote(vote_id=vote_id, bloc_id=bloc_id, year=year, award_code=award_code,
                                           candidates=sorted(ballots), opened_on=opened_on), CONTEXT, uow)
    for voter, choices in ballots.items():
        await votes.cast_ballot(CastBallot(vote_id=vote_id, voter_unit_id=voter, choices=choices), CONTEXT, uow)
    await votes.close_vote(CloseHonoringVote(vote_id=vote_id), CONTEXT, uow)


async def _propose(uow: FakeUnitOfWork, award_code: str = "PROV_FLAG", proposal_id: str = "p1",
                   unit_id: str = "u", bloc_id: str | None = "b", documents: list[Document] | None = None,
                   filed_on: date = FILED) -> None:
    await handlers.propose_award(ProposeAward(proposal_id=proposal_id, unit_id=unit_id, year=2023,
                                              award_code=award_code, bloc_id=bloc_id, filed_on=filed_on,
                                              documents=ALL_DOCUMENTS if documents is None else documents),
                                 CONTEXT, uow)


async def _council(uow: FakeUnitOfWork, approve: int, members: int = 20, present: int = 18, written: int = 2,
                   held_on: date = date(2024, 2, 1), proposal_id: str = "p1") -> None:
    await handlers.record_council_vote(RecordCouncilVote(
        proposal_id=proposal_id, members=members, present=present, approve=approve,
        reject=present + written - approve, written_votes=written, held_on=held_on), CONTEXT, uow)


async def _decide(uow: FakeUnitOfWork, on: date = date(2024, 3, 1), proposal_id: str = "p1") -> None:
    await handlers.decide_award(DecideAward(proposal_id=proposal_id, decision_no="QĐ 1", decided_on=on),
                                CONTEXT, uow)


async def _forward(uow: FakeUnitOfWork, on: date, documents: list[Document] | None = None) -> None:
    await handlers.forward_to_central(ForwardToCentral(proposal_id="p1", dossier_ref="TTr 9", forwarded_on=on,
                                                       documents=documents or []), CONTEXT, uow)


async def _state(uow: FakeUnitOfWork, proposal_id: str = "p1") -> ProposalState:
    return (await uow.proposals.get(proposal_id)).state


async def _adopt(uow: FakeUnitOfWork, version: str, effective_from: date, *forms: Form,
                 base: Rulebook = NATIONAL_DEFAULTS[0]) -> None:
    """The province's own version: ``base``'s forms, those of ``forms`` replacing theirs."""
    replaced = {form.code: form for form in forms}
    await handlers.adopt_rulebook(AdoptRulebook(
        version=version, effective_from=effective_from, legal_basis=["QĐ 12/QĐ-UBND"],
        forms=[replaced.get(form.code, form) for form in base.forms]), CONTEXT, uow)


def _form(code: str, base: Rulebook = NATIONAL_DEFAULTS[0], **rules: object) -> Form:
    """``base``'s form ``code`` with some of its rules changed."""
    form = base.form(code)
    assert form is not None
    return form.model_copy(update={"rules": form.rules.model_copy(update=rules)})


# --- filing ---------------------------------------------------------------------------------------------


async def test_a_proposal_is_recorded_on_its_stream_with_its_basis_and_the_rulebook_of_its_filing_day() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "PROV_FLAG")
    committed = len(uow.committed)
    await _propose(uow)
    [stored] = uow.committed[committed:]
    assert (stored.stream_id, stored.stream_version, stored.actor["id"]) == ("proposal:HNM:p1", 1, "staff")
    proposed = stored.typed()
    assert isinstance(proposed, AwardProposed)
    assert (proposed.basis.total, proposed.basis.rank, proposed.basis.vote_id, proposed.basis.rule_version) == (
        95.0, 1, "v-prov-flag", "VN-98-2023")
    assert all(check.ok for check in proposed.checks)
    assert await _state(uow) is ProposalState.PROPOSED


async def test_a_unit_the_rules_do_not_find_eligible_is_refused_with_the_rules_it_missed() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    uow.read_model.scores[("b", 2023, "w")] = (80.0, 4)
    before = list(uow.log)
    with pytest.raises(Conflict) as refused:
        await _propose(uow, unit_id="w")
    assert refused.value.code == "proposal.not_eligible"
    assert [problem["rule"] for problem in refused.value.params["problems"]] == ["leads_bloc", "honoured_by_vote"]
    assert uow.log == before


async def test_an_unknown_unit_a_bloc_proposal_without_a_score_and_a_dossier_dated_after_today_are_refused() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "PROV_FLAG")
    with pytest.raises(NotFound) as unknown:
        await _propose(uow, unit_id="nobody")
    assert unknown.value.code == "proposal.unknown_unit"
    del uow.read_model.scores[("b", 2023, "u")]
    with pytest.raises(Conflict) as unscored:
        await _propose(uow)
    assert unscored.value.code == "proposal.no_score"
    with pytest.raises(Invalid) as future:
        await _propose(uow, award_code="ADVANCED_COLLECTIVE", bloc_id=None, filed_on=date(2025, 12, 2))
    assert (future.value.code, future.value.params["today"]) == ("date.in_future", date(2025, 12, 1))


async def test_a_unit_has_one_proposal_per_form_and_year_until_one_is_rejected() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "PROV_MERIT")
    await _propose(uow, "PROV_MERIT")
    with pytest.raises(Conflict) as twice:
        await _propose(uow, "PROV_MERIT", proposal_id="p2")
    assert (twice.value.code, twice.value.params["proposals"]) == ("proposal.duplicate", "p1")
    await handlers.reject_proposal(RejectProposal(proposal_id="p1", reason="không đạt"), CONTEXT, uow)
    await _propose(uow, "PROV_MERIT", proposal_id="p2")
    assert await _state(uow, "p2") is ProposalState.PROPOSED


async def test_an_incomplete_dossier_is_returned_with_what_is_missing_and_resubmitted() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "PROV_FLAG")
    committed = len(uow.committed)
    await _propose(uow, documents=[Document(kind="submission", ref="TTr 5")])
    [filed] = _events(uow, committed)
    assert isinstance(filed, AwardProposed)
    assert filed.missing == ["achievement_report", "vote_minutes"], "the missing documents are named at filing"
    with pytest.raises(Conflict) as early:
        await _council(uow, approve=20)
    assert early.value.params["missing"] == "achievement_report, vote_minutes"
    committed = len(uow.committed)
    await handlers.return_proposal(ReturnProposal(proposal_id="p1", reason="thiếu báo cáo", missing=["photos"],
                                                  returned_on=date(2024, 1, 15)), CONTEXT, uow)
    [returned] = _events(uow, committed)
    assert isinstance(returned, ProposalReturned)
    assert returned.missing == ["achievement_report", "photos", "vote_minutes"]
    with pytest.raises(Invalid) as still:
        await handlers.resubmit_proposal(ResubmitProposal(
            proposal_id="p1", documents=[Document(kind="achievement_report", ref="BC 1")],
            resubmitted_on=date(2024, 1, 20)), CONTEXT, uow)
    assert still.value.params["missing"] == "photos, vote_minutes"
    await handlers.resubmit_proposal(ResubmitProposal(
        proposal_id="p1", documents=[Document(kind=kind, ref="x") for kind in ("achievement_report", "photos",
                                                                                "vote_minutes")],
        resubmitted_on=date(2024, 1, 20)), CONTEXT, uow)
    assert await _state(uow) is ProposalState.PROPOSED
    committed = len(uow.committed)
    await _council(uow, approve=17)
    [passed] = _events(uow, committed)
    assert isinstance(passed, CouncilVoteRecorded)
    assert passed.passed


async def test_filing_refuses_an_unknown_form_an_early_day_doubled_documents_another_vote_and_a_refiling() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "PROV_FLAG")
    with pytest.raises(Invalid) as unknown:
        await _propose(uow, "GOLD_STAR")
    assert (unknown.value.code, unknown.value.params["forms"]) == (
        "proposal.unknown_form", "GOV_FLAG, PROV_FLAG, PROV_MERIT, EXCELLENT_COLLECTIVE, ADVANCED_COLLECTIVE")
    with pytest.raises(Invalid) as early:
        await _propose(uow, filed_on=date(2022, 12, 31))
    assert early.value.code == "proposal.filed_before_year"
    with pytest.raises(Invalid) as doubled:
        await _propose(uow, documents=[Document(kind="submission", ref="1"), Document(kind="submission", ref="2")])
    assert doubled.value.code == "proposal.duplicate_documents"
    with pytest.raises(Conflict) as other_vote:
        await handlers.propose_award(ProposeAward(proposal_id="p1", unit_id="u", year=2023, award_code="PROV_FLAG",
                                                  bloc_id="b", vote_id="v-other", filed_on=FILED), CONTEXT, uow)
    assert other_vote.value.code == "proposal.vote_mismatch"
    await _propose(uow)
    with pytest.raises(Conflict) as again:
        await _propose(uow)
    assert again.value.code == "proposal.exists"


async def test_a_frozen_or_merged_unit_is_not_proposed_and_a_lifted_freeze_lets_it_be() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    await handlers.freeze(Freeze(unit_id="u", reason="đang thanh tra", ref="KL-TTr 12"), CONTEXT, uow)
    with pytest.raises(Conflict) as frozen:
        await _propose(uow, "EXCELLENT_COLLECTIVE")
    [problem] = frozen.value.params["problems"]
    assert (problem["rule"], problem["params"]["refs"]) == ("not_frozen", "KL-TTr 12 (đang thanh tra)")
    await handlers.unfreeze(Freeze(unit_id="u", reason="không vi phạm", ref="KL-TTr 12"), CONTEXT, uow)
    await _propose(uow, "EXCELLENT_COLLECTIVE")
    uow.read_model.units["w"] = "merged"
    with pytest.raises(Conflict) as merged:
        await _propose(uow, "EXCELLENT_COLLECTIVE", proposal_id="p2", unit_id="w")
    [problem] = merged.value.params["problems"]
    assert (problem["rule"], problem["params"]["status"]) == ("registered", "merged")


async def test_a_step_on_no_proposal_an_empty_return_and_a_decision_before_the_filing_are_refused() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    with pytest.raises(NotFound) as nowhere:
        await _council(uow, approve=20, proposal_id="nowhere")
    assert nowhere.value.code == "proposal.not_found"
    await _propose(uow, "ADVANCED_COLLECTIVE")
    with pytest.raises(Invalid) as complete:
        await handlers.return_proposal(ReturnProposal(proposal_id="p1", reason="xem lại"), CONTEXT, uow)
    assert (complete.value.code, complete.value.params["required"]) == ("proposal.nothing_missing", "submission")
    with pytest.raises(Invalid) as before:
        await _decide(uow, on=date(2024, 1, 9))
    assert before.value.code == "decision.before_filing"


async def test_a_province_adopts_versions_under_names_and_on_days_of_their_own() -> None:
    uow = FakeUnitOfWork()
    await _adopt(uow, "HNM-1", date(2025, 9, 1), base=NATIONAL_DEFAULTS[1])
    assert (uow.committed[-1].stream_id, uow.committed[-1].event_type) == ("rulebooks:HNM", "RulebookAdopted")
    assert [book.version for book in await uow.rulebooks("HNM")] == ["HNM-1"]
    for version, effective_from, code in (("HNM-1", date(2025, 10, 1), "rulebook.version_taken"),
                                          ("VN-152-2025", date(2025, 10, 1), "rulebook.version_taken"),
                                          ("HNM-2", date(2025, 9, 1), "rulebook.same_day")):
        with pytest.raises(Conflict) as taken:
            await _adopt(uow, version, effective_from, base=NATIONAL_DEFAULTS[1])
        assert taken.value.code == code
    flag = _form("PROV_FLAG")
    with pytest.raises(Invalid) as doubled:
        await handlers.adopt_rulebook(AdoptRulebook(version="HNM-2", effective_from=date(2025, 10, 1),
                                                    legal_basis=["QĐ 13"], forms=[flag, flag]), CONTEXT, uow)
    assert (doubled.value.code, doubled.value.params["codes"]) == ("rulebook.duplicate_forms", "PROV_FLAG")
    government_flag = _form("GOV_FLAG")
    with pytest.raises(Invalid) as dangling:
        await handlers.adopt_rulebook(AdoptRulebook(version="HNM-2", effective_from=date(2025, 10, 1),
                                                    legal_basis=["QĐ 13"], forms=[government_flag]), CONTEXT, uow)
    assert (dangling.value.code, dangling.value.params["reference"]) == ("rulebook.unknown_reference", "PROV_FLAG")


# --- the council ------------------------------------------------------------------------------------------


async def test_a_flag_needs_80_percent_of_all_council_members_not_of_those_present() -> None:
    short = FakeUnitOfWork()
    await _province(short, "PROV_FLAG")
    await _propose(short)
    committed = len(short.committed)
    await _council(short, approve=15)
    recorded, rejected = _events(short, committed)
    assert [event.stream_version for event in short.committed[committed:]] == [2, 3], "one batch, one stream"
    assert isinstance(recorded, CouncilVoteRecorded)
    assert isinstance(rejected, AwardRejected)
    assert (recorded.required, recorded.passed) == (16, False)
    assert "Điều 30 Nghị định số 98/2023/NĐ-CP" in rejected.reason
    assert await _state(short) is ProposalState.REJECTED
    enough = FakeUnitOfWork()
    await _province(enough, "PROV_FLAG")
    await _propose(enough)
    await _council(enough, approve=16)
    assert await _state(enough) is ProposalState.APPROVED


async def test_a_merit_needs_more_than_half_of_the_votes_cast() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "PROV_MERIT")
    await _propose(uow, "PROV_MERIT")
    committed = len(uow.committed)
    await _council(uow, approve=10, present=18, written=2)
    recorded, _ = _events(uow, committed)
    assert isinstance(recorded, CouncilVoteRecorded)
    assert (recorded.required, recorded.passed) == (11, False)


async def test_the_councils_counts_must_add_up() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "PROV_FLAG")
    await _propose(uow)
    with pytest.raises(Invalid) as attendance:
        await _council(uow, approve=16, members=20, present=19, written=2)
    assert attendance.value.code == "council.bad_attendance"
    with pytest.raises(Invalid, match=r"council\.too_many_votes"):
        await handlers.record_council_vote(RecordCouncilVote(
            proposal_id="p1", members=20, present=18, approve=15, reject=5, written_votes=0,
            held_on=date(2024, 2, 1)), CONTEXT, uow)


async def test_a_provinces_council_quorum_is_checked_before_the_share() -> None:
    uow = FakeUnitOfWork()
    flag = _form("PROV_FLAG")
    assert flag.rules.council is not None
    council = flag.rules.council.model_copy(update={"quorum": 0.8, "citation": Cite(text="QĐ 86/2025/QĐ-UBND art. 9")})
    await _adopt(uow, "BNH-2024", date(2024, 1, 2), _form("PROV_FLAG", council=council))
    await _province(uow, "PROV_FLAG")
    await _propose(uow)
    with pytest.raises(Conflict) as thin:
        await _council(uow, approve=15, present=15, written=5)
    assert thin.value.code == "council.no_quorum"
    assert (thin.value.params["needed"], str(thin.value.params["citation"])) == (16, "QĐ 86/2025/QĐ-UBND art. 9")
    committed = len(uow.committed)
    await _council(uow, approve=16, present=16, written=4)
    [passed] = _events(uow, committed)
    assert isinstance(passed, CouncilVoteRecorded)
    assert (passed.rule_version, passed.passed) == ("BNH-2024", True)


async def test_an_award_without_a_council_is_decided_directly_and_a_council_vote_is_refused() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    await _propose(uow, "ADVANCED_COLLECTIVE")
    with pytest.raises(Conflict) as refused:
        await _council(uow, approve=20)
    assert refused.value.code == "council.not_needed"
    committed = len(uow.committed)
    await _decide(uow)
    [decided] = _events(uow, committed)
    assert isinstance(decided, AwardDecided)
    assert (decided.authority, decided.rule_version) == ("Thủ trưởng cơ quan", "VN-98-2023")


async def test_the_chairman_in_office_on_the_decisions_day_decides_after_a_merger_the_new_provinces() -> None:
    """Hà Nam merged into Ninh Bình on 1 July 2025: a provincial form decided before is the Chairman of Hà Nam's,
    after it the Chairman of Ninh Bình's; a central form's authority does not change."""
    uow = FakeUnitOfWork()
    uow.read_model.provinces.update({"HNM": ("Hà Nam", ("NBH", date(2025, 7, 1))), "NBH": ("Ninh Bình", None)})
    await _province(uow, "PROV_MERIT")
    for proposal_id, unit_id in (("p1", "u"), ("p2", "w")):
        await _propose(uow, "PROV_MERIT", proposal_id=proposal_id, unit_id=unit_id)
        await _council(uow, approve=18, proposal_id=proposal_id)
    committed = len(uow.committed)
    await _decide(uow, on=date(2025, 6, 30))
    await _decide(uow, on=date(2025, 7, 1), proposal_id="p2")
    before, after = _events(uow, committed)
    assert isinstance(before, AwardDecided)
    assert isinstance(after, AwardDecided)
    assert (before.authority, after.authority) == ("Chủ tịch UBND tỉnh Hà Nam", "Chủ tịch UBND tỉnh Ninh Bình")


# --- forwarding and the decision ------------------------------------------------------------------------


async def _leaders_elsewhere(uow: FakeUnitOfWork, year: int = 2023) -> None:
    """Blocs k2 to k5 each honoured their only member x2 to x5 for the provincial flag; all meet its standard."""
    for index in range(2, 6):
        unit_id, bloc_id = f"x{index}", f"k{index}"
        uow.read_model.units[unit_id] = "active"
        uow.read_model.scores[(bloc_id, year, unit_id)] = (92.0, 1)
        await _meets_flag_standard(uow, unit_id, year)
        await _vote(uow, f"v-{bloc_id}", "PROV_FLAG", ballots={unit_id: [unit_id]}, year=year, bloc_id=bloc_id)


async def test_the_government_flag_is_forwarded_by_30_june_with_the_minutes_and_decided_centrally() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "GOV_FLAG")
    await _leaders_elsewhere(uow)
    await _propose(uow, "GOV_FLAG", documents=ALL_DOCUMENTS[:2])
    await _council(uow, approve=18)
    with pytest.raises(Conflict) as not_yet:
        await _decide(uow)
    assert not_yet.value.params["needed"] == "forwarded"
    with pytest.raises(Conflict) as bare:
        await _forward(uow, date(2024, 3, 1))
    assert (bare.value.code, bare.value.params["missing"]) == ("proposal.forward_incomplete", "council_minutes")
    minutes = [Document(kind="council_minutes", ref="BB 7")]
    with pytest.raises(Conflict) as late:
        await _forward(uow, date(2024, 7, 1), minutes)
    assert (late.value.code, late.value.params["deadline"]) == ("proposal.forward_late", date(2024, 6, 30))
    await _forward(uow, date(2024, 3, 1), minutes)
    assert (await uow.proposals.get("p1")).documents["council_minutes"] == "BB 7"
    committed = len(uow.committed)
    await _decide(uow, on=date(2024, 6, 1))
    [decided] = _events(uow, committed)
    assert isinstance(decided, AwardDecided)
    assert decided.authority == "Thủ tướng Chính phủ"
    assert decided.rule_version == "VN-98-2023", "the version the dossier was received under"
    assert (decided.reward_multiple, decided.base_salary_vnd, decided.reward_vnd) == (12, 1_800_000, 21_600_000), \
        "12 times the base salary of 1 June 2024 (Nghị định số 24/2023/NĐ-CP)"


async def test_nominees_beyond_the_government_flags_quota_are_filed_but_only_the_quota_is_forwarded() -> None:
    """Six leaders meet the provincial flag's standard (u and w of bloc b, x2 to x5 elsewhere): 20% is one flag."""
    uow = FakeUnitOfWork()
    await _province(uow, "GOV_FLAG")
    await _leaders_elsewhere(uow)
    minutes = [Document(kind="council_minutes", ref="BB 7")]
    for proposal_id, unit_id in (("p1", "u"), ("p2", "w")):
        await _propose(uow, "GOV_FLAG", proposal_id=proposal_id, unit_id=unit_id, documents=ALL_DOCUMENTS[:2])
        await _council(uow, approve=18, proposal_id=proposal_id)
    second = await uow.proposals.get("p2")
    assert second.state is ProposalState.APPROVED, "a nominee beyond the quota is filed and compared by the council"
    await handlers.forward_to_central(ForwardToCentral(proposal_id="p2", dossier_ref="TTr 9",
                                                       forwarded_on=date(2024, 3, 1), documents=minutes), CONTEXT, uow)
    with pytest.raises(Conflict) as over:
        await _forward(uow, date(2024, 3, 2), minutes)
    assert over.value.code == "proposal.forward_over_quota"
    [quota] = over.value.params["problems"]
    assert (quota["rule"], quota["params"]["qualifying"], quota["params"]["limit"]) == ("quota_leaders", 6, 1)
    assert quota["params"]["qualifying_units"] == "u, w, x2, x3, x4, x5"


async def test_leaders_that_fail_the_provincial_flags_standard_are_not_counted_in_the_quota() -> None:
    """Six leaders, two of whom missed a target: 20% of the four that qualify is no flag (of six it would be one)."""
    uow = FakeUnitOfWork()
    await _province(uow, "GOV_FLAG")
    await _leaders_elsewhere(uow)
    for unit_id in ("x4", "x5"):
        uow.read_model.targets[(unit_id, 2023)] = [TargetResult("t1", False, 70.0)]
    await _propose(uow, "GOV_FLAG", documents=ALL_DOCUMENTS[:2])
    await _council(uow, approve=18)
    with pytest.raises(Conflict) as over:
        await _forward(uow, date(2024, 3, 1), [Document(kind="council_minutes", ref="BB 7")])
    assert over.value.code == "proposal.forward_over_quota"
    [quota] = over.value.params["problems"]
    assert (quota["params"]["leaders"], quota["params"]["qualifying"], quota["params"]["limit"]) == (6, 4, 0)
    assert quota["params"]["failing_units"] == "x4 (exceeded_targets); x5 (exceeded_targets)"


async def test_a_provincial_flag_is_not_forwarded() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "PROV_FLAG")
    await _propose(uow)
    await _council(uow, approve=16)
    with pytest.raises(Conflict) as refused:
        await _forward(uow, date(2024, 3, 1))
    assert refused.value.code == "proposal.not_central"


async def test_the_decision_keeps_the_quota_of_the_version_the_dossiers_were_received_under() -> None:
    """Two flags of bloc b proposed while the province allowed two; a later version allows one: the decisions
    follow the version the dossiers were received under."""
    uow = FakeUnitOfWork()
    await _adopt(uow, "HNM-2024-1", date(2024, 1, 2), _form("PROV_FLAG", quota=Quota(
        per="bloc_year", max=2, citation="QĐ 3")))
    await _province(uow, "PROV_FLAG")
    await _propose(uow, proposal_id="p-w", unit_id="w")
    await _propose(uow)
    await _adopt(uow, "HNM-2024-2", date(2024, 1, 20), _form("PROV_FLAG", quota=Quota(
        per="bloc_year", max=1, citation="QĐ 4")))
    for proposal_id in ("p-w", "p1"):
        await _council(uow, approve=16, proposal_id=proposal_id)
        committed = len(uow.committed)
        await _decide(uow, proposal_id=proposal_id)
        [decided] = _events(uow, committed)
        assert isinstance(decided, AwardDecided)
        assert decided.rule_version == "HNM-2024-1"


async def test_the_decision_records_the_version_the_dossier_was_received_under_not_the_decisions_day() -> None:
    uow = FakeUnitOfWork()
    await _adopt(uow, "HNM-2025", date(2025, 9, 1), base=NATIONAL_DEFAULTS[1])
    await _province(uow)
    await _propose(uow, "ADVANCED_COLLECTIVE")
    committed = len(uow.committed)
    await _decide(uow, on=date(2025, 9, 1))
    [decided] = _events(uow, committed)
    assert isinstance(decided, AwardDecided)
    assert decided.rule_version == "VN-98-2023"


async def test_no_award_is_decided_for_a_unit_dissolved_after_its_proposal() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    await _propose(uow, "ADVANCED_COLLECTIVE")
    uow.read_model.units["u"] = "dissolved"
    with pytest.raises(Conflict) as gone:
        await _decide(uow)
    assert (gone.value.code, gone.value.params["status"]) == ("decision.unit_inactive", "dissolved")


async def test_the_province_rejects_before_its_decision_and_the_central_level_only_what_was_forwarded() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    await _propose(uow, "ADVANCED_COLLECTIVE")
    with pytest.raises(Conflict) as never:
        await handlers.reject_proposal(RejectProposal(proposal_id="p1", reason="không đạt", by="central"),
                                       CONTEXT, uow)
    assert never.value.code == "proposal.not_forwarded"
    await _decide(uow)
    with pytest.raises(Conflict) as decided:
        await handlers.reject_proposal(RejectProposal(proposal_id="p1", reason="không đạt"), CONTEXT, uow)
    assert (decided.value.code, decided.value.params["state"], decided.value.params["needed"]) == (
        "proposal.wrong_state", "decided", "proposed, returned, approved")


# --- freeze and revoke ------------------------------------------------------------------------------------


async def test_a_frozen_proposal_or_unit_goes_no_further_until_unfrozen() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "PROV_FLAG")
    await _propose(uow)
    await handlers.freeze(Freeze(proposal_id="p1", reason="khiếu nại", ref="KN-3", on=date(2024, 1, 20)),
                          CONTEXT, uow)
    with pytest.raises(Conflict) as frozen:
        await _council(uow, approve=20)
    assert "KN-3 (khiếu nại)" in frozen.value.params["refs"]
    with pytest.raises(Conflict) as unknown_ref:
        await handlers.unfreeze(Freeze(proposal_id="p1", reason="done", ref="KN-4"), CONTEXT, uow)
    assert (unknown_ref.value.code, unknown_ref.value.params["refs"]) == ("freeze.not_frozen", "KN-3")
    await handlers.unfreeze(Freeze(proposal_id="p1", reason="đã giải quyết", ref="KN-3"), CONTEXT, uow)
    await _council(uow, approve=20)
    await handlers.freeze(Freeze(unit_id="u", reason="inspection", ref="TTr-1"), CONTEXT, uow)
    assert uow.committed[-1].stream_id == "freeze:HNM:u"
    with pytest.raises(Conflict) as again:
        await handlers.freeze(Freeze(unit_id="u", reason="inspection", ref="TTr-1"), CONTEXT, uow)
    assert again.value.code == "freeze.exists"
    with pytest.raises(Conflict) as unit_frozen:
        await _decide(uow)
    assert "TTr-1 (inspection)" in unit_frozen.value.params["refs"]
    await handlers.unfreeze(Freeze(unit_id="u", reason="cleared", ref="TTr-1"), CONTEXT, uow)
    await _decide(uow)
    assert await _state(uow) is ProposalState.DECIDED


async def test_only_a_known_unit_and_an_unsettled_proposal_are_frozen() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    with pytest.raises(NotFound) as unknown:
        await handlers.freeze(Freeze(unit_id="nobody", reason="x", ref="KN-1"), CONTEXT, uow)
    assert unknown.value.code == "proposal.unknown_unit"
    await _propose(uow, "ADVANCED_COLLECTIVE")
    await _decide(uow)
    with pytest.raises(Conflict) as settled:
        await handlers.freeze(Freeze(proposal_id="p1", reason="x", ref="KN-1"), CONTEXT, uow)
    assert (settled.value.code, settled.value.params["state"]) == ("freeze.final", "decided")


async def test_a_decided_award_is_revoked_with_a_decision_and_only_then() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    await _propose(uow, "ADVANCED_COLLECTIVE")

    def revocation(on: date) -> RevokeAward:
        return RevokeAward(proposal_id="p1", decision_no="QĐ 9", reason="khai man thành tích", revoked_on=on,
                           ground="a")

    with pytest.raises(Conflict) as undecided:
        await handlers.revoke_award(revocation(date(2024, 5, 1)), CONTEXT, uow)
    assert undecided.value.params["needed"] == "decided"
    await _decide(uow)
    with pytest.raises(Invalid) as early:
        await handlers.revoke_award(revocation(date(2024, 2, 1)), CONTEXT, uow)
    assert early.value.code == "revoke.before_decision"
    committed = len(uow.committed)
    await handlers.revoke_award(revocation(date(2024, 5, 1)), CONTEXT, uow)
    assert await _state(uow) is ProposalState.REVOKED
    [revoked] = _events(uow, committed)
    assert isinstance(revoked, AwardRevoked)
    assert (revoked.ground, revoked.artefact_to_recover) == ("a", True)
    assert revoked.money_to_recover_vnd is not None
    assert revoked.money_to_recover_vnd > 0, "the reward money of the decision is recovered"
    with pytest.raises(Conflict) as twice:
        await handlers.revoke_award(revocation(date(2024, 6, 1)), CONTEXT, uow)
    assert (twice.value.code, twice.value.params["state"]) == ("proposal.wrong_state", "revoked")


# --- honouring votes --------------------------------------------------------------------------------------

MEMBERS = ["a", "b", "c", "d", "e", "f"]


async def _bloc_of(uow: FakeUnitOfWork, members: list[str], threshold: float = 2 / 3, quorum: float = 0.5,
                   ranked: bool = True) -> None:
    """Bloc b of ``members``, all tied first of the 2025 ranking if ``ranked``; the province's HNM-2025 (from
    2025-09-01) asks ``threshold`` and ``quorum``, and of a candidate for its flag only that it is registered,
    first of its bloc and not frozen (the standards are the rulebook's tests)."""
    uow.read_model.units.update(dict.fromkeys(members, "active"))
    uow.read_model.members["b"] = list(members)
    if ranked:
        uow.read_model.scores.update({("b", 2025, member): (90.0, 1) for member in members})
    rules = VoteRules(threshold=threshold, more_than=False, quorum=quorum,
                      citation="the province's emulation rules, art. 12")
    national = _form("PROV_FLAG", NATIONAL_DEFAULTS[1])
    eligibility = [rule.model_copy(update={"places": 1}) if isinstance(rule, LeadsBloc) else rule
                   for rule in national.rules.eligibility if isinstance(rule, Registered | LeadsBloc | NotFrozen
                                                                        | HonouredByVote)]
    await _adopt(uow, "HNM-2025", date(2025, 9, 1),
                 _form("PROV_FLAG", NATIONAL_DEFAULTS[1], vote=rules, eligibility=eligibility),
                 base=NATIONAL_DEFAULTS[1])


def _opening(vote_id: str = "v", award_code: str = "PROV_FLAG", threshold: float | None = None,
             candidates: tuple[str, ...] = ("a", "b"), opened_on: date = date(2025, 10, 1)) -> OpenHonoringVote:
    return OpenHonoringVote(vote_id=vote_id, bloc_id="b", year=2025, award_code=award_code,
                            candidates=list(candidates), threshold=threshold, opened_on=opened_on)


async def _cast(uow: FakeUnitOfWork, voter: str, choices: list[str], vote_id: str = "v") -> None:
    officer = uow.for_(CommandContext("HNM", Actor(id=f"officer-{voter}", role="unit_officer", unit_id=voter),
                                      "corr-2"))
    await votes.cast_ballot(CastBallot(vote_id=vote_id, voter_unit_id=voter, choices=choices), officer.context,
                            officer)


async def _close(uow: FakeUnitOfWork, vote_id: str = "v") -> HonoringVoteClosed:
    await votes.close_vote(CloseHonoringVote(vote_id=vote_id), CONTEXT, uow)
    closed = uow.committed[-1].typed()
    assert isinstance(closed, HonoringVoteClosed)
    return closed


async def test_the_rulebooks_threshold_and_quorum_are_the_votes_and_a_bloc_may_ask_for_more_never_less() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, MEMBERS)
    await votes.open_vote(_opening(), CONTEXT, uow)
    opened = uow.committed[-1].typed()
    assert isinstance(opened, HonoringVoteOpened)
    assert (opened.threshold, opened.quorum, opened.rule_version, opened.members) == (2 / 3, 0.5, "HNM-2025", 6)
    await votes.open_vote(_opening("v2", threshold=0.75), CONTEXT, uow)
    more = uow.committed[-1].typed()
    assert isinstance(more, HonoringVoteOpened)
    assert more.threshold == 0.75
    with pytest.raises(Invalid) as lower:
        await votes.open_vote(_opening("v3", threshold=0.5), CONTEXT, uow)
    assert lower.value.params["minimum"] == pytest.approx(2 / 3)
    assert str(lower.value.params["citation"]) == "the province's emulation rules, art. 12", \
        "a citation given as words keeps its words"
    with pytest.raises(Conflict) as again:
        await votes.open_vote(_opening(), CONTEXT, uow)
    assert again.value.code == "vote.exists"


async def test_a_form_the_rulebook_gives_no_vote_is_not_voted_on_and_no_vote_opens_after_today() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, MEMBERS)
    with pytest.raises(Conflict) as refused:
        await votes.open_vote(_opening(award_code="EXCELLENT_COLLECTIVE"), CONTEXT, uow)
    assert refused.value.code == "vote.not_for_form"
    with pytest.raises(Conflict) as outsiders:
        await votes.open_vote(_opening(candidates=("a", "z")), CONTEXT, uow)
    assert (outsiders.value.code, outsiders.value.params["units"]) == ("vote.candidates_not_members", "z")
    with pytest.raises(Invalid) as future:
        await votes.open_vote(_opening(opened_on=date(2025, 12, 2)), CONTEXT, uow)
    assert future.value.code == "vote.opened_in_future"


async def test_without_named_candidates_the_members_the_rules_find_eligible_stand() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, MEMBERS, ranked=False)
    unnamed = OpenHonoringVote(vote_id="v", bloc_id="b", year=2025, award_code="PROV_FLAG",
                               opened_on=date(2025, 10, 1))
    with pytest.raises(Conflict) as nobody:
        await votes.open_vote(unnamed, CONTEXT, uow)
    assert nobody.value.code == "vote.no_eligible_candidates"
    uow.read_model.scores[("b", 2025, "c")] = (97.5, 1)
    await votes.open_vote(unnamed, CONTEXT, uow)
    opened = uow.committed[-1].typed()
    assert isinstance(opened, HonoringVoteOpened)
    assert opened.candidates == ["c"], "the flag's candidates lead their bloc"


async def test_a_ballot_is_secret_cast_once_by_a_member_for_candidates_and_not_after_the_close() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, MEMBERS, quorum=0.0)
    await votes.open_vote(_opening(), CONTEXT, uow)
    await _cast(uow, "a", ["b"])
    cast = uow.log[-1]
    assert cast.typed() == BallotCast(vote_id="v", voter_unit_id="a")
    assert cast.actor["unit_id"] == "a"
    assert uow.read_model.sealed == {"v": [["b"]]}, "the choices are sealed without their voter"
    for voter, choices, code in (("a", ["a"], "vote.already_voted"), ("z", ["a"], "vote.not_a_member"),
                                 ("b", ["z"], "vote.not_candidates"), ("b", ["a", "a"], "vote.duplicate_choice")):
        with pytest.raises((Conflict, Invalid)) as refused:
            await _cast(uow, voter, choices)
        assert refused.value.code == code
    assert uow.read_model.sealed == {"v": [["b"]]}, "a refused ballot is not sealed"
    await _close(uow)
    with pytest.raises(Conflict) as closed:
        await _cast(uow, "c", ["a"])
    assert closed.value.code == "vote.closed"
    with pytest.raises(NotFound):
        await _cast(uow, "c", ["a"], vote_id="nowhere")


async def test_quorum_and_threshold_decide_the_honoured() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, MEMBERS, quorum=0.6)
    await votes.open_vote(_opening(), CONTEXT, uow)
    for voter in ("a", "b", "c"):
        await _cast(uow, voter, ["a"])
    with pytest.raises(Conflict) as few:
        await _close(uow)
    assert (few.value.code, few.value.params["quorum"]) == ("vote.no_quorum", "60%")
    await _cast(uow, "d", ["a", "b"])
    closed = await _close(uow)
    assert closed.ballots_cast == 4
    assert closed.honoured == ["a"], "4 of 6 members reach two thirds; 1 of 6 does not"


async def test_the_national_default_is_a_simple_majority_of_the_members() -> None:
    uow = FakeUnitOfWork()
    members = [*MEMBERS[:4], "g", "h", "i", "j"]
    uow.read_model.units.update(dict.fromkeys(members, "active"))
    uow.read_model.members["b"] = members
    await votes.open_vote(_opening(award_code="PROV_MERIT", opened_on=date(2025, 8, 1)), CONTEXT, uow)
    ballots = [["a", "b"]] * 4 + [["a"]] * 2
    for voter, choices in zip(["a", "b", "c", "d", "g", "h"], ballots, strict=True):
        await _cast(uow, voter, choices)
    closed = await _close(uow)
    assert [(row.unit_id, row.votes_for) for row in closed.results] == [("a", 6), ("b", 4)]
    assert closed.honoured == ["a"], "4 of 8 is half, not a majority"
    with pytest.raises(Invalid):
        await votes.open_vote(_opening("w", award_code="PROV_MERIT", threshold=0.5, opened_on=date(2025, 8, 1)),
                              CONTEXT, uow)


# --- votes for a number of places (issue 11, item 5) -------------------------------------------------

def _for_places(vote_id: str, places: int, candidates: tuple[str, ...] = ("a", "b", "c"),
                runoff_of: str | None = None) -> OpenHonoringVote:
    return OpenHonoringVote(vote_id=vote_id, bloc_id="b", year=2025, award_code="PROV_FLAG",
                            candidates=list(candidates), opened_on=date(2025, 10, 1), places=places,
                            runoff_of=runoff_of)


async def test_a_vote_has_at_most_as_many_places_as_candidates() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, MEMBERS)
    with pytest.raises(Invalid) as too_many:
        await votes.open_vote(_for_places("v", places=4), CONTEXT, uow)
    assert (too_many.value.code, too_many.value.params["candidates"]) == ("vote.places", 3)


async def test_an_empty_or_overfilled_ballot_is_kept_secret_and_counted_invalid() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, MEMBERS, threshold=0.3)
    await votes.open_vote(_for_places("v", places=1), CONTEXT, uow)
    for voter, choices in (("a", ["b"]), ("b", []), ("c", ["a", "b"]), ("d", ["b"])):
        await _cast(uow, voter, choices)
    closed = await _close(uow)
    assert (closed.ballots_cast, closed.invalid_ballots, closed.honoured) == (4, 2, ["b"])


async def test_a_tie_at_the_last_place_goes_to_a_further_round_among_the_tied_for_the_place_left() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, MEMBERS, threshold=0.3)
    await votes.open_vote(_for_places("v", places=2), CONTEXT, uow)
    for voter, choices in (("a", ["a", "b"]), ("b", ["a", "c"]), ("c", ["a", "b"]), ("d", ["a", "c"])):
        await _cast(uow, voter, choices)
    first = await _close(uow)
    assert (first.honoured, first.tied, first.places_left) == (["a"], ["b", "c"], 1)
    with pytest.raises(Invalid) as not_the_tied:
        await votes.open_vote(_for_places("v2", places=1, candidates=("a", "b"), runoff_of="v"), CONTEXT, uow)
    assert not_the_tied.value.code == "vote.runoff_of_the_tied"
    await votes.open_vote(_for_places("v2", places=1, candidates=("b", "c"), runoff_of="v"), CONTEXT, uow)
    for voter, choices in (("a", ["b"]), ("b", ["c"]), ("c", ["b"]), ("d", ["b"])):
        await _cast(uow, voter, choices, vote_id="v2")
    second = await _close(uow, "v2")
    assert (second.honoured, second.tied) == (["b"], [])
    with pytest.raises(Conflict) as settled:
        await votes.open_vote(_for_places("v3", places=1, candidates=("b", "c"), runoff_of="v2"), CONTEXT, uow)
    assert settled.value.code == "vote.no_tie"


async def test_a_named_candidate_the_rules_find_ineligible_is_refused_when_the_vote_opens() -> None:
    uow = FakeUnitOfWork()
    await _province(uow)
    uow.read_model.scores[("b", 2023, "w")] = (80.0, 4)
    before = list(uow.log)
    with pytest.raises(Conflict) as refused:
        await votes.open_vote(OpenHonoringVote(vote_id="v", bloc_id="b", year=2023, award_code="PROV_FLAG",
                                               candidates=["u", "w"], opened_on=date(2024, 1, 5)), CONTEXT, uow)
    assert (refused.value.code, refused.value.params["units"]) == ("vote.ineligible_candidates", "w")
    assert [problem["rule"] for problem in refused.value.params["problems"]] == ["leads_bloc"]
    assert uow.log == before


async def test_the_leader_proposed_for_the_government_flag_does_not_stand_for_the_provincial_flag() -> None:
    """One achievement, one form: the bloc's second vote honours the next unit."""
    uow = FakeUnitOfWork()
    await _province(uow, "GOV_FLAG")
    await _propose(uow, "GOV_FLAG", documents=ALL_DOCUMENTS[:2])
    await votes.open_vote(OpenHonoringVote(vote_id="v-flag", bloc_id="b", year=2023, award_code="PROV_FLAG",
                                           opened_on=date(2024, 1, 6)), CONTEXT, uow)
    opened = uow.committed[-1].typed()
    assert isinstance(opened, HonoringVoteOpened)
    assert opened.candidates == ["w"]
    with pytest.raises(Conflict) as twice:
        await _propose(uow, "PROV_MERIT", proposal_id="p-merit")
    [one_form] = [problem for problem in twice.value.params["problems"] if problem["rule"] == "one_form"]
    assert one_form["params"]["held"] == "GOV_FLAG (proposed)"


async def test_a_revoked_provincial_flag_flags_the_government_flag_whose_quota_counted_its_unit() -> None:
    uow = FakeUnitOfWork()
    await _province(uow, "GOV_FLAG")
    await _leaders_elsewhere(uow)
    await _propose(uow, "PROV_FLAG", proposal_id="flag-x5", unit_id="x5", bloc_id="k5")
    await _council(uow, approve=16, proposal_id="flag-x5")
    await _decide(uow, proposal_id="flag-x5")
    await _propose(uow, "GOV_FLAG", documents=ALL_DOCUMENTS[:2])
    await _council(uow, approve=18)
    await _forward(uow, date(2024, 3, 1), [Document(kind="council_minutes", ref="BB 7")])
    await _decide(uow, on=date(2024, 6, 1))
    committed = len(uow.committed)
    await handlers.revoke_award(RevokeAward(proposal_id="flag-x5", decision_no="QĐ 99/QĐ-UBND", reason="khai sai",
                                            revoked_on=date(2025, 3, 1), ground="a"), CONTEXT, uow)
    revoked, flagged = _events(uow, committed)
    assert isinstance(revoked, AwardRevoked)
    assert isinstance(flagged, AwardFlagged)
    assert (flagged.proposal_id, flagged.rests_on, flagged.ground, flagged.revocation_no) == (
        "p1", "flag-x5", "quota_leader", "QĐ 99/QĐ-UBND")
    assert (await uow.proposals.get("p1")).flags == ["flag-x5"]
    assert await _state(uow) is ProposalState.DECIDED, "flagged for review, not revoked by itself"


async def test_a_vote_is_dated_by_its_meeting_and_its_count_never_before_nor_in_the_future() -> None:
    uow = FakeUnitOfWork()
    await _bloc_of(uow, MEMBERS)
    await votes.open_vote(_opening(opened_on=date(2025, 10, 1)), CONTEXT, uow)
    opened = uow.committed[-1].typed()
    assert isinstance(opened, HonoringVoteOpened)
    assert opened.opened_on == date(2025, 10, 1)
    assert opened.occurred_on() == date(2025, 10, 1), "the envelope's occurred_at is the meeting's day"
    for voter in MEMBERS:
        await _cast(uow, voter, ["a"])

    with pytest.raises(Invalid) as before:
        await votes.close_vote(CloseHonoringVote(vote_id="v", closed_on=date(2025, 9, 30)), CONTEXT, uow)
    with pytest.raises(Invalid) as future:
        await votes.close_vote(CloseHonoringVote(vote_id="v", closed_on=TODAY + timedelta(days=1)), CONTEXT, uow)
    await votes.close_vote(CloseHonoringVote(vote_id="v", closed_on=date(2025, 10, 1)), CONTEXT, uow)

    assert before.value.code == "vote.closed_before_opened"
    assert future.value.code == "vote.closed_in_future"
    closed = uow.committed[-1].typed()
    assert isinstance(closed, HonoringVoteClosed)
    assert closed.closed_on == date(2025, 10, 1)
    assert closed.honoured == ["a"]
