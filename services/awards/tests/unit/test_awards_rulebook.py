"""The rulebook in force on a date decides the forms, the rules and the version recorded."""

from __future__ import annotations

from datetime import date

import pytest

from awards.domain.adoption import ProvinceRulebooks
from awards.domain.eligibility import Attestation, Facts, TargetResult, evaluate
from awards.domain.model import Proposal
from awards.domain.rulebook import NATIONAL_DEFAULTS, ConsecutiveTitles, Deadline, Rulebook, in_force
from awards.entrypoints.common import Names, render_check
from thidua_contracts import EventPayload
from thidua_contracts.awards import AwardProposed, RulebookAdopted, RuleCheck
from thidua_shared.errors import Conflict, Invalid, NotFound


def _propose(proposal: Proposal, facts: Facts, code: str = "PROV_FLAG", on: date = date(2025, 1, 10),
             bloc: str | None = "b", score: tuple[float, int | None] | None = (95.0, 1),
             rulebook: Rulebook | None = None, known: bool = True) -> list[EventPayload]:
    """What proposing ``facts``' unit records."""
    book = rulebook or in_force(on)
    form = book.form(code)
    verdict = evaluate(book, form, facts) if form is not None else evaluate(book, book.forms[0], facts)
    proposal.propose(unit_id=facts.unit_id, year=facts.year, award_code=code, bloc_id=bloc, vote_id=None,
                     filed_on=on, documents=[], rulebook=book, verdict=verdict, score=score, unit_known=known)
    return list(proposal.pending)


UNITY = {fact: Attestation("BB 1/BB-KTĐ", "2025-01-03") for fact in ("internal_unity", "party_excellent")}
"""The provincial flag's attested standards."""


def leader(**changes: object) -> Facts:
    """A bloc's leader that meets the provincial flag's standard: first, honoured, its targets exceeded, its
    unity and its Party organisation attested."""
    facts = Facts(unit_id="u", year=2024, bloc_id="b", rank=1, total=95.0, honoured_by=["v1"], blocs_in_year=5,
                  targets=[TargetResult("t1", True, 104.0), TargetResult("t2", True, 100.0)], attested=dict(UNITY))
    for key, value in changes.items():
        setattr(facts, key, value)
    return facts


def test_decree_98_applies_until_30_june_2025_and_decree_152_from_1_july() -> None:
    assert in_force(date(2025, 6, 30)).version == "VN-98-2023"
    assert in_force(date(2025, 7, 1)).version == "VN-152-2025"


def test_both_national_defaults_name_the_five_forms_with_their_legal_basis() -> None:
    for book in NATIONAL_DEFAULTS:
        assert {form.code for form in book.forms} == {
            "GOV_FLAG", "PROV_FLAG", "PROV_MERIT", "EXCELLENT_COLLECTIVE", "ADVANCED_COLLECTIVE"}
        flag = book.form("GOV_FLAG")
        assert flag is not None
        assert flag.rules.council is not None
        assert flag.rules.council.share == 0.8
        assert flag.rules.quota is not None
        assert flag.rules.quota.share == 0.2
    quota = NATIONAL_DEFAULTS[1].form("GOV_FLAG").rules.quota  # type: ignore[union-attr]
    assert quota is not None
    assert quota.citation.vietnamese() == "khoản 1 Điều 7 Nghị định số 152/2025/NĐ-CP"
    assert quota.citation.english() == "clause 1, Article 7 of Decree 152/2025/NĐ-CP"


def test_a_proposal_records_the_rule_version_in_force_on_its_date_and_the_checks() -> None:
    [event] = _propose(Proposal("HNM", "p1"), leader())
    assert isinstance(event, AwardProposed)
    assert event.basis.rule_version == "VN-98-2023"
    assert (event.basis.total, event.basis.rank, event.basis.vote_id) == (95.0, 1, "v1")
    assert [check.rule for check in event.checks] == [
        "registered", "leads_bloc", "honoured_by_vote", "exceeded_targets", "attested", "attested", "not_frozen",
        "one_form", "quota_bloc_year"]
    assert all(check.ok for check in event.checks)


def test_an_unknown_award_form_is_refused_with_the_known_forms() -> None:
    with pytest.raises(Invalid) as refused:
        _propose(Proposal("HNM", "p1"), leader(), code="GOLD_STAR")
    assert "PROV_FLAG" in refused.value.params["forms"]


