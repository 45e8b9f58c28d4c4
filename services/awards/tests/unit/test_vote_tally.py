"""The honouring vote's count (issue 11, item 5): places, invalid ballots, thresholds, ties at the last place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from awards.domain.vote import tally

CANDIDATES = ["a", "b", "c", "d"]


def test_a_ballot_naming_none_or_more_than_the_places_is_invalid_and_counts_for_no_one() -> None:
    count = tally([["a"], [], ["a", "b", "c"], ["b"], ["a", "b"]], CANDIDATES, places=2, threshold=0.5, base=5,
                  more_than=False)
    assert count.invalid == 2
    assert [(result.unit_id, result.votes_for) for result in count.results] == [("a", 2), ("b", 2), ("c", 0),
                                                                               ("d", 0)]


def test_the_most_voted_past_the_threshold_win_the_places() -> None:
    ballots = [["a", "b"]] * 5 + [["a", "c"]] * 2 + [["c"]]
    count = tally(ballots, CANDIDATES, places=2, threshold=0.5, base=8, more_than=True)
    assert (count.honoured, count.tied) == (["a", "b"], [])


def test_a_tie_at_the_last_place_is_left_to_a_further_round_among_the_tied() -> None:
    ballots = [["a", "b"], ["a", "c"], ["a", "b"], ["a", "c"], ["d"]]
    count = tally(ballots, CANDIDATES, places=2, threshold=0.3, base=5, more_than=False)
    assert (count.honoured, count.tied, count.places_left) == (["a"], ["b", "c"], 1)


def test_the_threshold_of_those_present_passes_who_the_threshold_of_all_members_does_not() -> None:
    ballots = [["a"], ["a"], ["a"], ["b"]]
    of_members = tally(ballots, CANDIDATES, places=1, threshold=0.5, base=8, more_than=True)
    of_present = tally(ballots, CANDIDATES, places=1, threshold=0.5, base=len(ballots), more_than=True)
    assert (of_members.honoured, of_present.honoured) == ([], ["a"])


ballots_of = st.lists(st.lists(st.sampled_from(CANDIDATES), unique=True, max_size=4), max_size=30)


@given(ballots=ballots_of, places=st.integers(1, 4), threshold=st.sampled_from([0.3, 0.5, 2 / 3]),
       more_than=st.booleans())
def test_the_count_never_fills_more_places_than_it_has_and_settles_or_names_a_tie(
        ballots: list[list[str]], places: int, threshold: float, more_than: bool) -> None:
    count = tally(ballots, CANDIDATES, places, threshold, base=max(1, len(ballots)), more_than=more_than)
    valid = [ballot for ballot in ballots if 1 <= len(ballot) <= places]
    assert count.invalid == len(ballots) - len(valid)
    assert sum(result.votes_for for result in count.results) == sum(len(ballot) for ballot in valid)
    assert len(count.honoured) <= places
    votes = {result.unit_id: result.votes_for for result in count.results}
    if count.tied:
        assert len(count.honoured) + len(count.tied) > places
        assert count.places_left == places - len(count.honoured) >= 1
        assert len({votes[unit] for unit in count.tied}) == 1, "the tied have the same votes"
        assert all(votes[unit] > votes[count.tied[0]] for unit in count.honoured)
    else:
        assert count.places_left == 0
    losers = set(CANDIDATES) - set(count.honoured) - set(count.tied)
    assert all(votes[winner] >= votes[loser] for winner in count.honoured for loser in losers)


@given(ballots=ballots_of, places=st.integers(1, 4))
def test_the_order_ballots_are_counted_in_does_not_change_the_outcome(ballots: list[list[str]], places: int) -> None:
    forward = tally(ballots, CANDIDATES, places, 0.5, base=max(1, len(ballots)), more_than=False)
    backward = tally(list(reversed(ballots)), CANDIDATES, places, 0.5, base=max(1, len(ballots)), more_than=False)
    assert (forward.honoured, forward.tied, forward.results) == (backward.honoured, backward.tied, backward.results)
