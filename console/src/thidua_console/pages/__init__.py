"""The console's pages, one module per part of the work."""

from __future__ import annotations

from fastapi import APIRouter

from thidua_console.pages import (
    accounts,
    audit,
    glance,
    notes,
    people,
    proposals,
    registry,
    scoring,
    scoring_work,
    unit_year,
    votes,
)

ROUTERS: list[APIRouter] = [people.router, glance.router, registry.router, unit_year.router, scoring_work.router,
                            scoring.router,
                            votes.router, proposals.router, notes.router, audit.router,
                            accounts.router]
