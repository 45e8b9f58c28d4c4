"""What a paper is made of: the records the awards read models hold, as the papers read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class BlocRecord:
    """A bloc as the registry named it, and the unit that chairs it in the year."""

    bloc_id: str
    name: str | None
    kind: str | None
    """``khoi`` (agencies by sector) or ``cum`` (localities)."""
    chair_unit_id: str | None = None


@dataclass(frozen=True)
class VoteRecord:
    """An honouring vote and its tally, with what its opening recorded (the rule of the threshold) and the
    day it closed in Viet Nam."""

    vote_id: str
    bloc_id: str
    year: int
    award_code: str
    candidates: list[str]
    members: int
    threshold: float
    threshold_of: str
    """``members``: a share of all the members; ``present``: of the ballots cast."""
    more_than: bool
    places: int | None
    closed: bool
    results: list[tuple[str, int]] = field(default_factory=list)
    """(unit, votes for) on the valid ballots, most first."""
    honoured: list[str] = field(default_factory=list)
    ballots_cast: int = 0
    invalid_ballots: int = 0
    tied: list[str] = field(default_factory=list)
    places_left: int = 0
    runoff_of: str | None = None
    closed_on: date | None = None
    rule_version: str | None = None


@dataclass(frozen=True)
class CouncilRecord:
    """The provincial council's vote on one proposal."""

    members: int
    present: int
    approve: int
    reject: int
    written_votes: int
    held_on: date | None
    required: int | None
    passed: bool | None


@dataclass(frozen=True)
class DecisionRecord:
    decision_no: str
    decided_on: date
    authority: str
    rule_version: str
    reward_vnd: int | None = None
    reward_multiple: float | None = None
    base_salary_vnd: int | None = None
    base_salary_basis: str | None = None


@dataclass(frozen=True)
class ProposalRecord:
    proposal_id: str
    bloc_id: str | None
    year: int
    unit_id: str
    award_code: str
    state: str
    total: float | None
    rank: int | None
    rule_version: str
    filed_on: date | None = None
    vote_id: str | None = None
    documents: dict[str, str] = field(default_factory=dict)
    council: CouncilRecord | None = None
    decision: DecisionRecord | None = None
