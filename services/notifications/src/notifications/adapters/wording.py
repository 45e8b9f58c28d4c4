"""The facts a message about an event tells, in words people read: the directory's names of units, blocs and
forms, days as dd/mm/yyyy, decisions by number; and who the event concerns (their contacts).

``facts_about`` reads the directory on the caller's connection; the templates then only place the words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.directory import (
    directory_bloc_leaders,
    directory_bloc_members,
    directory_blocs,
    directory_forms,
    directory_proposals,
    directory_provinces,
    directory_unit_names,
    directory_units,
    directory_votes,
)
from notifications.domain.recipients import Concerned, Contact, Kind, Language, kind_of
from notifications.domain.words import (
    NATIONAL_FORM_NAMES,
    REJECTED_BY,
    SOME_FORM,
    UNKNOWN_NAME,
    day,
    document_name,
    money,
    points,
)
from thidua_contracts import EventPayload
from thidua_contracts.awards import (
    AwardDecided,
    AwardFrozen,
    AwardProposed,
    AwardRejected,
    AwardRevoked,
    ForwardedToCentral,
    HonoringVoteClosed,
    HonoringVoteOpened,
    ProposalReturned,
)
from thidua_contracts.registry import ChairElected, ViceChairElected
from thidua_contracts.scoring import RankingPublished
from thidua_shared.store import StoredEvent

LANGUAGES: tuple[Language, ...] = ("vi", "en")
MERGERS_FOLLOWED = 10
"""How many mergers a unit's contacts are followed through (a merged unit is reached at the unit that absorbed
it, and so on)."""


@dataclass(frozen=True)
class Facts:
    """What a message about one event says (``words`` by language) and whom the event concerns."""

    kind: Kind
    concerned: Concerned
    words: dict[Language, dict[str, Any]]


class Directory:
    """Lookups in the directory of one province, on the caller's connection."""

    def __init__(self, connection: AsyncConnection, province: str) -> None:
        self.connection = connection
        self.province = province

    async def _one(self, statement: Any) -> Any:
        return (await self.connection.execute(statement)).first()

    async def unit_name(self, unit_id: str, on: date | None = None) -> str | None:
        names = directory_unit_names.c
        query = select(names.name).where(names.province == self.province, names.unit_id == unit_id)
        if on is not None:
            query = query.where(names.effective_on <= on.isoformat())
        found = await self._one(query.order_by(names.effective_on.desc()).limit(1))
        if found is None and on is not None:
            return await self.unit_name(unit_id)
        return None if found is None else str(found.name)

    async def unit_contacts(self, unit_id: str) -> tuple[Contact, ...]:
        """The unit's contact e-mails; a merged unit's are those of the unit that absorbed it."""
        units = directory_units.c
        for _ in range(MERGERS_FOLLOWED):
            row = await self._one(select(units.emails, units.merged_into)
                                  .where(units.province == self.province, units.unit_id == unit_id))
            if row is None:
                return ()
            if row.merged_into is None:
                name = await self.unit_name(unit_id) or ""
                return tuple(Contact(address, name) for address in json.loads(row.emails))
            unit_id = row.merged_into
        return ()

    async def bloc_name(self, bloc_id: str | None) -> str:
        if bloc_id is None:
            return ""
        blocs = directory_blocs.c
        found = await self._one(select(blocs.name).where(blocs.province == self.province, blocs.bloc_id == bloc_id))
        return "" if found is None else str(found.name)

    async def chair_of(self, bloc_id: str | None, year: int) -> str | None:
        """The bloc's chair for ``year``, or the last chair before it."""
        if bloc_id is None:
            return None
        leaders = directory_bloc_leaders.c
        found = await self._one(select(leaders.unit_id).where(
            leaders.province == self.province, leaders.bloc_id == bloc_id, leaders.role == "chair",
            leaders.year <= year).order_by(leaders.year.desc()).limit(1))
        return None if found is None else str(found.unit_id)

    async def bloc_of(self, unit_id: str) -> str | None:
        """A bloc the unit is a member of now (the first by id)."""
        members = directory_bloc_members.c
        found = await self._one(select(members.bloc_id).where(
            members.province == self.province, members.unit_id == unit_id, members.left_on.is_(None))
            .order_by(members.bloc_id).limit(1))
        return None if found is None else str(found.bloc_id)

    async def form_names(self, code: str, rule_version: str | None) -> dict[Language, str]:
        """The form's names in the rulebook version given, else in the latest version that has it."""
        forms = directory_forms.c
        query = select(forms.name_vi, forms.name_en).where(forms.province == self.province, forms.code == code)
        found = None
        if rule_version is not None:
            found = await self._one(query.where(forms.rule_version == rule_version))
        if found is None:
            found = await self._one(query.order_by(forms.effective_from.desc()).limit(1))
        if found is None:
            return NATIONAL_FORM_NAMES.get(code, SOME_FORM)
        return {"vi": str(found.name_vi), "en": str(found.name_en)}

    async def proposal(self, proposal_id: str | None) -> Any:
        if proposal_id is None:
            return None
        proposals = directory_proposals.c
        return await self._one(select(directory_proposals).where(
            proposals.province == self.province, proposals.proposal_id == proposal_id))

    async def vote(self, vote_id: str) -> Any:
        votes = directory_votes.c
        return await self._one(select(directory_votes).where(votes.province == self.province,
                                                             votes.vote_id == vote_id))

    async def province_name(self) -> str:
        provinces = directory_provinces.c
        found = await self._one(select(provinces.name).where(provinces.province == self.province))
        return "" if found is None else str(found.name)