def test_a_bloc_proposal_needs_the_units_final_score_and_a_known_unit() -> None:
    with pytest.raises(Conflict, match=r"proposal\.no_score"):
        _propose(Proposal("HNM", "p1"), leader(), score=None)
    with pytest.raises(NotFound, match=r"proposal\.unknown_unit"):
        _propose(Proposal("HNM", "p1"), leader(), known=False)


@pytest.mark.parametrize(("changes", "rule", "found"), [
    ({"rank": 4}, "leads_bloc", {"rank": 4, "places": 3}),
    ({"honoured_by": []}, "honoured_by_vote", {"votes": "-"}),
    ({"unit_status": "dissolved"}, "registered", {"status": "dissolved"}),
    ({"quota_used": 1}, "quota_bloc_year", {"used": 1, "limit": 1}),
])
def test_each_unmet_rule_is_named_with_its_citation_and_what_was_found(
        changes: dict[str, object], rule: str, found: dict[str, object]) -> None:
    with pytest.raises(Conflict) as refused:
        _propose(Proposal("HNM", "p1"), leader(**changes))
    assert refused.value.code == "proposal.not_eligible"
    [problem] = refused.value.params["problems"]
    assert problem["rule"] == rule
    assert problem["citation"]
    assert found.items() <= problem["params"].items()


def test_a_freeze_pending_on_the_unit_blocks_the_proposal() -> None:
    from awards.domain.eligibility import Freeze
    with pytest.raises(Conflict) as refused:
        _propose(Proposal("HNM", "p1"), leader(freezes=[Freeze("TTr-12", "inspection")]))
    [problem] = refused.value.params["problems"]
    assert problem["rule"] == "not_frozen"
    assert "TTr-12 (inspection)" in problem["params"]["refs"]


def _leaders(qualifying: int, failing: int = 0) -> dict[str, Facts]:
    """Leaders honoured in other blocs: ``qualifying`` meet the provincial flag's standard, ``failing`` missed a
    target."""
    found = {f"q{index}": leader(unit_id=f"q{index}", year=2025) for index in range(qualifying)}
    for index in range(failing):
        found[f"f{index}"] = leader(unit_id=f"f{index}", year=2025, targets=[TargetResult("t1", False, 80.0)])
    return found


def test_the_government_flag_needs_the_provincial_flag_standard_judged_from_facts_never_the_flag_itself() -> None:
    book = in_force(date(2025, 8, 1))
    form = book.form("GOV_FLAG")
    assert form is not None
    facts = leader(year=2025, leaders=_leaders(5))
    assert evaluate(book, form, facts).eligible, "no provincial flag was proposed or given: its standard is met"
    missed = evaluate(book, form, leader(year=2025, leaders=_leaders(5), attested={}))
    [standard] = missed.failed()
    assert standard.rule == "meets_form_standard"
    assert standard.citation == "khoản 1 Điều 7 Nghị định số 152/2025/NĐ-CP"
    assert standard.cite == {"kind": "decree", "number": "152/2025/NĐ-CP", "issuer": "Chính phủ", "article": 7,
                             "clause": 1}
    assert standard.params["unmet"] == "attested, attested"
    assert [check.rule for check in standard.alternatives if not check.ok] == ["attested", "attested"]


def test_one_achievement_one_form_the_flags_and_the_merit_exclude_each_other_for_the_same_year() -> None:
    book = in_force(date(2025, 8, 1))
    for code, held in (("GOV_FLAG", "PROV_FLAG"), ("PROV_FLAG", "GOV_FLAG"), ("PROV_MERIT", "PROV_FLAG"),
                       ("PROV_FLAG", "PROV_MERIT")):
        form = book.form(code)
        assert form is not None
        verdict = evaluate(book, form, leader(year=2025, leaders=_leaders(5), held={(2025, held): "proposed"}))
        [one_form] = verdict.failed()
        assert (one_form.rule, one_form.params["held"]) == ("one_form", f"{held} (proposed)")
        other_year = evaluate(book, form, leader(year=2025, leaders=_leaders(5), held={(2024, held): "decided"}))
        assert other_year.eligible, f"{code}: a {held} of another year is another achievement"
    labour = book.form("EXCELLENT_COLLECTIVE")
    assert labour is not None
    base_title = evaluate(book, labour, leader(year=2025, held={(2025, "PROV_FLAG"): "decided"},
                                               ratings={2025: ["excellent"]},
                                               attested={"member_titles": Attestation("QĐ 5", "2026-01-05")}))
    assert base_title.eligible, "a base title under a flag is not a second form"


