"""What the awards routes share: who the staff are, the form parameter, the province's clock and the verdicts
rendered in the caller's language."""

from typing import Annotated, Any

from fastapi import Query, Request

from awards.domain.citation import citation_of
from awards.domain.eligibility import RULE_NAMES, Verdict
from awards.domain.messages import CATALOGUE
from thidua_contracts.awards import RuleCheck
from thidua_shared.http import named
from thidua_shared.i18n import pick_language, render

FormQuery = Annotated[str, Query(pattern=r"^[A-Z_]{2,40}$", description="e.g. PROV_FLAG")]
STAFF = ("admin",)
CONFIDENTIAL = ("admin", "auditor")
"""Who reads why a unit is frozen (discipline, inspection, complaint)."""


def language(request: Request) -> str:
    return pick_language(request.headers.get("accept-language"))


def render_check(check: RuleCheck, language: str) -> dict[str, Any]:
    names = RULE_NAMES if check.rule == "any_of" else {}
    params = named(CATALOGUE, language, {"params": check.params, "names": names})
    shown: dict[str, Any] = {"rule": check.rule, "ok": check.ok, "citation": citation_of(check).in_language(language),
                             "message": render(CATALOGUE, check.code, language, params)}
    if check.alternatives:
        shown["alternatives"] = [render_check(alternative, language) for alternative in check.alternatives]
    return shown


def render_verdict(verdict: Verdict, language: str) -> dict[str, Any]:
    return {"unit_id": verdict.unit_id, "year": verdict.year, "award_code": verdict.award_code,
            "rule_version": verdict.rule_version, "eligible": verdict.eligible,
            "checks": [render_check(check, language) for check in verdict.checks]}