class _Builder:
    """Gathers the words of one message: those said alike in both languages, and those said per language."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.common: dict[str, Any] = {}
        self.by_language: dict[Language, dict[str, Any]] = {language: {} for language in LANGUAGES}
        self.units: list[str] = []
        self.bloc_id: str | None = None
        self.year: int | None = None

    def say(self, **words: Any) -> None:
        self.common.update(words)

    def say_per_language(self, name: str, words: dict[Language, Any]) -> None:
        for language in LANGUAGES:
            self.by_language[language][name] = words[language]

    async def name(self, unit_id: str, on: date | None = None) -> dict[Language, str]:
        found = await self.directory.unit_name(unit_id, on)
        return {language: found or UNKNOWN_NAME[language] for language in LANGUAGES}

    async def unit(self, unit_id: str, on: date | None = None, word: str = "unit") -> None:
        """Name the unit concerned (it hears the message)."""
        self.units.append(unit_id)
        self.say_per_language(word, await self.name(unit_id, on))

    async def names(self, word: str, unit_ids: list[str]) -> None:
        named = [await self.name(unit_id) for unit_id in unit_ids]
        self.say_per_language(word, {language: [name[language] for name in named] for language in LANGUAGES})

    async def form(self, code: str, rule_version: str | None) -> None:
        self.say_per_language("form", await self.directory.form_names(code, rule_version))

    async def bloc(self, bloc_id: str | None, year: int | None) -> None:
        self.bloc_id, self.year = bloc_id, year
        self.say(bloc=await self.directory.bloc_name(bloc_id), year=year)

    async def proposal(self, proposal_id: str | None, on: date | None = None) -> bool:
        """Name the unit, form, year and bloc of a proposal the directory knows."""
        found = await self.directory.proposal(proposal_id)
        if found is None:
            self.say(year=None, bloc="")
            self.say_per_language("unit", UNKNOWN_NAME)
            self.say_per_language("form", SOME_FORM)
            return False
        await self.unit(found.unit_id, on)
        await self.form(found.award_code, found.rule_version)
        await self.bloc(found.bloc_id, found.year)
        self.say(decision_no=found.decision_no, decided_on=day(date.fromisoformat(found.decided_on))
                 if found.decided_on else "")
        return True

    async def facts(self, kind: Kind) -> Facts:
        contacts: list[Contact] = []
        for unit_id in dict.fromkeys(self.units):
            contacts += await self.directory.unit_contacts(unit_id)
        chair = (await self.directory.chair_of(self.bloc_id, self.year)) if self.year is not None else None
        concerned = Concerned(units=tuple(contacts), bloc_id=self.bloc_id, bloc_name=self.common.get("bloc", ""),
                              bloc_chair=await self.directory.unit_contacts(chair) if chair else ())
        province = await self.directory.province_name()
        words = {language: {"province": province, **self.common, **self.by_language[language]}
                 for language in LANGUAGES}
        return Facts(kind, concerned, words)


async def facts_about(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> Facts | None:
    """The words and the people of a message about ``payload``, or None if nobody is told about it."""
    kind = kind_of(payload)
    if kind is None:
        return None
    said = _Builder(Directory(connection, event.province))
    await _gather(said, payload)
    return await said.facts(kind)


async def _gather(said: _Builder, payload: EventPayload) -> None:
    if isinstance(payload, ChairElected | ViceChairElected):
        await said.unit(payload.unit_id, payload.elected_on)
        await said.bloc(payload.bloc_id, payload.year)
        said.say(votes_for=payload.votes_for, votes_cast=payload.votes_cast, members=payload.members,
                 elected_on=day(payload.elected_on))
    elif isinstance(payload, RankingPublished):
        await said.bloc(payload.bloc_id, payload.year)
        entries = sorted(payload.ranking, key=lambda entry: entry.rank)
        for entry in entries:
            said.units.append(entry.unit_id)
        named = [await said.name(entry.unit_id) for entry in entries]
        said.say_per_language("ranking", {language: [
            {"rank": entry.rank, "unit": name[language], "total": points(entry.total, language), "tied": entry.tied}
            for entry, name in zip(entries, named, strict=True)] for language in LANGUAGES})
        said.say(version=payload.version)
    elif isinstance(payload, HonoringVoteOpened):
        await said.bloc(payload.bloc_id, payload.year)
        await said.form(payload.award_code, payload.rule_version)
        said.units += payload.candidates
        await said.names("candidates", payload.candidates)
        said.say(places=payload.places, members=payload.members, threshold=f"{payload.threshold * 100:g}%")
    elif isinstance(payload, HonoringVoteClosed):
        vote = await said.directory.vote(payload.vote_id)
        if vote is not None:
            await said.bloc(vote.bloc_id, vote.year)
            await said.form(vote.award_code, None)
        else:
            said.say(bloc="", year=None)
            said.say_per_language("form", SOME_FORM)
        said.units += [result.unit_id for result in payload.results]
        await said.names("honoured", payload.honoured)
        await said.names("tied", payload.tied)
        named = [await said.name(result.unit_id) for result in payload.results]
        said.say_per_language("results", {language: [
            {"unit": name[language], "votes_for": result.votes_for}
            for result, name in zip(payload.results, named, strict=True)] for language in LANGUAGES})
        said.say(ballots_cast=payload.ballots_cast, invalid_ballots=payload.invalid_ballots,
                 places_left=payload.places_left)
    elif isinstance(payload, AwardProposed):
        await said.unit(payload.unit_id, payload.filed_on)
        await said.form(payload.award_code, payload.basis.rule_version)
        await said.bloc(payload.bloc_id, payload.year)
        said.say(filed_on=day(payload.filed_on))
        _documents(said, payload.missing)
    elif isinstance(payload, ProposalReturned):
        await said.proposal(payload.proposal_id, payload.returned_on)
        said.say(reason=payload.reason, returned_on=day(payload.returned_on))
        _documents(said, payload.missing)
    elif isinstance(payload, AwardRejected):
        await said.proposal(payload.proposal_id, payload.rejected_on)
        said.say(reason=payload.reason, rejected_on=day(payload.rejected_on))
        said.say_per_language("by", REJECTED_BY.get(payload.by or "", {"vi": "", "en": ""}))
    elif isinstance(payload, ForwardedToCentral):
        await said.proposal(payload.proposal_id, payload.forwarded_on)
        said.say(dossier_ref=payload.dossier_ref, forwarded_on=day(payload.forwarded_on))
    elif isinstance(payload, AwardDecided):
        known = await said.proposal(payload.proposal_id, payload.decided_on)
        if not known:
            await said.unit(payload.unit_id, payload.decided_on)
        await said.form(payload.award_code, payload.rule_version)
        said.say(decision_no=payload.decision_no, decided_on=day(payload.decided_on), authority=payload.authority)
        reward = payload.reward_vnd
        said.say_per_language("reward", {language: money(reward, language) if reward else ""
                                         for language in LANGUAGES})
    elif isinstance(payload, AwardRevoked):
        await said.proposal(payload.proposal_id, payload.revoked_on)
        said.say(revocation_no=payload.decision_no, revoked_on=day(payload.revoked_on), reason=payload.reason,
                 artefact_to_recover=payload.artefact_to_recover)
        owed = payload.money_to_recover_vnd
        said.say_per_language("money_to_recover", {language: money(owed, language) if owed else ""
                                                   for language in LANGUAGES})
    elif isinstance(payload, AwardFrozen):
        if payload.proposal_id is not None:
            await said.proposal(payload.proposal_id, payload.on)
        elif payload.unit_id is not None:
            await said.unit(payload.unit_id, payload.on)
            await said.bloc(await said.directory.bloc_of(payload.unit_id), None)
            said.say_per_language("form", {"vi": "", "en": ""})
        said.say(reason=payload.reason, ref=payload.ref, on=day(payload.on),
                 for_proposal=payload.proposal_id is not None)


def _documents(said: _Builder, kinds: list[str]) -> None:
    said.say_per_language("missing", {language: [document_name(kind, language) for kind in kinds]
                                      for language in LANGUAGES})