def test_the_government_flags_quota_is_20_percent_of_the_qualifying_leaders_and_binds_forwarding_not_filing() -> None:
    book = in_force(date(2025, 8, 1))
    form = book.form("GOV_FLAG")
    assert form is not None
    [quota] = [check for check in evaluate(book, form, leader(year=2025, leaders=_leaders(9, failing=1))).checks
               if check.rule == "quota_leaders"]
    assert (quota.params["leaders"], quota.params["qualifying"], quota.params["limit"]) == (10, 9, 1)
    assert quota.params["failing_units"] == "f0 (exceeded_targets)"
    assert quota.params["qualifying_units"].startswith("q0, q1")
    filed = evaluate(book, form, leader(year=2025, leaders=_leaders(9, failing=1), quota_used=1))
    assert filed.eligible, "a nominee beyond the quota may be filed: the council compares them"
    [nominee] = [check for check in filed.checks if check.rule == "quota_leaders"]
    assert nominee.code == "rule.quota_leaders.nominee"
    forwarded = evaluate(book, form, leader(year=2025, leaders=_leaders(9, failing=1), quota_used=1), stage="forward")
    [over] = forwarded.failed()
    assert (over.rule, over.code) == ("quota_leaders", "rule.quota_leaders.failed")
    assert evaluate(book, form, leader(year=2025, leaders=_leaders(10), quota_used=1), stage="forward").eligible, \
        "ten qualifying leaders make room for two"
    assert [check.rule for check in forwarded.checks] == ["registered", "not_frozen", "quota_leaders"], \
        "at the forwarding only facts are judged again"


def test_a_merit_needs_an_honouring_vote_or_two_consecutive_years_rated_excellent() -> None:
    book = in_force(date(2025, 8, 1))
    form = book.form("PROV_MERIT")
    assert form is not None
    neither = evaluate(book, form, leader(year=2025, honoured_by=[], ratings={2025: ["excellent"], 2024: ["good"]}))
    [any_of] = neither.failed()
    assert any_of.rule == "any_of"
    assert [alternative.params.get("short") for alternative in any_of.alternatives] == [None, "2024"]
    rated = {2024: ["excellent"], 2025: ["excellent"]}
    assert evaluate(book, form, leader(year=2025, honoured_by=[], ratings=rated)).eligible
    merged = {2024: ["excellent", "good"], 2025: ["excellent"]}
    assert not evaluate(book, form, leader(year=2025, honoured_by=[], ratings=merged)).eligible, \
        "before a merger every unit merged in must have been rated excellent"
    assert evaluate(book, form, leader(year=2025)).eligible


def test_the_labour_collectives_say_plainly_that_their_standard_rests_on_the_members_titles() -> None:
    book = in_force(date(2025, 8, 1))
    for code in ("EXCELLENT_COLLECTIVE", "ADVANCED_COLLECTIVE"):
        form = book.form(code)
        assert form is not None
        verdict = evaluate(book, form, leader(year=2025, ratings={2025: ["excellent"]}, attested={}))
        [titles] = verdict.failed()
        assert (titles.rule, titles.params["fact"]) == ("attested", "member_titles")


def test_before_the_vote_the_candidates_are_judged_without_its_outcome() -> None:
    book = in_force(date(2025, 8, 1))
    form = book.form("PROV_FLAG")
    merit = book.form("PROV_MERIT")
    assert form is not None
    assert merit is not None
    assert evaluate(book, form, leader(honoured_by=[]), stage="candidate").eligible
    assert not evaluate(book, form, leader(honoured_by=[], rank=4), stage="candidate").eligible
    before = evaluate(book, merit, leader(honoured_by=[], rank=6), stage="candidate")
    assert before.eligible, "a merit's vote is one of its grounds: any member may stand"
    assert [check.rule for check in before.checks] == ["registered", "not_frozen", "one_form"]


