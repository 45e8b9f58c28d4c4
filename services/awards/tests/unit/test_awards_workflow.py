"""A proposal from filing to decision: dossier, council, forwarding, decision, freeze and revocation."""

from __future__ import annotations

from datetime import date

import pytest

from awards.domain.eligibility import Facts, Freeze, evaluate
from awards.domain.model import Proposal
from awards.domain.rulebook import NATIONAL_DEFAULTS, Rulebook, in_force
from thidua_contracts import EventPayload
from thidua_contracts.awards import (
    AwardDecided,
    AwardRejected,
    CouncilVoteRecorded,
    DossierDocument,
    ProposalReturned,
)
from thidua_shared.errors import Conflict, Invalid

FILED = date(2024, 1, 10)
ALL_DOCUMENTS = [DossierDocument(kind=kind, ref=f"{kind}-1")
                 for kind in ("submission", "achievement_report", "vote_minutes", "council_minutes")]


def facts(**changes: object) -> Facts:
    found = Facts(unit_id="u", year=2023, bloc_id="b", rank=1, total=95.0, honoured_by=["v1"], blocs_in_year=5,
                  held={(2023, "PROV_FLAG"): "proposed"})
    for key, value in changes.items():
        setattr(found, key, value)
    return found


class Story:
    """A proposal and its history, advanced step by step as the service would."""

    def __init__(self, code: str = "PROV_FLAG", documents: list[DossierDocument] | None = None) -> None:
        self.code = code
        self.history: list[EventPayload] = []
        book = in_force(FILED)
        form = book.form(code)
        assert form is not None
        self.do(lambda proposal: proposal.propose(
            unit_id="u", year=2023, award_code=code, bloc_id="b", vote_id=None, filed_on=FILED,
            documents=ALL_DOCUMENTS if documents is None else documents, rulebook=book,
            verdict=evaluate(book, form, facts()), score=(95.0, 1), unit_known=True))

    @property
    def proposal(self) -> Proposal:
        return Proposal.from_history("p1", self.history)

    def do(self, step: object) -> list[EventPayload]:
        decided: list[EventPayload] = step(self.proposal)  # type: ignore[operator]
        self.history.extend(decided)
        return decided

    def council(self, approve: int, members: int = 20, present: int = 18, written: int = 2,
                on: date = date(2024, 2, 1), rulebook: Rulebook | None = None) -> list[EventPayload]:
        return self.do(lambda proposal: proposal.record_council(
            members=members, present=present, approve=approve, reject=present + written - approve,
            written_votes=written, held_on=on, rulebook=rulebook or in_force(on), unit_freezes=[]))

    def decide(self, on: date = date(2024, 3, 1), used: int = 0, rulebook: Rulebook | None = None,
               **changes: object) -> list[EventPayload]:
        book = rulebook or in_force(on)
        form = book.form(self.code)
        assert form is not None
        found = facts(quota_used=used, **changes)
        verdict = evaluate(book, form, found, "decision")
        return self.do(lambda proposal: proposal.decide(
            decision_no="QĐ 1", decided_on=on, authority=None, rulebook=book, verdict=verdict,
            unit_status=found.unit_status,
            unit_freezes=found.freeze_refs()))


def test_a_flag_needs_80_percent_of_all_council_members_not_of_those_present() -> None:
    short = Story()
    recorded, rejected = short.council(approve=15)
    assert isinstance(recorded, CouncilVoteRecorded)
    assert isinstance(rejected, AwardRejected)
    assert (recorded.required, recorded.passed) == (16, False)
    assert short.proposal.state == "rejected"
    assert "Decree 98/2023/NĐ-CP art. 30" in rejected.reason
    enough = Story()
    [passed] = enough.council(approve=16)
    assert isinstance(passed, CouncilVoteRecorded)
    assert passed.passed
    assert enough.proposal.state == "approved"


def test_a_merit_needs_more_than_half_of_the_votes_cast() -> None:
    merit = Story("PROV_MERIT")
    [recorded, _] = merit.council(approve=10, present=18, written=2)
    assert isinstance(recorded, CouncilVoteRecorded)
    assert recorded.required == 11
    assert not recorded.passed


def test_the_councils_counts_must_add_up() -> None:
    with pytest.raises(Invalid) as attendance:
        Story().council(approve=16, members=20, present=19, written=2)
    assert attendance.value.code == "council.bad_attendance"
    with pytest.raises(Invalid, match=r"council\.too_many_votes"):
        Story().do(lambda proposal: proposal.record_council(
            members=20, present=18, approve=15, reject=5, written_votes=0, held_on=date(2024, 2, 1),
            rulebook=in_force(FILED), unit_freezes=[]))


