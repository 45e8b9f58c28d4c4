"""The console's pages, one module per part of the work."""

from __future__ import annotations

from fastapi import APIRouter

from thidua_console.pages import accounts, glance, people, registry, scoring, scoring_work

ROUTERS: list[APIRouter] = [people.router, glance.router, registry.router, scoring_work.router, scoring.router,
                            accounts.router]
