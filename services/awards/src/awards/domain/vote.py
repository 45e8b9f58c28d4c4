"""Honouring votes (bình xét, suy tôn): a bloc's members vote which units to propose for an award.

Ballots are secret: the log records that a unit voted (BallotCast), never what; the choices are kept
sealed apart from any voter, and only the tally is published when the vote closes (HonoringVoteClosed).
The rulebook in force when the vote opens sets its rules: more than ``quorum`` of the members must cast
a ballot, and a candidate is honoured with at least ``threshold`` of the members' votes (a share the
province sets, e.g. 0.5 or 2/3; a bloc may ask for more, never less).
"""

from __future__ import annotations

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
        self.voters: set[str] = set()
        self.closed = False
        self.honoured: list[str] = []

    @applies(HonoringVoteOpened)
    def _opened(self, event: HonoringVoteOpened) -> None:
        self.bloc_id, self.year, self.award_code = event.bloc_id, event.year, event.award_code
        self.candidates, self.members, self.threshold = list(event.candidates), event.members, event.threshold
        self.quorum, self.more_than = event.quorum, event.more_than

    @applies(BallotCast)
    def _cast(self, event: BallotCast) -> None:
        self.voters.add(event.voter_unit_id)

    @applies(HonoringVoteClosed)
    def _closed(self, event: HonoringVoteClosed) -> None:
        self.closed, self.honoured = True, list(event.honoured)

    def open(self, bloc_id: str, year: int, award_code: str, candidates: list[str], members: list[str],
             threshold: float | None, rulebook: Rulebook) -> None:
        if self.exists:
            raise Conflict("vote.exists", vote_id=self.vote_id)
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
        self.record(HonoringVoteOpened(vote_id=self.vote_id, bloc_id=bloc_id, year=year, award_code=award_code,
                                       candidates=sorted(set(candidates)), members=len(members),
                                       threshold=threshold, quorum=rules.quorum, rule_version=rulebook.version,
                                       more_than=more_than))

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

    def close(self, sealed_ballots: list[list[str]]) -> None:
        """The tally of the sealed ballots; refused unless more than ``quorum`` of the members voted."""
        self._require_open()
        if len(sealed_ballots) != len(self.voters):
            raise Conflict("vote.tally_mismatch", ballots=len(sealed_ballots), voters=len(self.voters))
        if len(self.voters) <= self.quorum * self.members + 1e-9:
            raise Conflict("vote.no_quorum", ballots=len(self.voters), members=self.members,
                           quorum=f"{self.quorum * 100:g}%")
        counts = {candidate: sum(candidate in ballot for ballot in sealed_ballots) for candidate in self.candidates}
        results = [VoteResult(unit_id=unit_id, votes_for=votes) for unit_id, votes in
                   sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
        needed = self.threshold * self.members
        honoured = [result.unit_id for result in results
                    if (result.votes_for > needed + 1e-9 if self.more_than else result.votes_for >= needed - 1e-9)]
        self.record(HonoringVoteClosed(vote_id=self.vote_id, ballots_cast=len(sealed_ballots), results=results,
                                       honoured=honoured))

    def _require_open(self) -> None:
        if not self.exists:
            raise NotFound("vote.not_found", vote_id=self.vote_id)
        if self.closed:
            raise Conflict("vote.closed", vote_id=self.vote_id)
