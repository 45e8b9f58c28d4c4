"""Awards read models: scoring's final scores, and its own proposals board."""

from __future__ import annotations

from sqlalchemy import ColumnElement, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.tables import (
    bloc_leaders,
    blocs,
    freezes,
    members,
    proposals,
    provinces,
    rulebooks,
    scores,
    standings,
    target_results,
    units,
    votes,
)
from awards.domain.model import ProposalState
from awards.domain.reliance import reliances
from thidua_contracts.awards import (
    AttestationWithdrawn,
    AwardDecided,
    AwardFlagged,
    AwardFrozen,
    AwardProposed,
    AwardRejected,
    AwardRevoked,
    AwardUnfrozen,
    BallotCast,
    CouncilVoteRecorded,
    ForwardedToCentral,
    HonoringVoteClosed,
    HonoringVoteOpened,
    ProposalResubmitted,
    ProposalReturned,
    QualityRatingRecorded,
    RulebookAdopted,
    StandardAttested,
)
from thidua_contracts.registry import (
    BlocEstablished,
    ChairElected,
    ProvinceRegistered,
    ProvincesMerged,
    UnitDissolved,
    UnitJoinedBloc,
    UnitLeftBloc,
    UnitRegistered,
    UnitRenamed,
    UnitsMerged,
    ViceChairElected,
)
from thidua_contracts.scoring import RankingPublished, TargetResultsRecorded, UnitScored
from thidua_shared.projection import Handler, Projection
from thidua_shared.store import StoredEvent

OWN_EVENTS = Projection()
"""Awards' own events: the proposals board, the honouring votes, the freezes and the rulebooks."""
REGISTRY_EVENTS = Projection()
"""The registry's events: units, their mergers and memberships, as awards needs them."""
SCORING_EVENTS = Projection()
"""Scoring's events: the final scores and the published ranking."""


@SCORING_EVENTS.handles(UnitScored)
async def unit_scored(connection: AsyncConnection, event: StoredEvent, payload: UnitScored) -> None:
    key = {"province": event.province, "bloc_id": payload.bloc_id, "year": payload.year, "unit_id": payload.unit_id}
    await connection.execute(_FORGET_SCORE, key)
    await connection.execute(_SCORE, {**key, "total": payload.total, "source_event_id": event.event_id})


_FORGET_SCORE = delete(scores).where(
    scores.c.province == bindparam("province"), scores.c.bloc_id == bindparam("bloc_id"),
    scores.c.year == bindparam("year"), scores.c.unit_id == bindparam("unit_id"))
"""Built once: every score scoring records comes here (building the expression cost more than running it)."""
_SCORE = scores.insert()


@OWN_EVENTS.handles(AwardProposed)
async def award_proposed(connection: AsyncConnection, event: StoredEvent, payload: AwardProposed) -> None:
    await connection.execute(proposals.insert().values(
        province=event.province, proposal_id=payload.proposal_id, bloc_id=payload.bloc_id,
        year=payload.year, unit_id=payload.unit_id, award_code=payload.award_code, state=ProposalState.PROPOSED,
        total=payload.basis.total, rank=payload.basis.rank, rule_version=payload.basis.rule_version,
        proposed_at=event.recorded_at, filed_on=payload.filed_on, vote_id=payload.basis.vote_id,
        documents={document.kind: document.ref for document in payload.documents}, missing=payload.missing, frozen=[],
        reliances=reliances(payload.year, payload.checks), flags=[]))


def _proposal(event: StoredEvent, proposal_id: str) -> ColumnElement[bool]:
    return (proposals.c.province == event.province) & (proposals.c.proposal_id == proposal_id)


@OWN_EVENTS.handles(ProposalReturned)
async def proposal_returned(connection: AsyncConnection, event: StoredEvent, payload: ProposalReturned) -> None:
    await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
        state=ProposalState.RETURNED, missing=payload.missing))


@OWN_EVENTS.handles(ProposalResubmitted)
async def proposal_resubmitted(connection: AsyncConnection, event: StoredEvent, payload: ProposalResubmitted) -> None:
    documents = await connection.scalar(select(proposals.c.documents).where(_proposal(event, payload.proposal_id)))
    merged = {**(documents or {}), **{document.kind: document.ref for document in payload.documents}}
    await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
        state=ProposalState.PROPOSED, missing=[], documents=merged))


@OWN_EVENTS.handles(CouncilVoteRecorded)
async def council_voted(connection: AsyncConnection, event: StoredEvent, payload: CouncilVoteRecorded) -> None:
    await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
        # Short of the share, AwardRejected follows in the same batch and says "rejected".
        **({"state": ProposalState.APPROVED} if payload.passed is not False else {}),
        council=payload.model_dump(mode="json", exclude={"proposal_id"})))


