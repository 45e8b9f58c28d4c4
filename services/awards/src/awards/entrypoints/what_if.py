"""The auditor's what-if: a bloc-year's proposals judged again under another rulebook version, read only.

A GET over a read connection: no unit of work is opened, nothing is appended to the log.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from awards.adapters import facts, queries
from awards.application.what_if import known_versions, what_if
from awards.domain.messages import CATALOGUE
from awards.domain.what_if import Rejudged, RuleDifference
from awards.entrypoints.answers import WhatIf
from awards.entrypoints.common import CONFIDENTIAL, Names, language, names_of, render_check
from thidua_shared.auth import Principal
from thidua_shared.errors import NotFound
from thidua_shared.i18n import render
from thidua_shared.params import IdPath, YearPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router

VersionQuery = Annotated[str, Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$",
                                    description="the rulebook version to judge by, e.g. VN-152-2025 "
                                                "(see GET /provinces/{province}/rulebooks)")]


def _side(check: Any, shown_in: str, names: Names) -> dict[str, Any] | None:
    if check is None:
        return None
    shown = render_check(check, shown_in, names)
    shown.pop("rule")
    return shown


def _difference(difference: RuleDifference, shown_in: str, names: Names) -> dict[str, Any]:
    named = f"rule.name.{difference.rule}"
    return {"rule": difference.rule,
            "rule_name": render(CATALOGUE, named, shown_in, {}) if named in CATALOGUE else difference.rule,
            "applied": _side(difference.applied, shown_in, names),
            "other": _side(difference.other, shown_in, names)}


def _shown(judged: Rejudged, shown_in: str, names: Names) -> dict[str, Any]:
    proposal = judged.proposal
    return {"proposal_id": proposal.proposal_id, "unit_id": proposal.unit_id, "unit_name": names.of(proposal.unit_id),
            "award_code": proposal.award_code, "award_name": names.of(proposal.award_code),
            "applied_version": judged.applied.rule_version, "eligible_applied": judged.applied.eligible,
            "eligible_other": judged.other.eligible if judged.other is not None else None,
            "differs": judged.differs,
            "differences": [_difference(each, shown_in, names) for each in judged.differences],
            "recited": [_difference(each, shown_in, names) for each in judged.recited]}


def router(parts: ServiceParts) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.get("/blocs/{bloc_id}/years/{year}/what-if", tags=["audit"], response_model=WhatIf,
             summary="What if another rulebook version had applied: each proposal of the bloc-year judged again "
                     "from the same facts, the rules that would differ with citations (admin, auditor; records "
                     "nothing)")
    async def judge_again(province: str, bloc_id: IdPath, year: YearPath, rulebook: VersionQuery, caller: Caller,
                          request: Request) -> dict[str, Any]:
        caller.require_role(*CONFIDENTIAL)
        async with parts.engine.connect() as connection:
            adopted = await facts.adopted_rulebooks(connection)(province)
            books = known_versions(adopted)
            other = books.get(rulebook)
            if other is None:
                raise NotFound("what_if.unknown_rulebook", version=rulebook, versions=", ".join(books))
            blocs = await queries.bloc_names(connection, province)
            filed = await queries.filed_proposals(connection, province, bloc_id)
            if bloc_id not in blocs and not filed:
                raise NotFound("what_if.unknown_bloc", bloc_id=bloc_id,
                               blocs="; ".join(f"{name} ({key})" for key, name in sorted(blocs.items())) or "-")
            of_year = [proposal for proposal in filed if proposal.year == year]
            if not of_year:
                raise NotFound("what_if.no_proposals", bloc_id=bloc_id, year=year,
                               years=", ".join(sorted({str(proposal.year) for proposal in filed})) or "-")
            judged = await what_if(facts.gather_facts(connection), province, of_year, other, adopted)
            names = await names_of(connection, province, *books.values())
        shown_in = language(request)
        shown = [_shown(each, shown_in, names) for each in judged]
        return {"bloc_id": bloc_id, "bloc_name": names.of(bloc_id), "year": year, "rulebook": other.version,
                "proposals": shown, "differing": [each["proposal_id"] for each in shown if each["differs"]]}

    return api
