"""The notifications HTTP API.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from notifications.adapters import queries
from thidua_shared.auth import Principal
from thidua_shared.runtime import ServiceParts, caller_of, province_router
from thidua_shared.service import UnitOfWorkFactory


class Notification(BaseModel):
    """A notification sent: to whom, by which channel, about which event, in both languages."""

    province: str
    notification_id: str
    channel: str
    recipient: str
    template: str
    about_event_id: str
    text_vi: str
    text_en: str
    sent_at: str


def router(parts: ServiceParts, _unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.get("/notifications", tags=["notifications"], summary="What was sent, to whom, about what",
             description="What each audience was told, once per event and audience, in both languages. Each "
                         "e-mail and webhook that carried it is in the delivery log (`/deliveries`).",
             response_model=list[Notification])
    async def list_notifications(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.sent_notifications(connection, province)

    return api