def test_an_incomplete_dossier_is_returned_with_what_is_missing_and_resubmitted() -> None:
    story = Story(documents=[DossierDocument(kind="submission", ref="TTr 5")])
    with pytest.raises(Conflict) as early:
        story.council(approve=20)
    assert early.value.params["missing"] == "achievement_report, vote_minutes"
    [returned] = story.do(lambda proposal: proposal.return_for_completion(
        "thiếu báo cáo", ["photos"], in_force(FILED).form("PROV_FLAG"), date(2024, 1, 15)))
    assert isinstance(returned, ProposalReturned)
    assert returned.missing == ["achievement_report", "photos", "vote_minutes"]
    with pytest.raises(Invalid) as still:
        story.do(lambda proposal: proposal.resubmit(
            [DossierDocument(kind="achievement_report", ref="BC 1")], in_force(FILED).form("PROV_FLAG"),
            date(2024, 1, 20)))
    assert still.value.params["missing"] == "photos, vote_minutes"
    story.do(lambda proposal: proposal.resubmit(
        [DossierDocument(kind=kind, ref="x") for kind in ("achievement_report", "photos", "vote_minutes")],
        in_force(FILED).form("PROV_FLAG"), date(2024, 1, 20)))
    assert story.proposal.state == "proposed"
    [passed] = story.council(approve=17)
    assert isinstance(passed, CouncilVoteRecorded)
    assert passed.passed


def test_the_government_flag_is_forwarded_by_30_june_and_decided_centrally() -> None:
    story = Story("GOV_FLAG")
    story.council(approve=18)
    with pytest.raises(Conflict) as not_yet:
        story.decide()
    assert not_yet.value.params["needed"] == "forwarded"
    with pytest.raises(Conflict) as late:
        story.do(lambda proposal: proposal.forward("TTr 9", date(2024, 7, 1), [], in_force(date(2024, 7, 1)), []))
    assert late.value.code == "proposal.forward_late"
    assert late.value.params["deadline"] == date(2024, 6, 30)
    story.do(lambda proposal: proposal.forward("TTr 9", date(2024, 3, 1), [], in_force(date(2024, 3, 1)), []))
    with pytest.raises(Conflict) as no_provincial_flag:
        story.decide(on=date(2024, 6, 1), held={(2023, "PROV_FLAG"): "proposed"})
    assert no_provincial_flag.value.code == "decision.not_eligible"
    assert [problem["rule"] for problem in no_provincial_flag.value.params["problems"]] == ["meets_form_standard"]
    [decided] = story.decide(on=date(2024, 6, 1), held={(2023, "PROV_FLAG"): "decided"})
    assert isinstance(decided, AwardDecided)
    assert decided.authority == "Thủ tướng Chính phủ"


def test_a_provincial_flag_is_not_forwarded() -> None:
    story = Story()
    story.council(approve=16)
    with pytest.raises(Conflict) as refused:
        story.do(lambda proposal: proposal.forward("x", date(2024, 3, 1), [], in_force(date(2024, 3, 1)), []))
    assert refused.value.code == "proposal.not_central"


def test_the_quota_is_checked_again_at_decision_time_against_decisions_made() -> None:
    story = Story()
    story.council(approve=16)
    with pytest.raises(Conflict) as over:
        story.decide(used=1)
    assert over.value.code == "decision.over_quota"
    assert over.value.params["problems"][0]["params"]["limit"] == 1
    [decided] = story.decide(used=0)
    assert isinstance(decided, AwardDecided)


def test_a_frozen_proposal_or_unit_goes_no_further_until_unfrozen() -> None:
    story = Story()
    story.do(lambda proposal: proposal.freeze("khiếu nại", "KN-3", date(2024, 1, 20)))
    with pytest.raises(Conflict) as frozen:
        story.council(approve=20)
    assert "KN-3 (khiếu nại)" in frozen.value.params["refs"]
    with pytest.raises(Conflict):
        story.do(lambda proposal: proposal.unfreeze("done", "KN-4", date(2024, 1, 25)))
    story.do(lambda proposal: proposal.unfreeze("đã giải quyết", "KN-3", date(2024, 1, 25)))
    story.council(approve=20)
    with pytest.raises(Conflict) as unit_frozen:
        story.decide(freezes=[Freeze("TTr-1", "inspection")])
    assert "TTr-1 (inspection)" in unit_frozen.value.params["refs"]


def test_a_decided_award_is_revoked_with_a_decision_and_only_then() -> None:
    story = Story("ADVANCED_COLLECTIVE")
    with pytest.raises(Conflict):
        story.do(lambda proposal: proposal.revoke("QĐ 9", "sai", date(2024, 5, 1)))
    story.decide()
    with pytest.raises(Invalid):
        story.do(lambda proposal: proposal.revoke("QĐ 9", "sai", date(2024, 2, 1)))
    story.do(lambda proposal: proposal.revoke("QĐ 9", "khai man thành tích", date(2024, 5, 1)))
    assert story.proposal.state == "revoked"


