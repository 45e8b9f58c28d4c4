"""The registry's HTTP API: thin routes that authorise, then call a use case or a query."""

from __future__ import annotations

from fastapi import APIRouter

from registry.entrypoints import blocs, provinces, units
from thidua_shared.runtime import ServiceParts
from thidua_shared.service import UnitOfWorkFactory


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = APIRouter()
    for module in (provinces, units, blocs):
        api.include_router(module.router(parts, unit_of_work))
    return api
