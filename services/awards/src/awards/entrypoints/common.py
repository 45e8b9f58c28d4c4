"""What the awards routes share: who the staff are, the form parameter, the province's clock and the verdicts
rendered in the caller's language."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters import facts, queries
from awards.domain.citation import citation_of
from awards.domain.eligibility import LISTED_RULES, Verdict
from awards.domain.messages import CATALOGUE
from awards.domain.rulebook import NATIONAL_DEFAULTS, Rulebook
from thidua_contracts.awards import RuleCheck
from thidua_shared.http import Wording, named
from thidua_shared.i18n import pick_language, render
from thidua_shared.runtime import ServiceParts

FormQuery = Annotated[str, Query(pattern=r"^[A-Z_]{2,40}$", description="e.g. PROV_FLAG")]
STAFF = ("admin",)
CONFIDENTIAL = ("admin", "auditor")
"""Who reads why a unit is frozen (discipline, inspection, complaint)."""


def language(request: Request) -> str:
    return pick_language(request.headers.get("accept-language"))


@dataclass(frozen=True)
class Names:
    """What people call the province's units, blocs and award forms: the words a verdict shows for their ids."""

    units: Mapping[str, str] = field(default_factory=dict)
    blocs: Mapping[str, str] = field(default_factory=dict)
    forms: Mapping[str, str] = field(default_factory=dict)

    def of(self, token: str) -> str:
        return self.units.get(token) or self.blocs.get(token) or self.forms.get(token) or token


NAMED_PARAMS = ("unit_id", "unit", "bloc_id", "award_code", "form", "standard", "forms", "codes", "held", "units",
                "qualifying_units", "failing_units")
"""The parameters of a check that hold ids (one, or a list "a, b" or "a (why); b (why)") people read as names."""
_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?|[A-Z][A-Z_]+[A-Z]")


def worded(params: Mapping[str, Any], names: Names) -> dict[str, Any]:
    """``params`` with each id of a named parameter replaced by what people call it."""
    return {key: _ID.sub(lambda found: names.of(found.group(0)), value)
            if key in NAMED_PARAMS and isinstance(value, str) else value for key, value in params.items()}


async def names_of(connection: AsyncConnection, province: str, *rulebooks: Rulebook) -> Names:
    """The province's units and blocs by name, and the forms of ``rulebooks`` (a later version's name wins)."""
    return Names(units=await queries.unit_names(connection, province),
                 blocs=await queries.bloc_names(connection, province),
                 forms={form.code: form.name for rulebook in rulebooks for form in rulebook.forms})


HELD_STATES = {"vi": {"(proposed)": "(đang đề nghị)", "(decided)": "(đã có quyết định)"}}
"""How a form held is qualified in the check's ``held`` (the domain writes the proposal's state in English)."""


def render_check(check: RuleCheck, language: str, names: Names | None = None) -> dict[str, Any]:
    listed = LISTED_RULES.get(check.rule, {})
    given = worded(check.params, names) if names is not None else check.params
    params = named(CATALOGUE, language, {"params": given, "names": listed})
    if isinstance(params.get("held"), str):
        for state, words in HELD_STATES.get(language, {}).items():
            params["held"] = params["held"].replace(state, words)
    shown: dict[str, Any] = {"rule": check.rule, "ok": check.ok, "citation": citation_of(check).in_language(language),
                             "message": render(CATALOGUE, check.code, language, params)}
    if check.alternatives:
        shown["alternatives"] = [render_check(alternative, language, names) for alternative in check.alternatives]
    return shown


def render_verdict(verdict: Verdict, language: str, names: Names | None = None) -> dict[str, Any]:
    return {"unit_id": verdict.unit_id, "year": verdict.year, "award_code": verdict.award_code,
            "rule_version": verdict.rule_version, "eligible": verdict.eligible,
            "checks": [render_check(check, language, names) for check in verdict.checks]}


def refusal_wording(parts: ServiceParts) -> Wording:
    """A refusal names the units, blocs and award forms it is about as people call them (every form of every
    rulebook version, national or the province's own, by its name)."""

    async def word(province: str, params: dict[str, Any]) -> dict[str, Any]:
        if not any(key in NAMED_PARAMS for key in params):
            return params
        async with parts.engine.connect() as connection:
            adopted = await facts.adopted_rulebooks(connection)(province)
            names = await names_of(connection, province, *NATIONAL_DEFAULTS, *adopted)
        return worded(params, names)

    return word