def _province_book(effective_from: date, **changes: object) -> Rulebook:
    national = NATIONAL_DEFAULTS[1]
    return national.model_copy(update={"version": "HNM-2025", "effective_from": effective_from,
                                       "legal_basis": ["QĐ 12/2025/QĐ-UBND"], **changes})


def test_a_province_adopts_its_own_version_which_rules_from_its_date() -> None:
    books = ProvinceRulebooks("HNM")
    books.adopt(_province_book(date(2025, 9, 1)))
    [adopted] = books.pending
    assert isinstance(adopted, RulebookAdopted)
    own = Rulebook.from_event(adopted)
    assert in_force(date(2025, 8, 31), [own]).version == "VN-152-2025"
    assert in_force(date(2025, 9, 1), [own]).version == "HNM-2025"
    again = ProvinceRulebooks("HNM").replay([adopted])
    with pytest.raises(Conflict):
        again.adopt(_province_book(date(2025, 10, 1)))
    with pytest.raises(Conflict):
        again.adopt(_province_book(date(2025, 7, 1)).model_copy(update={"version": "HNM-2"}))


def test_a_province_deadline_for_dossiers_is_enforced_with_its_citation() -> None:
    national = NATIONAL_DEFAULTS[1]
    flag = national.form("PROV_FLAG")
    assert flag is not None
    strict = flag.model_copy(update={"rules": flag.rules.model_copy(update={
        "file_by": Deadline(month=12, day=10, citation="QĐ 86/2025/QĐ-UBND art. 6")})})
    book = _province_book(date(2025, 9, 1), forms=[strict])
    with pytest.raises(Conflict) as late:
        _propose(Proposal("HNM", "p1"), leader(year=2025), on=date(2025, 12, 11), rulebook=book)
    assert late.value.code == "proposal.late"
    assert late.value.params["deadline"] == date(2025, 12, 10)
    [event] = _propose(Proposal("HNM", "p1"), leader(year=2025), on=date(2025, 12, 10), rulebook=book)
    assert isinstance(event, AwardProposed)
    assert event.basis.rule_version == "HNM-2025"


def test_consecutive_years_count_again_from_the_last_award_they_earned() -> None:
    book = in_force(date(2025, 8, 1))
    merit = book.form("PROV_MERIT")
    assert merit is not None
    titles_rule = ConsecutiveTitles(forms=["EXCELLENT_COLLECTIVE"], years=2, citation="a province's own rule")
    form = merit.model_copy(update={"rules": merit.rules.model_copy(update={"eligibility": [titles_rule]})})
    titles = {(year, "EXCELLENT_COLLECTIVE"): "decided" for year in (2022, 2023, 2024)}
    again = evaluate(book, form, leader(year=2024, honoured_by=[], held={**titles, (2023, "PROV_MERIT"): "decided"}))
    [titles_check] = again.failed()
    assert (titles_check.params["missing"], titles_check.params["since"]) == ("2023", 2024), \
        "2022-2023 earned the 2023 merit; 2023 cannot count again"
    later = evaluate(book, form, leader(year=2025, honoured_by=[], held={
        **titles, (2025, "EXCELLENT_COLLECTIVE"): "decided", (2023, "PROV_MERIT"): "decided"}))
    assert later.eligible


def test_a_dossier_dated_before_the_deadline_but_received_after_it_is_late() -> None:
    national = NATIONAL_DEFAULTS[1]
    flag = national.form("PROV_FLAG")
    assert flag is not None
    strict = flag.model_copy(update={"rules": flag.rules.model_copy(update={
        "file_by": Deadline(month=12, day=10, citation="QĐ 86/2025/QĐ-UBND art. 6")})})
    book = _province_book(date(2025, 9, 1), forms=[strict])
    facts = leader(year=2025)
    with pytest.raises(Conflict) as late:
        Proposal("HNM", "p1").propose(unit_id="u", year=2025, award_code="PROV_FLAG", bloc_id="b", vote_id=None,
                               filed_on=date(2025, 12, 1), documents=[], rulebook=book,
                               verdict=evaluate(book, strict, facts), score=(95.0, 1), unit_known=True,
                               received_on=date(2025, 12, 20))
    assert late.value.params["filed_on"] == date(2025, 12, 20)


