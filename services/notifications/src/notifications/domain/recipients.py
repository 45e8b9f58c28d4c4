"""Who hears what: for each kind of event, the audiences a province's settings name, and from them the
recipients of one event, each once, with the language they read and the address to write to.

Pure: the adapters find who the unit concerned, the bloc's chair and the province's staff are; this module
decides which of them hear it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

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

Audience = Literal["unit", "bloc_chair", "bloc_secretariat", "province_staff"]
"""``unit``: the units concerned, at their contact e-mails (a merged unit's, at the unit that absorbed it);
``bloc_chair``: the chair of the bloc for the year concerned, at its contact e-mails; ``bloc_secretariat``: the
bloc's secretariat, at the addresses the province's settings give; ``province_staff``: the province's TĐKT staff."""
AUDIENCES: tuple[Audience, ...] = get_args(Audience)
Language = Literal["vi", "en"]

Kind = Literal["ranking_published", "vote_opened", "vote_closed", "award_proposed", "proposal_returned",
               "award_rejected", "forwarded_to_central", "award_decided", "award_revoked", "award_frozen",
               "chair_elected", "vice_chair_elected"]
"""A kind of message: one template each (subject, text and HTML, in Vietnamese and English)."""
KINDS: tuple[Kind, ...] = get_args(Kind)

KIND_OF: Mapping[type[EventPayload], Kind] = {
    RankingPublished: "ranking_published",
    HonoringVoteOpened: "vote_opened",
    HonoringVoteClosed: "vote_closed",
    AwardProposed: "award_proposed",
    ProposalReturned: "proposal_returned",
    AwardRejected: "award_rejected",
    ForwardedToCentral: "forwarded_to_central",
    AwardDecided: "award_decided",
    AwardRevoked: "award_revoked",
    AwardFrozen: "award_frozen",
    ChairElected: "chair_elected",
    ViceChairElected: "vice_chair_elected",
}
"""The events people are told about, and the kind of message each makes."""


def kind_of(payload: EventPayload) -> Kind | None:
    """The kind of message an event makes, or None if nobody is told about it."""
    return KIND_OF.get(type(payload))


_EVERYONE: tuple[Audience, ...] = AUDIENCES
DEFAULT_AUDIENCES: Mapping[Kind, tuple[Audience, ...]] = {
    "ranking_published": _EVERYONE,
    "vote_opened": ("unit", "bloc_chair", "bloc_secretariat"),
    "vote_closed": _EVERYONE,
    "award_proposed": _EVERYONE,
    "proposal_returned": _EVERYONE,
    "award_rejected": _EVERYONE,
    "forwarded_to_central": ("unit", "bloc_secretariat", "province_staff"),
    "award_decided": _EVERYONE,
    "award_revoked": _EVERYONE,
    "award_frozen": ("unit", "bloc_secretariat", "province_staff"),
    "chair_elected": _EVERYONE,
    "vice_chair_elected": _EVERYONE,
}
"""The national default: the units concerned hear of every step that concerns them (a rejected proposal
too), the bloc's chair and secretariat of their bloc's work, the province's staff of what reaches the province."""


@dataclass(frozen=True)
class NotificationSettings:
    """A province's settings of who hears what; a kind the settings leave out keeps its default audiences."""

    staff_emails: tuple[str, ...] = ()
    bloc_secretariats: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    audiences: Mapping[Kind, tuple[Audience, ...]] = field(default_factory=lambda: dict(DEFAULT_AUDIENCES))
    english_addresses: frozenset[str] = frozenset()

    def hears(self, kind: Kind) -> tuple[Audience, ...]:
        return self.audiences.get(kind, DEFAULT_AUDIENCES[kind])

    def language_of(self, address: str) -> Language:
        return "en" if address.lower() in self.english_addresses else "vi"


@dataclass(frozen=True)
class Contact:
    """Someone to write to: an address and the name to put beside it."""

    address: str
    name: str


@dataclass(frozen=True)
class Concerned:
    """Who the event concerns, as the directory knows them: the units (their contacts), the bloc and its chair."""

    units: tuple[Contact, ...] = ()
    bloc_id: str | None = None
    bloc_name: str = ""
    bloc_chair: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str
    language: Language
    audience: Audience


STAFF_NAME = "Cán bộ thi đua, khen thưởng của tỉnh"
SECRETARIAT_NAME = "Thư ký"


def recipients(kind: Kind, concerned: Concerned, settings: NotificationSettings) -> list[Recipient]:
    """Each address the settings' audiences of ``kind`` reach, once (the first audience that names it wins),
    in the order of the audiences, with the language it reads."""
    found: dict[str, Recipient] = {}
    for audience in settings.hears(kind):
        for contact in _contacts(audience, concerned, settings):
            key = contact.address.lower()
            if key not in found:
                found[key] = Recipient(contact.address, contact.name, settings.language_of(contact.address),
                                       audience)
    return list(found.values())


def _contacts(audience: Audience, concerned: Concerned, settings: NotificationSettings) -> tuple[Contact, ...]:
    if audience == "unit":
        return concerned.units
    if audience == "bloc_chair":
        return concerned.bloc_chair
    if audience == "bloc_secretariat":
        addresses = settings.bloc_secretariats.get(concerned.bloc_id, ()) if concerned.bloc_id else ()
        name = f"{SECRETARIAT_NAME} {concerned.bloc_name or 'khối thi đua'}"
        return tuple(Contact(address, name) for address in addresses)
    return tuple(Contact(address, STAFF_NAME) for address in settings.staff_emails)
