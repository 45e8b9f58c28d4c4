"""What people ask of the notifications service."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from notifications.domain.recipients import Audience, Kind
from thidua_shared.commands import Command, Email, Identifier

Addresses = Annotated[list[Email], Field(max_length=50)]
Audiences = Annotated[list[Audience], Field(max_length=4)]


StaffEmails: Any = Field(description="the province's TĐKT staff, e.g. tdkt@snv.hanam.gov.vn")
BlocSecretariats: Any = Field(default_factory=dict, max_length=200,
                         description="each bloc's secretariat addresses, by bloc id")
AudiencesByKind: Any = Field(default_factory=dict, max_length=20,
                        description="who hears each kind of message (e.g. award_decided): unit, bloc_chair, "
                                    "bloc_secretariat, province_staff; a kind left out keeps its default")
EnglishAddresses: Any = Field(default_factory=list,
                              description="addresses written to in English (Vietnamese otherwise)")


class ChangeNotificationSettings(Command):
    """The province's settings of who hears what, all of them: they replace those in force."""

    staff_emails: Addresses = StaffEmails
    bloc_secretariats: dict[Identifier, Addresses] = BlocSecretariats
    audiences: dict[Kind, Audiences] = AudiencesByKind
    english_addresses: Addresses = EnglishAddresses


EventType = Annotated[str, Field(pattern=r"^[A-Z][A-Za-z]{1,59}$", max_length=60)]
EventTypes = Annotated[list[EventType], Field(
    min_length=1, max_length=100, description="the event types to deliver, e.g. ['AwardDecided', 'AwardRevoked']")]
ProvinceCode = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,8}$", max_length=8)]
Provinces = Annotated[list[ProvinceCode], Field(min_length=1, max_length=20,
                                                description="the provinces whose events to deliver; the token's "
                                                            "by default (a token may name no other)")]


Url = Annotated[str, Field(max_length=2000, description="http or https, without credentials, e.g. "
                                                       "https://congthongtin.hanam.gov.vn/thidua/webhook")]


Position = Annotated[int, Field(ge=1, le=2**62, description="the first delivery position to send again (see the "
                                                             "deliveries)")]


class CreateSubscription(Command):
    """A subscriber system asks for the events of ``event_types`` in ``provinces`` to be POSTed to ``url``."""

    subscription_id: Identifier
    url: Url
    event_types: EventTypes
    provinces: Provinces | None = None


class RevokeSubscription(Command):
    subscription_id: Identifier


class PauseSubscription(Command):
    subscription_id: Identifier


class ResumeSubscription(Command):
    subscription_id: Identifier


class RequestRedelivery(Command):
    subscription_id: Identifier
    from_position: Position
