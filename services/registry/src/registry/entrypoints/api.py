"""The registry's HTTP API: thin routes that authorise, then call a use case or a query."""

from __future__ import annotations

from fastapi import APIRouter

from registry.application.unit_of_work import RegistryUnitOfWork
from registry.entrypoints import accounts, blocs, provinces, units
from thidua_shared.command_runner import CommandRunner
from thidua_shared.runtime import ServiceParts


def router(parts: ServiceParts, commands: CommandRunner[RegistryUnitOfWork]) -> APIRouter:
    api = APIRouter()
    for module in (provinces, units, blocs, accounts):
        api.include_router(module.router(parts, commands))
    return api
