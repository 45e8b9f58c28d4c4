"""Scoring's HTTP API: thin routes that authorise, then call a use case or a query."""

from __future__ import annotations

from fastapi import APIRouter

from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.entrypoints import assessments, evidence, scoreboards, scores, tables
from thidua_shared.command_runner import CommandRunner
from thidua_shared.runtime import ServiceParts
from thidua_shared.service import UnitOfWorkFactory


def router(parts: ServiceParts, commands: CommandRunner[ScoringUnitOfWork],
           unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = APIRouter()
    for module in (tables, assessments, scores):
        api.include_router(module.router(parts, commands))
    api.include_router(evidence.router(parts, unit_of_work))
    api.include_router(scoreboards.router(parts))
    return api
