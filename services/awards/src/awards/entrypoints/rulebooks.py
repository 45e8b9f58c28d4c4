"""The awards rulebook routes: the versions in force, adopting the province's own, and eligibility.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from awards.adapters import facts
from awards.application import handlers
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.commands import AdoptRulebook, Reference
from awards.domain.rulebook import NATIONAL_DEFAULTS, ExclusiveForms, Form, Rulebook, filing_season, in_force
from awards.entrypoints.answers import Rulebooks, VerdictShown
from awards.entrypoints.common import STAFF, FormQuery, language, names_of, render_verdict
from thidua_shared.auth import Principal
from thidua_shared.clock import province_today
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import FIRST_DAY, LAST_DAY, Day
from thidua_shared.errors import Invalid
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdQuery, YearQuery
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class AdoptRulebookBody(RequestBody):
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$", description="e.g. HNM-2025-1")
    effective_from: Day
    legal_basis: list[Reference] = Field(min_length=1, max_length=20)
    forms: list[Form] = Field(min_length=1, max_length=30)
    exclusive: list[ExclusiveForms] | None = Field(
        default=None, max_length=20, description="sets of forms a unit holds at most one of for a year's achievement "
                                                 "(one achievement, one form); default: the national sets")


def describe(rulebook: Rulebook, province_own: bool) -> dict[str, Any]:
    return {**rulebook.model_dump(mode="json"), "adopted_by_province": province_own}


def router(parts: ServiceParts, commands: CommandRunner[AwardsUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.get("/rulebooks", tags=["rulebook"], response_model=Rulebooks,
             summary="The rulebook versions (national defaults and the province's own) and the one in force")
    async def list_rulebooks(province: str, caller: Caller,
                             on: Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY,
                                                             description="default: today")] = None,
                             ) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            adopted = await facts.adopted_rulebooks(connection)(province)
        return {"in_force": in_force(on or province_today(), adopted).version,
                "versions": [describe(book, False) for book in NATIONAL_DEFAULTS]
                + [describe(book, True) for book in sorted(adopted, key=lambda book: book.effective_from)]}

    @api.post("/rulebooks", status_code=201, tags=["rulebook"],
              summary="Adopt the province's own rulebook version, in force from its effective date (admin)")
    async def adopt_rulebook(province: str, body: AdoptRulebookBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await commands(handlers.adopt_rulebook, AdoptRulebook(**body.model_dump()), context)

    @api.get("/eligibility", tags=["rulebook"], response_model=VerdictShown, response_model_exclude_unset=True,
             summary="Is a unit eligible for a form in a year? Rule by rule, with citations")
    async def check_eligibility(province: str, caller: Caller, request: Request, unit_id: IdQuery, year: YearQuery,
                                award_code: FormQuery, bloc_id: IdQuery | None = None,
                                on: Annotated[date | None, Query(
                                    ge=FIRST_DAY, le=LAST_DAY,
                                    description="the rulebook of this day (default: the award year's filing "
                                                "season, 1 January of the next year)")] = None,
                                ) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            rulebook = in_force(on or filing_season(year), await facts.adopted_rulebooks(connection)(province))
            verdict = await handlers.verdict_for(facts.gather_facts(connection), rulebook, province, unit_id, year,
                                                 award_code, bloc_id, "proposal", None)
            names = await names_of(connection, province, rulebook)
        if verdict is None:
            raise Invalid("proposal.unknown_form", award_code=award_code, forms=rulebook.codes())
        return render_verdict(verdict, language(request), names)

    return api
