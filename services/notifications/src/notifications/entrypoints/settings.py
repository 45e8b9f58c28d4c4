"""The province's settings of who hears what: read and set by the province's admin.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from notifications.adapters.settings_store import settings_in_force
from notifications.application import handlers
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.commands import (
    Addresses,
    Audiences,
    AudiencesByKind,
    BlocSecretariats,
    ChangeNotificationSettings,
    EnglishAddresses,
    StaffEmails,
)
from notifications.domain.recipients import KINDS, Kind, NotificationSettings
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Identifier
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class ChangeNotificationSettingsBody(RequestBody):
    """All the settings (they replace those in force); a kind left out of ``audiences`` keeps its default."""

    staff_emails: Addresses = StaffEmails
    bloc_secretariats: dict[Identifier, Addresses] = BlocSecretariats
    audiences: dict[Kind, Audiences] = AudiencesByKind
    english_addresses: Addresses = EnglishAddresses


class NotificationSettingsAnswer(BaseModel):
    """Who hears what in the province: the staff, each bloc's secretariat, the audiences of every kind of
    message (defaults included), the addresses written to in English."""

    staff_emails: list[str]
    bloc_secretariats: dict[str, list[str]]
    audiences: dict[str, list[str]] = Field(description="for each kind of message, who hears it")
    english_addresses: list[str]
    changed_at: str | None = Field(description="when the settings were last changed; none: the defaults")


def _answer(settings: NotificationSettings, changed_at: str | None) -> dict[str, Any]:
    return {"staff_emails": list(settings.staff_emails),
            "bloc_secretariats": {bloc: list(addresses) for bloc, addresses in settings.bloc_secretariats.items()},
            "audiences": {kind: list(settings.hears(kind)) for kind in KINDS},
            "english_addresses": sorted(settings.english_addresses), "changed_at": changed_at}


def settings_router(parts: ServiceParts, commands: CommandRunner[NotificationsUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.get("/notification-settings", tags=["notification settings"], response_model=NotificationSettingsAnswer,
             summary="Who hears what in the province: staff, bloc secretariats, audiences per kind (admin)")
    async def get_notification_settings(province: str, caller: Caller) -> dict[str, Any]:
        caller.require_role("admin")
        async with parts.engine.connect() as connection:
            settings, changed_at = await settings_in_force(connection, province)
        return _answer(settings, changed_at)

    @api.put("/notification-settings", tags=["notification settings"],
             summary="Set who hears what in the province: all the settings, replacing those in force (admin)")
    async def set_notification_settings(province: str, body: ChangeNotificationSettingsBody,
                                        caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = ChangeNotificationSettings(**body.model_dump())
        return await commands(handlers.change_notification_settings, command, context)

    return api