def test_citations_are_fields_written_smallest_unit_first_in_vietnamese_and_in_english_on_request() -> None:
    from awards.domain.citation import LAW_2022, Cite
    point_b = LAW_2022.with_place(25, 1, "b")
    assert point_b.vietnamese() == "điểm b khoản 1 Điều 25 Luật Thi đua, khen thưởng năm 2022"
    assert point_b.english() == "point b, clause 1, Article 25 of the Law on Emulation and Commendation 2022"
    assert Cite(kind="directive", number="34-CT/TW").vietnamese() == "Chỉ thị số 34-CT/TW"
    assert Cite.model_validate({"text": "QĐ 86/2025/QĐ-UBND art. 6"}).in_language("en") == "QĐ 86/2025/QĐ-UBND art. 6"
    with pytest.raises(ValueError, match="a point belongs to a clause"):
        Cite(kind="law", title="Thi đua, khen thưởng", year=2022, article=25, point="b")


def test_a_rulebook_adopted_with_citations_in_words_reads_them_as_words() -> None:
    """Versions adopted before citations had fields stay readable: their words become the citation's text."""
    national = NATIONAL_DEFAULTS[0].adopted().model_dump(mode="json")
    for form in national["forms"]:
        for rule in form["rules"]["eligibility"]:
            rule["citation"] = "QĐ 12/2024/QĐ-UBND"
    national["version"] = "HNM-OLD"
    old = Rulebook.from_event(RulebookAdopted.model_validate(national))
    flag = old.form("PROV_FLAG")
    assert flag is not None
    assert {rule.citation.vietnamese() for rule in flag.rules.eligibility} == {"QĐ 12/2024/QĐ-UBND"}


def test_every_verdict_of_every_form_reads_in_vietnamese_and_in_english_with_what_was_found() -> None:
    """Each check of each form, met or not, renders whole: no parameter left out, in both languages."""
    from awards.domain.messages import CATALOGUE
    from thidua_shared.i18n import render

    book = in_force(date(2025, 8, 1))
    cases = {"met": leader(year=2025, ratings={2024: ["excellent"], 2025: ["excellent"]},
                           attested={**UNITY, "member_titles": Attestation("QĐ 5", "2026-01-05")},
                           leaders={"q1": leader(unit_id="q1", year=2025)}),
             "unmet": leader(year=2025, rank=5, honoured_by=[], targets=None, attested={}, unit_status="merged",
                             held={(2025, "PROV_FLAG"): "proposed"}, quota_used=3)}
    seen = set()
    for form in book.forms:
        for facts in cases.values():
            for stage in ("proposal", "forward"):
                for check in evaluate(book, form, facts, stage).checks:
                    for each in (check, *check.alternatives):
                        for language in ("vi", "en"):
                            text = render(CATALOGUE, each.code, language, each.params)
                            assert "{" not in text, (each.code, language, text)
                            assert text != each.code, (each.code, language)
                        seen.add(each.code)
    assert {"rule.one_form.failed", "rule.exceeded_targets.failed", "rule.attested.failed",
            "rule.quality_rating.ok", "rule.quota_leaders.nominee", "rule.quota_leaders.failed",
            "rule.meets_form_standard.failed"} <= seen
    text = render(CATALOGUE, "rule.one_form.failed", "vi", {"unit_id": "u", "held": "GOV_FLAG (proposed)",
                                                            "year": 2025})
    assert text == "Một thành tích chỉ khen một hình thức: đơn vị u đã có GOV_FLAG (proposed) cho thành tích năm 2025."


def test_a_form_already_held_is_named_with_its_state_in_the_readers_language() -> None:
    check = RuleCheck(rule="one_form", ok=False, citation="Luật Thi đua, khen thưởng năm 2022",
                      code="rule.one_form.failed",
                      params={"unit_id": "van-phong", "year": 2023, "held": "GOV_FLAG (decided)"})
    names = Names(units={"van-phong": "Văn phòng Tỉnh ủy"}, blocs={}, forms={"GOV_FLAG": "Cờ thi đua của Chính phủ"})

    vi, en = (render_check(check, language, names)["message"] for language in ("vi", "en"))

    assert vi == ("Một thành tích chỉ khen một hình thức: đơn vị Văn phòng Tỉnh ủy đã có Cờ thi đua của Chính phủ "
                  "(đã có quyết định) cho thành tích năm 2023.")
    assert en.endswith("already holds Cờ thi đua của Chính phủ (decided) for the achievement of 2023.")