ProposalStep = ForwardedToCentral | AwardDecided | AwardRejected | AwardRevoked


def _proposal_step(state: ProposalState, column: str) -> Handler[ProposalStep]:
    """A step that moves a proposal to ``state`` and is kept whole in ``column`` of the board."""

    async def apply(connection: AsyncConnection, event: StoredEvent, payload: ProposalStep) -> None:
        await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
            {"state": state, column: payload.model_dump(mode="json", exclude={"proposal_id"})}))

    return apply


def _relying_step(state: ProposalState, column: str) -> Handler[ForwardedToCentral | AwardDecided]:
    """A step that moves a proposal to ``state``, is kept in ``column`` and adds what its checks rested on."""
    step = _proposal_step(state, column)

    async def apply(connection: AsyncConnection, event: StoredEvent,
                    payload: ForwardedToCentral | AwardDecided) -> None:
        await step(connection, event, payload)
        row = (await connection.execute(select(proposals.c.year, proposals.c.reliances).where(
            _proposal(event, payload.proposal_id)))).first()
        if row is not None and payload.checks:
            await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
                reliances=[*(row.reliances or []), *reliances(int(row.year), payload.checks)]))

    return apply


forwarded_to_central = OWN_EVENTS.handles(ForwardedToCentral)(_relying_step(ProposalState.FORWARDED, "forwarding"))
award_decided = OWN_EVENTS.handles(AwardDecided)(_relying_step(ProposalState.DECIDED, "decision"))


@OWN_EVENTS.handles(AwardFlagged)
async def award_flagged(connection: AsyncConnection, event: StoredEvent, payload: AwardFlagged) -> None:
    flags = await connection.scalar(select(proposals.c.flags).where(_proposal(event, payload.proposal_id)))
    await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
        flags=[*(flags or []), payload.model_dump(mode="json", exclude={"proposal_id"})]))
award_rejected = OWN_EVENTS.handles(AwardRejected)(_proposal_step(ProposalState.REJECTED, "rejection"))
award_revoked = OWN_EVENTS.handles(AwardRevoked)(_proposal_step(ProposalState.REVOKED, "revocation"))


def _freeze_key(event: StoredEvent, payload: AwardFrozen | AwardUnfrozen) -> ColumnElement[bool]:
    subject, subject_id = _freeze_subject(payload)
    return (freezes.c.province == event.province) & (freezes.c.subject == subject) \
        & (freezes.c.subject_id == subject_id) & (freezes.c.ref == payload.ref)


def _freeze_subject(payload: AwardFrozen | AwardUnfrozen) -> tuple[str, str]:
    return ("proposal", payload.proposal_id) if payload.proposal_id else ("unit", payload.unit_id or "")


async def _mark_proposal_frozen(connection: AsyncConnection, event: StoredEvent, proposal_id: str, ref: str,
                                frozen: bool) -> None:
    """The proposal's list of the freezes holding it: ``ref`` added while frozen, removed once lifted."""
    current = await connection.scalar(select(proposals.c.frozen).where(_proposal(event, proposal_id)))
    refs = [held for held in (current or []) if held != ref]
    if frozen:
        refs.append(ref)
    await connection.execute(update(proposals).where(_proposal(event, proposal_id)).values(frozen=refs))


@OWN_EVENTS.handles(AwardFrozen)
async def award_frozen(connection: AsyncConnection, event: StoredEvent, payload: AwardFrozen) -> None:
    subject, subject_id = _freeze_subject(payload)
    await connection.execute(delete(freezes).where(_freeze_key(event, payload)))
    await connection.execute(freezes.insert().values(
        province=event.province, subject=subject, subject_id=subject_id, ref=payload.ref,
        unit_id=payload.unit_id or "", reason=payload.reason, frozen_on=payload.on))
    if payload.proposal_id:
        await _mark_proposal_frozen(connection, event, payload.proposal_id, payload.ref, frozen=True)


@OWN_EVENTS.handles(AwardUnfrozen)
async def award_unfrozen(connection: AsyncConnection, event: StoredEvent, payload: AwardUnfrozen) -> None:
    await connection.execute(update(freezes).where(_freeze_key(event, payload)).values(
        unfrozen_on=payload.on, lift_reason=payload.reason))
    if payload.proposal_id:
        await _mark_proposal_frozen(connection, event, payload.proposal_id, payload.ref, frozen=False)


@OWN_EVENTS.handles(RulebookAdopted)
async def rulebook_adopted(connection: AsyncConnection, event: StoredEvent, payload: RulebookAdopted) -> None:
    await connection.execute(rulebooks.insert().values(
        province=event.province, version=payload.version, effective_from=payload.effective_from,
        body=payload.model_dump(mode="json")))


