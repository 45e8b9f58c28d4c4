"""Honouring votes (bình xét, suy tôn): a bloc's members vote which units to propose for an award.

Ballots are secret: the log records that a unit voted (BallotCast), never what; the choices are kept
sealed apart from any voter, and only the tally is published when the vote closes (HonoringVoteClosed).
The rulebook in force when the vote opens sets its rules: more than ``quorum`` of the members must cast
a ballot, and a candidate is honoured with at least ``threshold`` of the members' votes (a share the
province sets, e.g. 0.5 or 2/3; a bloc may ask for more, never less).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from awards.domain.rulebook import Rulebook
from thidua_contracts import EventPayload
from thidua_contracts.awards import BallotCast, HonoringVoteClosed, HonoringVoteOpened, VoteResult
from thidua_shared.errors import Conflict, Invalid, NotFound


def vote_stream(province: str, vote_id: str) -> str:
    return f"vote:{province}:{vote_id}"


@dataclass
class HonoringVote:
    vote_id: str
    version: int = 0
    bloc_id: str = ""
    year: int = 0
    award_code: str = ""
    candidates: list[str] = field(default_factory=list)
    members: int = 0
    threshold: float = 0.0
    quorum: float = 0.5
    more_than: bool = False
    voters: set[str] = field(default_factory=set)
    closed: bool = False

    @classmethod
    def from_history(cls, vote_id: str, history: Iterable[EventPayload]) -> HonoringVote:
        vote = cls(vote_id)
        for event in history:
            if isinstance(event, HonoringVoteOpened):
                vote.bloc_id, vote.year, vote.award_code = event.bloc_id, event.year, event.award_code
                vote.candidates, vote.members, vote.threshold = list(event.candidates), event.members, event.threshold
                vote.quorum, vote.more_than = event.quorum, event.more_than
            elif isinstance(event, BallotCast):
                vote.voters.add(event.voter_unit_id)
            elif isinstance(event, HonoringVoteClosed):
                vote.closed = True
            vote.version += 1
        return vote

    def open(self, bloc_id: str, year: int, award_code: str, candidates: list[str], members: list[str],
             threshold: float | None, rulebook: Rulebook) -> list[EventPayload]:
        if self.version:
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
        return [HonoringVoteOpened(vote_id=self.vote_id, bloc_id=bloc_id, year=year, award_code=award_code,
                                   candidates=sorted(set(candidates)), members=len(members), threshold=threshold,
                                   quorum=rules.quorum, rule_version=rulebook.version,
                                   more_than=more_than)]

    def cast(self, voter_unit_id: str, choices: list[str], voter_is_member: bool) -> list[EventPayload]:
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
        return [BallotCast(vote_id=self.vote_id, voter_unit_id=voter_unit_id)]

    def close(self, sealed_ballots: list[list[str]]) -> list[EventPayload]:
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
        return [HonoringVoteClosed(vote_id=self.vote_id, ballots_cast=len(sealed_ballots), results=results,
                                   honoured=honoured)]

    def _require_open(self) -> None:
        if not self.version:
            raise NotFound("vote.not_found", vote_id=self.vote_id)
        if self.closed:
            raise Conflict("vote.closed", vote_id=self.vote_id)