def test_the_decision_records_the_version_in_force_on_its_date_so_moving_the_date_moves_the_version() -> None:
    national = NATIONAL_DEFAULTS[1]
    for effective_from, expected in ((date(2025, 9, 1), "HNM-2025"), (date(2025, 9, 2), "VN-152-2025")):
        own = national.model_copy(update={"version": "HNM-2025", "effective_from": effective_from})
        story = Story("ADVANCED_COLLECTIVE")
        on = date(2025, 9, 1)
        [decided] = story.decide(on=on, rulebook=in_force(on, [own]))
        assert isinstance(decided, AwardDecided)
        assert decided.rule_version == expected


def test_a_provinces_council_quorum_is_checked_before_the_share() -> None:
    national = NATIONAL_DEFAULTS[0]
    flag = national.form("PROV_FLAG")
    assert flag is not None
    assert flag.rules.council is not None
    council = flag.rules.council.model_copy(update={"quorum": 0.8, "citation": "QĐ 86/2025/QĐ-UBND art. 9"})
    strict = flag.model_copy(update={"rules": flag.rules.model_copy(update={"council": council})})
    own = national.model_copy(update={"version": "BNH-2024", "effective_from": date(2024, 1, 2),
                                      "forms": [strict]})
    with pytest.raises(Conflict) as thin:
        Story().council(approve=15, present=15, written=5, rulebook=own)
    assert thin.value.code == "council.no_quorum"
    assert (thin.value.params["needed"], thin.value.params["citation"]) == (16, "QĐ 86/2025/QĐ-UBND art. 9")
    [passed] = Story().council(approve=16, present=16, written=4, rulebook=own)
    assert isinstance(passed, CouncilVoteRecorded)
    assert (passed.rule_version, passed.passed) == ("BNH-2024", True)


def test_an_award_without_a_council_is_decided_directly_and_a_council_vote_is_refused() -> None:
    story = Story("ADVANCED_COLLECTIVE")
    with pytest.raises(Conflict) as refused:
        story.council(approve=20)
    assert refused.value.code == "council.not_needed"
    [decided] = story.decide()
    assert isinstance(decided, AwardDecided)
    assert decided.authority == "Thủ trưởng cơ quan"


def test_no_award_is_decided_for_a_unit_dissolved_after_its_proposal() -> None:
    story = Story("ADVANCED_COLLECTIVE")
    with pytest.raises(Conflict) as gone:
        story.decide(unit_status="dissolved")
    assert gone.value.code == "decision.unit_inactive"
    assert gone.value.params["status"] == "dissolved"


def test_the_council_minutes_go_with_the_government_flag_to_the_central_level() -> None:
    story = Story("GOV_FLAG", documents=ALL_DOCUMENTS[:2])
    story.council(approve=18)
    with pytest.raises(Conflict) as bare:
        story.do(lambda proposal: proposal.forward("TTr 9", date(2024, 3, 1), [], in_force(date(2024, 3, 1)), []))
    assert bare.value.params["missing"] == "council_minutes"
    minutes = [DossierDocument(kind="council_minutes", ref="BB 7")]
    story.do(lambda proposal: proposal.forward("TTr 9", date(2024, 3, 1), minutes, in_force(date(2024, 3, 1)), []))
    assert story.proposal.documents["council_minutes"] == "BB 7"


def test_a_unit_has_one_proposal_per_form_and_year() -> None:
    book = in_force(FILED)
    form = book.form("PROV_MERIT")
    assert form is not None
    with pytest.raises(Conflict) as twice:
        Proposal("p2").propose(unit_id="u", year=2023, award_code="PROV_MERIT", bloc_id="b", vote_id=None,
                               filed_on=FILED, documents=[], rulebook=book, verdict=evaluate(book, form, facts()),
                               score=(95.0, 1), unit_known=True, same_award=["p1"])
    assert twice.value.code == "proposal.duplicate"
    assert twice.value.params["proposals"] == "p1"


def test_only_what_was_forwarded_is_rejected_centrally() -> None:
    story = Story()
    with pytest.raises(Conflict) as never:
        story.do(lambda proposal: proposal.reject("không đạt", date(2024, 2, 1), "central"))
    assert never.value.code == "proposal.not_forwarded"
    [rejected] = story.do(lambda proposal: proposal.reject("không đạt", date(2024, 2, 1), "province"))
    assert isinstance(rejected, AwardRejected)