@REGISTRY_EVENTS.handles(UnitRegistered)
async def unit_registered(connection: AsyncConnection, event: StoredEvent, payload: UnitRegistered) -> None:
    await connection.execute(units.insert().values(
        province=event.province, unit_id=payload.unit_id, name=payload.name, status="active"))


@REGISTRY_EVENTS.handles(UnitRenamed)
async def unit_renamed(connection: AsyncConnection, event: StoredEvent, payload: UnitRenamed) -> None:
    """Verdicts and papers name a unit by the name it bears now."""
    await connection.execute(update(units).where(
        units.c.province == event.province, units.c.unit_id == payload.unit_id).values(name=payload.name))


@REGISTRY_EVENTS.handles(UnitDissolved)
async def unit_dissolved(connection: AsyncConnection, event: StoredEvent, payload: UnitDissolved) -> None:
    # A merger also dissolves its sources (on their own streams, in no set order with UnitsMerged): "merged"
    # says more and stays.
    await connection.execute(update(units).where(
        units.c.province == event.province, units.c.unit_id == payload.unit_id, units.c.status != "merged",
    ).values(status="dissolved"))


@REGISTRY_EVENTS.handles(UnitsMerged)
async def units_merged(connection: AsyncConnection, event: StoredEvent, payload: UnitsMerged) -> None:
    """The merged units' award history carries over to the unit they merged into."""
    await connection.execute(update(units).where(
        units.c.province == event.province, units.c.unit_id.in_(payload.from_unit_ids),
        units.c.unit_id != payload.into_unit_id).values(status="merged", merged_into=payload.into_unit_id))


@SCORING_EVENTS.handles(RankingPublished)
async def ranking_published(connection: AsyncConnection, event: StoredEvent, payload: RankingPublished) -> None:
    """The published rank of each unit; totals come with it, so the ranking is the final word."""
    for entry in payload.ranking:
        key = (scores.c.province == event.province) & (scores.c.bloc_id == payload.bloc_id) \
            & (scores.c.year == payload.year) & (scores.c.unit_id == entry.unit_id)
        changed = await connection.execute(update(scores).where(key).values(
            rank=entry.rank, total=entry.total, ranking_version=payload.version))
        if not changed.rowcount:
            await connection.execute(scores.insert().values(
                province=event.province, bloc_id=payload.bloc_id, year=payload.year, unit_id=entry.unit_id,
                total=entry.total, source_event_id=event.event_id, rank=entry.rank,
                ranking_version=payload.version))


@REGISTRY_EVENTS.handles(UnitJoinedBloc)
async def unit_joined_bloc(connection: AsyncConnection, event: StoredEvent, payload: UnitJoinedBloc) -> None:
    await connection.execute(members.insert().values(
        province=event.province, bloc_id=payload.bloc_id, unit_id=payload.unit_id, joined_on=payload.effective_on))


@REGISTRY_EVENTS.handles(UnitLeftBloc)
async def unit_left_bloc(connection: AsyncConnection, event: StoredEvent, payload: UnitLeftBloc) -> None:
    await connection.execute(update(members).where(
        members.c.province == event.province, members.c.bloc_id == payload.bloc_id,
        members.c.unit_id == payload.unit_id, members.c.left_on.is_(None)).values(left_on=payload.effective_on))


def _vote(event: StoredEvent, vote_id: str) -> ColumnElement[bool]:
    return (votes.c.province == event.province) & (votes.c.vote_id == vote_id)


@OWN_EVENTS.handles(HonoringVoteOpened)
async def vote_opened(connection: AsyncConnection, event: StoredEvent, payload: HonoringVoteOpened) -> None:
    await connection.execute(votes.insert().values(
        province=event.province, vote_id=payload.vote_id, bloc_id=payload.bloc_id, year=payload.year,
        award_code=payload.award_code, candidates=payload.candidates, members=payload.members,
        threshold=payload.threshold, voters=[], state="open", places=payload.places,
        threshold_of=payload.threshold_of, runoff_of=payload.runoff_of))


@OWN_EVENTS.handles(BallotCast)
async def ballot_cast(connection: AsyncConnection, event: StoredEvent, payload: BallotCast) -> None:
    voters = await connection.scalar(select(votes.c.voters).where(_vote(event, payload.vote_id)))
    await connection.execute(update(votes).where(_vote(event, payload.vote_id))
                             .values(voters=sorted([*(voters or []), payload.voter_unit_id])))


@OWN_EVENTS.handles(HonoringVoteClosed)
async def vote_closed(connection: AsyncConnection, event: StoredEvent, payload: HonoringVoteClosed) -> None:
    await connection.execute(update(votes).where(_vote(event, payload.vote_id)).values(
        state="closed", results=[result.model_dump() for result in payload.results], honoured=payload.honoured,
        invalid_ballots=payload.invalid_ballots, tied=payload.tied, places_left=payload.places_left))


