"""The awards HTTP API: thin routes that authorise, then call a use case or a query."""

from __future__ import annotations

from fastapi import APIRouter

from awards.application.unit_of_work import AwardsUnitOfWork
from awards.entrypoints import decisions, freezes, papers, proposals, rulebooks, standings, units, votes, what_if
from thidua_shared.command_runner import CommandRunner
from thidua_shared.runtime import ServiceParts


def router(parts: ServiceParts, commands: CommandRunner[AwardsUnitOfWork]) -> APIRouter:
    api = APIRouter()
    for module in (rulebooks, votes, proposals, decisions, freezes, standings):
        api.include_router(module.router(parts, commands))
    api.include_router(units.router(parts))
    api.include_router(papers.router(parts))
    api.include_router(what_if.router(parts))
    return api
