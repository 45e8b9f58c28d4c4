"""The papers of the dossier, composed from what the read models hold: each use case reads its facts through
:class:`PaperFacts`, chooses the records its paper is about, and refuses (404, 409) when there are none."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Protocol

from awards.domain.papers.decision import DraftDecision, draft_decision, to_decide
from awards.domain.papers.dossier import ProposalList, Submission, listed, proposal_list, submission, to_submit
from awards.domain.papers.minutes import CouncilMinutes, VoteMinutes, council_minutes, council_sessions, vote_minutes
from awards.domain.papers.records import BlocRecord, ProposalRecord, VoteRecord
from awards.domain.papers.setting import Setting
from awards.domain.papers.words import short_date
from awards.domain.rulebook import Form, Rulebook, in_force
from thidua_shared.errors import Conflict, Invalid, NotFound


class PaperFacts(Protocol):
    """What the papers read: names the registry gave, the votes, the proposals and the rulebooks."""

    async def province_name(self, province: str, on: date) -> str | None:
        """The name of the province in office on ``on`` (after a merger, the new province's)."""
        ...

    async def unit_names(self, province: str) -> Mapping[str, str]: ...

    async def blocs(self, province: str, year: int) -> Mapping[str, BlocRecord]:
        """Every bloc the registry named, with its chair of ``year``."""
        ...

    async def vote(self, province: str, vote_id: str) -> VoteRecord | None: ...

    async def proposals(self, province: str, year: int) -> list[ProposalRecord]: ...

    async def rulebooks(self, province: str) -> list[Rulebook]:
        """The province's own versions (the national defaults are in the domain)."""
        ...


async def setting_of(facts: PaperFacts, province: str, year: int, on: date) -> Setting:
    adopted = await facts.rulebooks(province)
    rulebook = in_force(on, adopted)
    return Setting(province_name=await facts.province_name(province, on), units=await facts.unit_names(province),
                   blocs=await facts.blocs(province, year), rulebook=rulebook, rulebooks=adopted)


def _form(setting: Setting, award_code: str) -> Form:
    form = setting.form(award_code)
    if form is None:
        raise Invalid("proposal.unknown_form", award_code=award_code, forms=setting.rulebook.codes())
    return form


async def minutes_of_vote(facts: PaperFacts, province: str, vote_id: str, today: date,
                          held_on: date | None = None) -> VoteMinutes:
    """The minutes of a closed vote, dated the day of the meeting: ``held_on``, by default the day it closed (a
    vote recorded after its meeting names the day the bloc met)."""
    vote = await facts.vote(province, vote_id)
    if vote is None:
        raise NotFound("vote.not_found", vote_id=vote_id)
    if not vote.closed:
        raise Conflict("paper.vote_open", vote_id=vote_id)
    day = held_on or vote.closed_on or today
    return vote_minutes(await setting_of(facts, province, vote.year, day), vote, day)


async def submission_of(facts: PaperFacts, province: str, year: int, award_code: str, on: date,
                        bloc_id: str | None = None) -> Submission:
    setting = await setting_of(facts, province, year, on)
    form = _form(setting, award_code)
    proposals = to_submit(await facts.proposals(province, year), form, year, bloc_id)
    if not proposals and bloc_id is not None:
        raise Conflict("paper.nothing_from_bloc", bloc_id=bloc_id, form=form.name, year=year)
    if not proposals:
        raise Conflict("paper.nothing_to_submit", form=form.name, year=year)
    votes = {}
    for vote_id in sorted({proposal.vote_id for proposal in proposals if proposal.vote_id}):
        vote = await facts.vote(province, vote_id)
        if vote is not None:
            votes[vote_id] = vote
    return submission(setting, form, year, proposals, on, bloc_id, votes)


async def list_of_proposals(facts: PaperFacts, province: str, year: int, on: date, award_code: str | None = None,
                            bloc_id: str | None = None) -> ProposalList:
    setting = await setting_of(facts, province, year, on)
    if award_code is not None:
        _form(setting, award_code)
    proposals = listed(await facts.proposals(province, year), year, award_code, bloc_id)
    if not proposals:
        raise Conflict("paper.no_proposals", year=year)
    return proposal_list(setting, year, proposals, on, award_code, bloc_id)


async def minutes_of_council(facts: PaperFacts, province: str, year: int, today: date, award_code: str | None = None,
                             held_on: date | None = None) -> CouncilMinutes:
    """The council's session of ``held_on`` (by default its latest) on the year's proposals of the form given."""
    voted = [proposal for proposal in await facts.proposals(province, year)
             if proposal.year == year and proposal.council is not None
             and (award_code is None or proposal.award_code == award_code)]
    sessions = council_sessions(voted)
    if not sessions:
        raise Conflict("paper.no_council_votes", year=year)
    day = held_on or sessions[0]
    if day not in sessions:
        raise NotFound("paper.no_council_session", year=year, held_on=day,
                       sessions=", ".join(map(short_date, sessions)))
    setting = await setting_of(facts, province, year, day)
    if award_code is not None:
        _form(setting, award_code)
    of_day = [proposal for proposal in voted if proposal.council and proposal.council.held_on == day]
    return council_minutes(setting, year, day, of_day, award_code)


async def decision_draft(facts: PaperFacts, province: str, year: int, award_code: str, on: date,
                         decision_no: str | None = None) -> DraftDecision:
    setting = await setting_of(facts, province, year, on)
    form = _form(setting, award_code)
    if form.rules.central:
        raise Conflict("paper.central_decision", form=form.name, decided_by=form.decided_by)
    proposals = to_decide(await facts.proposals(province, year), form, year, decision_no)
    if not proposals and decision_no is not None:
        raise NotFound("paper.no_such_decision", decision_no=decision_no, form=form.name, year=year)
    if not proposals:
        raise Conflict("paper.nothing_to_decide", form=form.name, year=year)
    decided_on = {proposal.decision.decided_on if proposal.decision else None for proposal in proposals}
    recorded = next(iter(decided_on)) if len(decided_on) == 1 else None
    if recorded is not None:
        # A recorded decision rests on the rulebook of its own day (the version it recorded), not the draft's.
        setting = await setting_of(facts, province, year, recorded)
        form = setting.form(award_code) or form
    return draft_decision(setting, form, year, proposals, recorded or on)