StandingStep = QualityRatingRecorded | StandardAttested | AttestationWithdrawn


async def standing_changed(connection: AsyncConnection, event: StoredEvent, payload: StandingStep) -> None:
    """The unit-year's row, created on its first fact; each change is kept in its history."""
    key = (standings.c.province == event.province) & (standings.c.unit_id == payload.unit_id) \
        & (standings.c.year == payload.year)
    row = (await connection.execute(select(standings.c.attested, standings.c.history).where(key))).first()
    attested: dict[str, object] = dict(row.attested) if row is not None else {}
    history = [*(row.history if row is not None else []),
               {"event": type(payload).__name__, "recorded_at": event.recorded_at,
                **payload.model_dump(mode="json", exclude={"unit_id", "year"})}]
    values: dict[str, object] = {"history": history}
    if isinstance(payload, QualityRatingRecorded):
        values.update(rating=payload.rating, rating_ref=payload.ref, rated_on=payload.rated_on)
    elif isinstance(payload, StandardAttested):
        attested[payload.fact] = {"ref": payload.ref, "on": payload.attested_on.isoformat(), "note": payload.note}
    else:
        attested.pop(payload.fact, None)
    values["attested"] = attested
    if row is None:
        await connection.execute(standings.insert().values(
            province=event.province, unit_id=payload.unit_id, year=payload.year, **values))
    else:
        await connection.execute(update(standings).where(key).values(**values))


OWN_EVENTS.handles(QualityRatingRecorded)(standing_changed)
OWN_EVENTS.handles(StandardAttested)(standing_changed)
OWN_EVENTS.handles(AttestationWithdrawn)(standing_changed)


@SCORING_EVENTS.handles(TargetResultsRecorded)
async def target_results_recorded(connection: AsyncConnection, event: StoredEvent,
                                  payload: TargetResultsRecorded) -> None:
    """The unit's results of the year as scoring last recorded them: the standard "exceeded its targets"."""
    await connection.execute(delete(target_results).where(
        target_results.c.province == event.province, target_results.c.unit_id == payload.unit_id,
        target_results.c.year == payload.year))
    await connection.execute(target_results.insert().values(
        province=event.province, unit_id=payload.unit_id, year=payload.year, bloc_id=payload.bloc_id,
        recorded_on=payload.recorded_on, results=[result.model_dump(mode="json") for result in payload.results]))


@REGISTRY_EVENTS.handles(ProvinceRegistered)
async def province_registered(connection: AsyncConnection, event: StoredEvent, payload: ProvinceRegistered) -> None:
    """The province's name, for the place and date of its papers."""
    await connection.execute(delete(provinces).where(provinces.c.province == event.province))
    await connection.execute(provinces.insert().values(province=event.province, name=payload.name))


@REGISTRY_EVENTS.handles(ProvincesMerged)
async def provinces_merged(connection: AsyncConnection, event: StoredEvent, payload: ProvincesMerged) -> None:
    """The provinces merged into another from the day the merger takes effect (each merged province's topic and
    the receiving one's carry the event: applying it twice changes nothing)."""
    await connection.execute(update(provinces).where(provinces.c.province.in_(payload.from_codes)).values(
        merged_into=payload.into_code, merged_on=payload.effective_on))


@REGISTRY_EVENTS.handles(BlocEstablished)
async def bloc_established(connection: AsyncConnection, event: StoredEvent, payload: BlocEstablished) -> None:
    await connection.execute(delete(blocs).where(blocs.c.province == event.province,
                                                 blocs.c.bloc_id == payload.bloc_id))
    await connection.execute(blocs.insert().values(province=event.province, bloc_id=payload.bloc_id,
                                                   name=payload.name, kind=payload.kind))


async def _leader_elected(connection: AsyncConnection, event: StoredEvent, payload: ChairElected | ViceChairElected,
                          role: str) -> None:
    """The latest election of the bloc's year stands (a re-election replaces the one before)."""
    await connection.execute(delete(bloc_leaders).where(
        bloc_leaders.c.province == event.province, bloc_leaders.c.bloc_id == payload.bloc_id,
        bloc_leaders.c.year == payload.year, bloc_leaders.c.role == role))
    await connection.execute(bloc_leaders.insert().values(province=event.province, bloc_id=payload.bloc_id,
                                                          year=payload.year, role=role, unit_id=payload.unit_id))


@REGISTRY_EVENTS.handles(ChairElected)
async def chair_elected(connection: AsyncConnection, event: StoredEvent, payload: ChairElected) -> None:
    await _leader_elected(connection, event, payload, "chair")


@REGISTRY_EVENTS.handles(ViceChairElected)
async def vice_chair_elected(connection: AsyncConnection, event: StoredEvent, payload: ViceChairElected) -> None:
    await _leader_elected(connection, event, payload, "vice_chair")
