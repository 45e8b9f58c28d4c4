"""What the awards GET routes answer: the read models as ``awards.adapters.queries`` gives them and the verdicts
the routes render, so that the OpenAPI describes them."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict


class RulebookVersion(BaseModel):
    """A rulebook version as ``awards.domain.rulebook.Rulebook`` holds it (its forms, rules and deadlines)."""

    model_config = ConfigDict(extra="allow")

    version: str
    effective_from: date
    legal_basis: list[str]
    forms: list[dict[str, Any]]
    adopted_by_province: bool


class Rulebooks(BaseModel):
    in_force: str
    versions: list[RulebookVersion]


class CheckShown(BaseModel):
    """One rule applied to one unit, its message in the caller's language; ``alternatives`` for ``any_of``."""

    rule: str
    ok: bool
    citation: str
    message: str
    alternatives: list[CheckShown] | None = None


class VerdictShown(BaseModel):
    unit_id: str
    year: int
    award_code: str
    rule_version: str
    eligible: bool
    checks: list[CheckShown]


class Candidates(BaseModel):
    """The bloc's members for a form, each with its verdict, and those eligible."""

    bloc_id: str
    year: int
    award_code: str
    rule_version: str
    eligible: list[str]
    members: list[VerdictShown]


class VoteResult(BaseModel):
    unit_id: str
    votes_for: int


class Vote(BaseModel):
    """An honouring vote: who may be honoured, who has voted (never what), and once closed its tally."""

    vote_id: str
    bloc_id: str
    year: int
    award_code: str
    candidates: list[str]
    members: int
    threshold: float
    voters: list[str]
    state: str
    results: list[VoteResult] | None
    honoured: list[str] | None
    places: int | None
    """How many units the vote may honour (none: a vote recorded before places existed)."""
    threshold_of: str
    """``members``: the threshold is a share of all the members; ``present``: of those who voted."""
    runoff_of: str | None
    invalid_ballots: int | None
    tied: list[str] | None
    """Tied at the last place: a further round among them decides ``places_left``."""
    places_left: int | None


class Proposal(BaseModel):
    """A proposal as it stands; the steps it went through each leave their record (council, decision...)."""

    proposal_id: str
    bloc_id: str | None
    year: int
    unit_id: str
    award_code: str
    state: str
    total: float | None
    rank: int | None
    rule_version: str
    proposed_at: str
    filed_on: date | None
    vote_id: str | None
    documents: dict[str, str] | None
    missing: list[str] | None
    council: dict[str, Any] | None
    decision: dict[str, Any] | None
    rejection: dict[str, Any] | None
    forwarding: dict[str, Any] | None
    revocation: dict[str, Any] | None
    frozen: list[str] | None
    flags: list[dict[str, Any]] | None = None
    """Revoked awards this one rested on, each flagged for the province's review."""


class ProposalsBoard(BaseModel):
    proposals: list[Proposal]
    by_state: dict[str, int]
    by_bloc: dict[str, int]
    by_form: dict[str, int]


class RankingEntry(BaseModel):
    unit_id: str
    rank: int | None
    total: float
    ranking_version: int | None


class Step(BaseModel):
    """An event of the proposal or of its vote; a ballot's voter is kept secret."""

    event_type: str
    recorded_at: str
    actor: dict[str, Any]
    hash: str
    payload: dict[str, Any]
    checks: list[CheckShown] | None = None


class Explanation(BaseModel):
    """Why: the proposal, its bloc's ranking, its vote, every step, and the rules of the versions it met."""

    proposal: Proposal
    ranking: list[RankingEntry]
    vote: Vote | None
    steps: list[Step]
    rules: dict[str, dict[str, Any] | None]


class FreezeRecord(BaseModel):
    """A freeze; its subject, unit and reasons are shown to the admin and the auditor only."""

    ref: str
    frozen_on: date | None
    unfrozen_on: date | None
    subject: str | None = None
    subject_id: str | None = None
    unit_id: str | None = None
    reason: str | None = None
    lift_reason: str | None = None


class UnitAward(Proposal):
    via: str | None
    """The merged predecessor the proposal was made for, if not the unit itself."""


class UnitAwards(BaseModel):
    unit_id: str
    predecessors: list[str]
    awards: list[UnitAward]
    freezes: list[FreezeRecord]


class KnownUnit(BaseModel):
    province: str
    unit_id: str
    name: str
    status: str
    merged_into: str | None


class KnownScore(BaseModel):
    province: str
    bloc_id: str
    year: int
    unit_id: str
    total: float
    source_event_id: str
    rank: int | None
    ranking_version: int | None


class Standing(BaseModel):
    """A unit's standing in a year: its quality rating and the standards attested, with every change."""

    unit_id: str
    year: int
    rating: str | None
    rating_ref: str | None
    rated_on: date | None
    attested: dict[str, dict[str, Any]]
    history: list[dict[str, Any]]


class RuleSide(BaseModel):
    """One rule of a verdict under one rulebook version: met or not, its citation and message in the caller's
    language."""

    ok: bool
    citation: str
    message: str
    alternatives: list[CheckShown] | None = None


class RuleDifferenceShown(BaseModel):
    """A rule judged otherwise under the two versions (a side is null where its version has no such rule), or
    (among ``recited``) met alike but cited otherwise."""

    rule: str
    rule_name: str
    applied: RuleSide | None
    other: RuleSide | None


class ProposalWhatIf(BaseModel):
    """A proposal judged at filing under the version pinned on it and under the other, from the same facts."""

    proposal_id: str
    unit_id: str
    unit_name: str
    award_code: str
    award_name: str
    applied_version: str
    eligible_applied: bool
    eligible_other: bool | None
    """None: the other version has no such form."""
    differs: bool
    differences: list[RuleDifferenceShown]
    recited: list[RuleDifferenceShown]


class WhatIf(BaseModel):
    """A bloc-year's proposals judged again under another rulebook version; nothing is recorded."""

    bloc_id: str
    bloc_name: str
    year: int
    rulebook: str
    proposals: list[ProposalWhatIf]
    differing: list[str]
    """The proposals whose verdict would differ."""
