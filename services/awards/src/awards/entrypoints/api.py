"""The awards HTTP API: thin routes that authorise, then call a use case or a query."""

from __future__ import annotations

from fastapi import APIRouter

from awards.entrypoints import decisions, freezes, proposals, rulebooks, units, votes
from thidua_shared.runtime import ServiceParts
from thidua_shared.service import UnitOfWorkFactory


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = APIRouter()
    for module in (rulebooks, votes, proposals, decisions, freezes):
        api.include_router(module.router(parts, unit_of_work))
    api.include_router(units.router(parts))
    return api
