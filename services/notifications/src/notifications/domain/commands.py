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
