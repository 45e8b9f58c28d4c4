"""Properties of the rules, over many generated cases: the Government flag's quota arithmetic, and the
eligibility engine's verdict whatever the order in which the facts it reads were recorded."""

from __future__ import annotations

import asyncio
import math
from datetime import date

from awards_fakes import CONTEXT, FakeUnitOfWork
from hypothesis import given, settings
from hypothesis import strategies as st

from awards.application import handlers, standings, votes
from awards.domain.commands import AttestStandard, CastBallot, CloseHonoringVote, OpenHonoringVote, RateQuality
from awards.domain.eligibility import Attestation, Facts, TargetResult, evaluate
from awards.domain.rulebook import in_force
from thidua_contracts.awards import StandardFact

BOOK = in_force(date(2025, 8, 1))
GOV_FLAG = BOOK.form("GOV_FLAG")


def _leader(unit_id: str, qualifies: bool) -> Facts:
    return Facts(unit_id=unit_id, year=2025, bloc_id=f"b-{unit_id}", rank=1, honoured_by=["v"],
                 targets=[TargetResult("t", qualifies, 105.0 if qualifies else 80.0)],
                 attested={fact: Attestation("BB", "") for fact in ("internal_unity", "party_excellent")})


@given(qualifying=st.integers(0, 40), failing=st.integers(0, 10), used=st.integers(0, 10))
def test_the_government_flags_quota_is_a_fifth_of_the_qualifying_leaders_rounded_down(
        qualifying: int, failing: int, used: int) -> None:
    assert GOV_FLAG is not None
    leaders = {**{f"q{index:02}": _leader(f"q{index:02}", True) for index in range(qualifying)},
               **{f"f{index:02}": _leader(f"f{index:02}", False) for index in range(failing)}}
    facts = _leader("u", True)
    facts.leaders, facts.quota_used = leaders, used
    [quota] = [check for check in evaluate(BOOK, GOV_FLAG, facts, "forward").checks if check.rule == "quota_leaders"]
    limit = math.floor(qualifying / 5)
    assert quota.params["limit"] == limit
    assert (quota.params["leaders"], quota.params["qualifying"]) == (qualifying + failing, qualifying)
    assert quota.ok == (used < limit), "the quota binds the forwarding"
    filed = evaluate(BOOK, GOV_FLAG, facts, "proposal")
    assert all(check.ok for check in filed.checks if check.rule == "quota_leaders"), "but never the filing"


ACTIONS = ("rate-2022", "rate-2023", "attest-unity", "attest-party", "attest-titles", "merit-vote", "targets")


async def _verdicts(order: list[str]) -> list[tuple[str, bool, list[str]]]:
    """Record the facts of unit u in ``order``, then judge it for every form of 2023."""
    uow = FakeUnitOfWork()
    uow.read_model.units.update({"u": "active", "w": "active"})
    uow.read_model.members.update({"b": ["u", "w"]})
    uow.read_model.scores.update({("b", 2023, "u"): (95.0, 1), ("b", 2023, "w"): (90.0, 2)})
    for action in order:
        if action.startswith("rate"):
            year = int(action[-4:])
            await standings.rate_quality(RateQuality(unit_id="u", year=year, rating="excellent", ref="QĐ 1",
                                                     rated_on=date(year + 1, 1, 2)), CONTEXT, uow)
        elif action.startswith("attest"):
            facts: dict[str, StandardFact] = {"unity": "internal_unity", "party": "party_excellent",
                                              "titles": "member_titles"}
            fact = facts[action[7:]]
            await standings.attest_standard(AttestStandard(unit_id="u", year=2023, fact=fact, ref="BB 1",
                                                           attested_on=date(2024, 1, 2)), CONTEXT, uow)
        elif action == "merit-vote":
            await votes.open_vote(OpenHonoringVote(vote_id="v", bloc_id="b", year=2023, award_code="PROV_MERIT",
                                                   candidates=["u", "w"], opened_on=date(2024, 1, 5)), CONTEXT, uow)
            for voter in ("u", "w"):
                await votes.cast_ballot(CastBallot(vote_id="v", voter_unit_id=voter, choices=["u"]), CONTEXT, uow)
            await votes.close_vote(CloseHonoringVote(vote_id="v"), CONTEXT, uow)
        else:
            uow.read_model.targets[("u", 2023)] = [TargetResult("t1", True, 110.0)]
    book = in_force(date(2024, 1, 10))
    found = []
    for form in book.forms:
        verdict = await handlers.verdict_for(uow.gather_facts, book, "HNM", "u", 2023, form.code, "b", "proposal",
                                             None)
        assert verdict is not None
        found.append((form.code, verdict.eligible, [check.code for check in verdict.checks]))
    return found


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(ACTIONS), size=st.integers(0, len(ACTIONS)))
def test_the_verdict_does_not_depend_on_the_order_in_which_the_facts_were_recorded(
        order: list[str], size: int) -> None:
    chosen = list(order[:size])
    in_order = asyncio.run(_verdicts(sorted(chosen, key=ACTIONS.index)))
    assert asyncio.run(_verdicts(chosen)) == in_order
    if size == len(ACTIONS):
        assert ("PROV_MERIT", True) in {(code, eligible) for code, eligible, _ in in_order}
