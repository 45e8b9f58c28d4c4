"""An honouring vote takes its threshold and quorum from the rulebook in force when it opens."""

from __future__ import annotations

from datetime import date

import pytest

from awards.domain.rulebook import NATIONAL_DEFAULTS, VoteRules, in_force
from awards.domain.vote import HonoringVote
from thidua_contracts import EventPayload
from thidua_contracts.awards import HonoringVoteClosed, HonoringVoteOpened
from thidua_shared.errors import Conflict, Invalid

MEMBERS = ["a", "b", "c", "d", "e", "f"]


def _opened(threshold: float | None = None, code: str = "PROV_FLAG", quorum: float = 0.5) -> list[EventPayload]:
    book = NATIONAL_DEFAULTS[1]
    form = book.form("PROV_FLAG")
    assert form is not None
    rules = VoteRules(threshold=2 / 3, more_than=False, quorum=quorum,
                      citation="the province's emulation rules, art. 12")
    own = book.model_copy(update={"version": "HNM-2025", "forms": [
        form.model_copy(update={"rules": form.rules.model_copy(update={"vote": rules})}), *book.forms[1:]]})
    return HonoringVote("v").open("k", 2025, code, ["a", "b"], MEMBERS, threshold, own)


def test_the_rulebooks_threshold_and_quorum_are_the_votes() -> None:
    [opened] = _opened()
    assert isinstance(opened, HonoringVoteOpened)
    assert (opened.threshold, opened.quorum, opened.rule_version) == (2 / 3, 0.5, "HNM-2025")


def test_a_bloc_may_ask_for_more_never_less_than_the_rulebook() -> None:
    [opened] = _opened(threshold=0.75)
    assert isinstance(opened, HonoringVoteOpened)
    assert opened.threshold == 0.75
    with pytest.raises(Invalid) as lower:
        _opened(threshold=0.5)
    assert lower.value.params["minimum"] == pytest.approx(2 / 3)
    assert lower.value.params["citation"] == "the province's emulation rules, art. 12"


def test_a_form_the_rulebook_gives_no_vote_is_not_voted_on() -> None:
    with pytest.raises(Conflict) as refused:
        HonoringVote("v").open("k", 2025, "EXCELLENT_COLLECTIVE", ["a"], MEMBERS, None, in_force(date(2025, 8, 1)))
    assert refused.value.code == "vote.not_for_form"


def test_quorum_and_threshold_decide_the_honoured() -> None:
    history = list(_opened(quorum=0.6))
    vote = HonoringVote.from_history("v", history)
    for voter in ("a", "b", "c"):
        history += vote.cast(voter, ["a"], True)
        vote = HonoringVote.from_history("v", history)
    with pytest.raises(Conflict) as few:
        vote.close([["a"]] * 3)
    assert few.value.params["quorum"] == "60%"
    history += vote.cast("d", ["a", "b"], True)
    vote = HonoringVote.from_history("v", history)
    [closed] = vote.close([["a"], ["a"], ["a"], ["a", "b"]])
    assert isinstance(closed, HonoringVoteClosed)
    assert closed.honoured == ["a"], "4 of 6 members reach two thirds; 1 of 6 does not"


def test_the_national_default_is_a_simple_majority_of_the_members() -> None:
    book = in_force(date(2025, 8, 1))
    members = [*MEMBERS[:4], "g", "h", "i", "j"]
    history: list[EventPayload] = list(HonoringVote("v").open("k", 2025, "PROV_FLAG", ["a", "b"], members, None, book))
    voters = ["a", "b", "c", "d", "g", "h"]
    for voter in voters:
        history += HonoringVote.from_history("v", history).cast(voter, ["a"], True)
    ballots = [["a", "b"]] * 4 + [["a"]] * 2
    [closed] = HonoringVote.from_history("v", history).close(ballots)
    assert isinstance(closed, HonoringVoteClosed)
    assert [(row.unit_id, row.votes_for) for row in closed.results] == [("a", 6), ("b", 4)]
    assert closed.honoured == ["a"], "4 of 8 is half, not a majority"
    with pytest.raises(Invalid):
        HonoringVote("w").open("k", 2025, "PROV_FLAG", ["a"], MEMBERS, 0.5, book)
