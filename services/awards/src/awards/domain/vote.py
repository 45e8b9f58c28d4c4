"""Honouring votes (bình xét, suy tôn): a bloc's members vote which units to propose for an award.

Ballots are secret: the log records that a unit voted (BallotCast), never what; the choices are kept
sealed apart from any voter, and only the tally is published when the vote closes (HonoringVoteClosed).
The rulebook in force when the vote opens sets its rules: more than ``quorum`` of the members must cast
a ballot, and a candidate passes with (more than, or at least) ``threshold`` of the members' votes, or of
the votes of those present where the rulebook says so (a share the province sets, e.g. 0.5 or 2/3; a bloc
may ask for more, never less).

A vote is for a number of places. A ballot names at most that many candidates; an empty or overfilled
ballot is kept, and counted as invalid. The candidates past the threshold with the most votes win the
places; a tie at the last place leaves it to a new round among the tied (a vote opened as the runoff of
this one, for the places left).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from awards.domain.rulebook import Rulebook
from thidua_contracts.awards import BallotCast, HonoringVoteClosed, HonoringVoteOpened, VoteResult
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Invalid, NotFound


def vote_stream(province: str, vote_id: str) -> str:
    return f"vote:{province}:{vote_id}"


class HonoringVote(Aggregate):
    def __init__(self, province: str, vote_id: str) -> None:
        super().__init__(vote_stream(province, vote_id), province)
        self.vote_id = vote_id
        self.bloc_id = ""
        self.year = 0
        self.award_code = ""
        self.candidates: list[str] = []
        self.members = 0
        self.threshold = 0.0
        self.quorum = 0.5
        self.more_than = False
        self.places: int | None = None
        self.of_present = False
        self.voters: set[str] = set()
        self.closed = False
        self.honoured: list[str] = []
        self.tied: list[str] = []
        self.places_left = 0
        self.opened_on: date | None = None

    @applies(HonoringVoteOpened)
    def _opened(self, event: HonoringVoteOpened) -> None:
        self.bloc_id, self.year, self.award_code = event.bloc_id, event.year, event.award_code
        self.candidates, self.members, self.threshold = list(event.candidates), event.members, event.threshold
        self.quorum, self.more_than = event.quorum, event.more_than
        self.places, self.of_present = event.places, event.threshold_of == "present"
        self.opened_on = event.opened_on

    @applies(BallotCast)
    def _cast(self, event: BallotCast) -> None:
        self.voters.add(event.voter_unit_id)

    @applies(HonoringVoteClosed)
    def _closed(self, event: HonoringVoteClosed) -> None:
        self.closed, self.honoured = True, list(event.honoured)
        self.tied, self.places_left = list(event.tied), event.places_left

    def open(self, bloc_id: str, year: int, award_code: str, candidates: list[str], members: list[str],
             threshold: float | None, rulebook: Rulebook, places: int | None = None,
             runoff_of: HonoringVote | None = None, opened_on: date | None = None) -> None:
        """``places`` defaults to one per candidate. A runoff is for the places its vote left, among the
        candidates tied there (by default all of them)."""
        if self.exists:
            raise Conflict("vote.exists", vote_id=self.vote_id)
        if runoff_of is not None:
            candidates, places = self._runoff(runoff_of, bloc_id, year, award_code, candidates, places)
        form = rulebook.form(award_code)
        if form is None:
            raise Invalid("proposal.unknown_form", award_code=award_code, forms=rulebook.codes())
        rules = form.rules.vote
        if rules is None:
            raise Conflict("vote.not_for_form", award_code=award_code, rule_version=rulebook.version)
        more_than = rules.more_than and threshold is None
        if threshold is None:
            threshold = rules.threshold
        elif threshold < rules.threshold or (rules.more_than and threshold <= rules.threshold):
            raise Invalid("vote.threshold_below_rulebook", threshold=threshold, minimum=rules.threshold,
                          rule_version=rulebook.version, citation=rules.citation)
        if not candidates:
            raise Invalid("vote.no_candidates")
        outsiders = sorted(set(candidates) - set(members))
        if outsiders:
            raise Conflict("vote.candidates_not_members", units=", ".join(outsiders), bloc_id=bloc_id)
        if not 0 < threshold <= 1:
            raise Invalid("vote.bad_threshold", threshold=threshold)
        candidates = sorted(set(candidates))
        places = len(candidates) if places is None else places
        if not 1 <= places <= len(candidates):
            raise Invalid("vote.places", places=places, candidates=len(candidates))
        self.record(HonoringVoteOpened(vote_id=self.vote_id, bloc_id=bloc_id, year=year, award_code=award_code,
                                       candidates=candidates, members=len(members),
                                       threshold=threshold, quorum=rules.quorum, rule_version=rulebook.version,
                                       more_than=more_than, places=places,
                                       threshold_of="present" if rules.of_present else "members",
                                       runoff_of=runoff_of.vote_id if runoff_of is not None else None,
                                       opened_on=opened_on))

    @staticmethod
    def _runoff(first: HonoringVote, bloc_id: str, year: int, award_code: str, candidates: list[str],
                places: int | None) -> tuple[list[str], int]:
        if not first.closed or not first.tied:
            raise Conflict("vote.no_tie", vote_id=first.vote_id)
        if (first.bloc_id, first.year, first.award_code) != (bloc_id, year, award_code):
            raise Invalid("vote.runoff_differs", vote_id=first.vote_id, bloc_id=first.bloc_id, year=first.year,
                          award_code=first.award_code)
        chosen = sorted(set(candidates)) if candidates else list(first.tied)
        if chosen != first.tied or (places is not None and places != first.places_left):
            raise Invalid("vote.runoff_of_the_tied", vote_id=first.vote_id, units=", ".join(first.tied),
                          places=first.places_left)
        return chosen, first.places_left

    def cast(self, voter_unit_id: str, choices: list[str], voter_is_member: bool) -> None:
        """Record that ``voter_unit_id`` voted; the caller seals ``choices`` apart from the voter."""
        self._require_open()
        if not voter_is_member:
            raise Conflict("vote.not_a_member", unit_id=voter_unit_id, bloc_id=self.bloc_id)
        if voter_unit_id in self.voters:
            raise Conflict("vote.already_voted", unit_id=voter_unit_id)
        unknown = sorted(set(choices) - set(self.candidates))
        if unknown:
            raise Invalid("vote.not_candidates", units=", ".join(unknown))
        if len(set(choices)) != len(choices):
            raise Invalid("vote.duplicate_choice")
        self.record(BallotCast(vote_id=self.vote_id, voter_unit_id=voter_unit_id))
        # an empty or overfilled ballot is kept, as a paper one would be, and counted as invalid at the close

    def close(self, sealed_ballots: list[list[str]], closed_on: date | None = None) -> None:
        """The tally of the sealed ballots; refused unless more than ``quorum`` of the members voted."""
        self._require_open()
        if closed_on is not None and self.opened_on is not None and closed_on < self.opened_on:
            raise Invalid("vote.closed_before_opened", closed_on=closed_on, opened_on=self.opened_on)
        if len(sealed_ballots) != len(self.voters):
            raise Conflict("vote.tally_mismatch", ballots=len(sealed_ballots), voters=len(self.voters))
        if len(self.voters) <= self.quorum * self.members + 1e-9:
            raise Conflict("vote.no_quorum", ballots=len(self.voters), members=self.members,
                           quorum=f"{self.quorum * 100:g}%")
        count = tally(sealed_ballots, self.candidates, self.places, self.threshold,
                      len(sealed_ballots) if self.of_present else self.members, self.more_than)
        self.record(HonoringVoteClosed(vote_id=self.vote_id, ballots_cast=len(sealed_ballots), results=count.results,
                                       honoured=count.honoured, invalid_ballots=count.invalid, tied=count.tied,
                                       places_left=count.places_left, closed_on=closed_on))

    def _require_open(self) -> None:
        if not self.exists:
            raise NotFound("vote.not_found", vote_id=self.vote_id)
        if self.closed:
            raise Conflict("vote.closed", vote_id=self.vote_id)


@dataclass(frozen=True)
class Tally:
    results: list[VoteResult]
    """Votes for each candidate on the valid ballots, most first (then by unit)."""
    honoured: list[str]
    invalid: int
    tied: list[str]
    """Tied at the last place, past the threshold: a new round among them decides ``places_left``."""
    places_left: int


def tally(ballots: list[list[str]], candidates: list[str], places: int | None, threshold: float, base: int,
          more_than: bool) -> Tally:
    """Count the ballots: a valid one names 1 to ``places`` candidates (any number where the vote has no
    places). A candidate passes with more than (or at least) ``threshold`` of ``base``; of those who pass,
    the most voted win the places; a tie at the last place is left to a new round."""
    limit = places if places is not None else len(candidates)
    valid = [ballot for ballot in ballots if 1 <= len(ballot) <= limit]
    counts = {candidate: sum(candidate in ballot for ballot in valid) for candidate in candidates}
    results = [VoteResult(unit_id=unit_id, votes_for=votes)
               for unit_id, votes in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    needed = threshold * base
    passed = [result for result in results
              if (result.votes_for > needed + 1e-9 if more_than else result.votes_for >= needed - 1e-9)]
    tied: list[str] = []
    if len(passed) <= limit:
        honoured = [result.unit_id for result in passed]
    else:
        last = passed[limit - 1].votes_for
        honoured = [result.unit_id for result in passed if result.votes_for > last]
        at_last = [result.unit_id for result in passed if result.votes_for == last]
        if len(honoured) + len(at_last) == limit:
            honoured += at_last
        else:
            tied = sorted(at_last)
    return Tally(results, honoured, len(ballots) - len(valid), tied, limit - len(honoured) if tied else 0)
