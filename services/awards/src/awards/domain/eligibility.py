"""The eligibility engine: is a unit eligible for an award form in a year, and why, rule by rule.

Pure: the caller gathers the :class:`Facts` (from the read models, in the command's transaction) and the
engine answers with one :class:`Check` per rule of the form in the rulebook in force, each with its
citation and a message code whose parameters say what was found. The same engine serves candidate lists
before a vote (``stage="candidate"``: the vote's own outcome is not asked yet), proposals, the forwarding
and decisions. At the forwarding and the decision only facts are judged again (the unit still exists and is
not frozen, and the quotas that bind then); the standards were judged when the dossier was received.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from awards.domain.citation import Cite
from awards.domain.rulebook import (
    RATINGS,
    AnyOf,
    Attested,
    ConsecutiveTitles,
    ExceededTargets,
    Form,
    HonouredByVote,
    LeadsBloc,
    MeetsFormStandard,
    NotFrozen,
    QualityRated,
    Quota,
    Registered,
    Rule,
    Rulebook,
    Simple,
)
from thidua_contracts.awards import RuleCheck

Stage = Literal["candidate", "proposal", "forward", "decision"]
FACTS_ONLY: tuple[Stage, ...] = ("forward", "decision")
"""The stages that judge only facts again: the dossier's standards were judged when it was received."""
RULE_NAMES = {"met": "rule.name.", "rules": "rule.name."}
"""The parameters of an any-of check that list rules, and the catalogue prefix that names them in words."""
LISTED_RULES: dict[str, dict[str, str]] = {"any_of": RULE_NAMES, "meets_form_standard": {"unmet": "rule.name."}}
"""For each check that lists rules in a parameter, that parameter and the catalogue prefix that names them."""
UnitStatus = Literal["active", "unknown", "dissolved", "merged"]


@dataclass(frozen=True)
class Freeze:
    ref: str
    reason: str


@dataclass(frozen=True)
class TargetResult:
    """One registered target's result at the year's end: attained or not, and the share of its plan reached."""

    code: str
    attained: bool
    percent: float | None = None


@dataclass(frozen=True)
class Attestation:
    """A standard recorded as a fact, with the document that attests it."""

    ref: str
    on: str


@dataclass
class Facts:
    """What the read models know that the rules ask about, for one unit, year and form."""

    unit_id: str
    year: int
    bloc_id: str | None = None
    unit_status: UnitStatus = "active"
    rank: int | None = None
    total: float | None = None
    honoured_by: list[str] = field(default_factory=list)
    """Closed votes of the bloc, year and form that honoured the unit."""
    held: dict[tuple[int, str], str] = field(default_factory=dict)
    """The unit's awards (and its predecessors'): (year, form) -> "decided" or "proposed"."""
    freezes: list[Freeze] = field(default_factory=list)
    same_award: list[str] = field(default_factory=list)
    """Other active proposals (or decided awards) of the unit for the same form and year."""
    quota_used: int = 0
    """Active proposals (at proposal) or decisions (at decision) of the form in the quota's scope, others."""
    blocs_in_year: int = 0
    """The province's blocs with members that year; each has one leader."""
    targets: list[TargetResult] | None = None
    """The results of the targets the unit registered for the year, or None if none were recorded."""
    ratings: dict[int, list[str]] = field(default_factory=dict)
    """The yearly quality ratings: the unit's own for a year, or those of the units merged into it."""
    attested: dict[str, Attestation] = field(default_factory=dict)
    """The standards attested for the unit and year, by fact."""
    leaders: dict[str, Facts] = field(default_factory=dict)
    """For a quota of qualifying leaders: the collectives the blocs honoured as leaders that year, each with
    the facts its standard asks about."""

    def freeze_refs(self) -> list[str]:
        """The pending freezes as people read them: ``reference (reason)``."""
        return [f"{freeze.ref} ({freeze.reason})" for freeze in self.freezes]


@dataclass(frozen=True)
class Verdict:
    unit_id: str
    year: int
    award_code: str
    rule_version: str
    checks: list[RuleCheck]
    honoured_by: list[str] = field(default_factory=list)
    """The closed votes of the bloc that honoured the unit for this form and year."""

    @property
    def eligible(self) -> bool:
        return all(check.ok for check in self.checks)

    def failed(self) -> list[RuleCheck]:
        return [check for check in self.checks if not check.ok]


def cited(cite: Cite) -> dict[str, Any]:
    """A check's legal basis: its Vietnamese words, and its fields for another language."""
    return {"citation": cite.vietnamese(), "cite": cite.model_dump(mode="json", exclude_none=True)}


def _check(rule: str, ok: bool, cite: Cite, **params: Any) -> RuleCheck:
    return RuleCheck(rule=rule, ok=ok, **cited(cite), code=f"rule.{rule}.{'ok' if ok else 'failed'}",
                     params={key: value for key, value in params.items()})


def quota_limit(quota: Quota, facts: Facts, qualifying: int | None = None) -> int:
    """The quota's number: its ``max``, and its share of the blocs or of the ``qualifying`` leaders, rounded
    down (the smaller, where both are given)."""
    limits = [] if quota.max is None else [quota.max]
    if quota.per == "province_year" and quota.share is not None:
        base = facts.blocs_in_year if quota.of == "blocs" else (qualifying or 0)
        limits.append(math.floor(quota.share * base + 1e-9))
    return min(limits)  # the rulebook's validation gives every quota at least one


def _worst(ratings: list[str]) -> str | None:
    known = [rating for rating in ratings if rating in RATINGS]
    return max(known, key=RATINGS.index) if known else None


def _targets(rule: ExceededTargets, facts: Facts) -> RuleCheck:
    results = facts.targets or []
    missed = [result.code for result in results if not result.attained]
    beyond = [result.code for result in results if result.attained and (result.percent or 0) > 100]
    ok = bool(results) and not missed and bool(beyond)
    return _check("exceeded_targets", ok, rule.citation, unit_id=facts.unit_id, year=facts.year,
                  targets=len(results), attained=len(results) - len(missed), missed=", ".join(missed) or "-",
                  beyond=", ".join(beyond) or "-", recorded="yes" if facts.targets is not None else "no")


def _rated(rule: QualityRated, facts: Facts) -> RuleCheck:
    years = list(range(facts.year - rule.years + 1, facts.year + 1))
    found = {year: _worst(facts.ratings.get(year, [])) for year in years}
    short = [year for year, rating in found.items()
             if rating is None or RATINGS.index(rating) > RATINGS.index(rule.rating)]
    return _check("quality_rating", not short, rule.citation, unit_id=facts.unit_id, rating=rule.rating,
                  years=rule.years, found="; ".join(f"{year}: {rating or '-'}" for year, rating in found.items()),
                  short=", ".join(str(year) for year in short) or "-")


def _attested(rule: Attested, facts: Facts) -> RuleCheck:
    found = facts.attested.get(rule.fact)
    return _check("attested", found is not None, rule.citation, unit_id=facts.unit_id, year=facts.year,
                  fact=rule.fact, ref=found.ref if found else "-", on=found.on if found else "-")


def _simple(rule: Simple, facts: Facts, code: str, stage: Stage, rulebook: Rulebook) -> RuleCheck | None:
    if isinstance(rule, Registered):
        return _check("registered", facts.unit_status == "active", rule.citation, unit_id=facts.unit_id,
                      status=facts.unit_status)
    if isinstance(rule, NotFrozen):
        return _check("not_frozen", not facts.freezes, rule.citation, unit_id=facts.unit_id,
                      refs="; ".join(facts.freeze_refs()) or "-")
    if stage in FACTS_ONLY:
        return None
    if isinstance(rule, LeadsBloc):
        found = facts.rank is not None and facts.rank <= rule.places
        return _check("leads_bloc", found, rule.citation, unit_id=facts.unit_id, bloc_id=facts.bloc_id or "-",
                      year=facts.year, places=rule.places, rank=facts.rank if facts.rank is not None else "-")
    if isinstance(rule, HonouredByVote):
        if stage == "candidate":
            return None
        return _check("honoured_by_vote", bool(facts.honoured_by), rule.citation, unit_id=facts.unit_id,
                      award_code=code, year=facts.year, votes=", ".join(facts.honoured_by) or "-")
    if isinstance(rule, MeetsFormStandard):
        standard = standard_checks(rulebook, rule.form, facts)
        unmet = [check.rule for check in standard if not check.ok]
        return RuleCheck(rule="meets_form_standard", ok=bool(standard) and not unmet, **cited(rule.citation),
                         code=f"rule.meets_form_standard.{'ok' if standard and not unmet else 'failed'}",
                         params={"unit_id": facts.unit_id, "form": rule.form, "year": facts.year,
                                 "unmet": ", ".join(unmet) or "-"},
                         alternatives=standard)
    if isinstance(rule, ExceededTargets):
        return _targets(rule, facts)
    if isinstance(rule, QualityRated):
        return _rated(rule, facts)
    if isinstance(rule, Attested):
        return _attested(rule, facts)
    assert isinstance(rule, ConsecutiveTitles)
    # The years count from the period of the last decision of this form (Decree 152/2025 art. 33 cl. 7):
    # a year that earned it once does not earn it again.
    earlier = [year for (year, form), state in facts.held.items()
               if form == code and state == "decided" and year < facts.year]
    since = max(earlier) + 1 if earlier else None
    years = list(range(facts.year - rule.years + 1, facts.year + 1))
    missing = [year for year in years if (since is not None and year < since)
               or not any(facts.held.get((year, form)) == "decided" for form in rule.forms)]
    return _check("consecutive_titles", not missing, rule.citation, unit_id=facts.unit_id,
                  forms=", ".join(rule.forms), years=rule.years,
                  missing=", ".join(str(year) for year in missing) or "-", since=since or "-")


def standard_checks(rulebook: Rulebook, code: str, facts: Facts) -> list[RuleCheck]:
    """A form's standard judged from the facts, before any vote or proposal for it (empty: no such form)."""
    return [check for check in (_rule(rule, facts, code, "candidate", rulebook) for rule in rulebook.standard_of(code))
            if check is not None]


def _rule(rule: Rule, facts: Facts, code: str, stage: Stage, rulebook: Rulebook) -> RuleCheck | None:
    if not isinstance(rule, AnyOf):
        return _simple(rule, facts, code, stage, rulebook)
    if stage in FACTS_ONLY:
        return None
    judged = [_simple(sub, facts, code, stage, rulebook) for sub in rule.of]
    if None in judged:
        return None  # an alternative waits for the vote: the rule is judged when proposing
    alternatives = [check for check in judged if check is not None]
    met = [check for check in alternatives if check.ok]
    return RuleCheck(rule="any_of", ok=bool(met), **cited(rule.citation),
                     code=f"rule.any_of.{'ok' if met else 'failed'}",
                     params={"met": ", ".join(check.rule for check in met) or "-",
                             "rules": ", ".join(check.rule for check in alternatives)},
                     alternatives=alternatives)


def _one_form(rulebook: Rulebook, code: str, facts: Facts) -> list[RuleCheck]:
    """One achievement, one form: the unit holds no other form of an exclusive set for the same year."""
    checks = []
    for others, citation in rulebook.exclusive_with(code):
        held = [f"{form} ({facts.held[(facts.year, form)]})" for form in others if (facts.year, form) in facts.held]
        checks.append(_check("one_form", not held, citation, unit_id=facts.unit_id, year=facts.year,
                             award_code=code, forms=", ".join(others), held=", ".join(held) or "-"))
    return checks


def _quota(rulebook: Rulebook, quota: Quota, form: Form, facts: Facts, stage: Stage) -> RuleCheck:
    if quota.of == "blocs":
        limit = quota_limit(quota, facts)
        scope = "bloc_year" if quota.per == "bloc_year" else "province_year"
        return _check(f"quota_{scope}", facts.quota_used < limit, quota.citation, award_code=form.code,
                      year=facts.year, bloc_id=facts.bloc_id or "-", used=facts.quota_used, limit=limit,
                      blocs=facts.blocs_in_year, share=f"{(quota.share or 0) * 100:g}%")
    qualifying: list[str] = []
    failing: list[str] = []
    for unit_id, leader in sorted(facts.leaders.items()):
        unmet = [check.rule for check in standard_checks(rulebook, quota.standard or "", leader) if not check.ok]
        (failing if unmet else qualifying).append(f"{unit_id} ({', '.join(unmet)})" if unmet else unit_id)
    limit = quota_limit(quota, facts, len(qualifying))
    within = facts.quota_used < limit
    binding = stage in FACTS_ONLY
    return RuleCheck(
        rule="quota_leaders", ok=within or not binding, **cited(quota.citation),
        code=f"rule.quota_leaders.{'ok' if within else 'failed' if binding else 'nominee'}",
        params={"award_code": form.code, "year": facts.year, "used": facts.quota_used, "limit": limit,
                "share": f"{(quota.share or 0) * 100:g}%", "leaders": len(facts.leaders),
                "qualifying": len(qualifying), "standard": quota.standard or "-",
                "qualifying_units": ", ".join(qualifying) or "-", "failing_units": "; ".join(failing) or "-"})


def evaluate(rulebook: Rulebook, form: Form, facts: Facts, stage: Stage = "proposal") -> Verdict:
    """Every rule of ``form`` in ``rulebook`` applied to ``facts``, one achievement one form, and its quota."""
    checks = [check for check in (_rule(rule, facts, form.code, stage, rulebook) for rule in form.rules.eligibility)
              if check is not None]
    if stage not in FACTS_ONLY:
        checks.extend(_one_form(rulebook, form.code, facts))
    quota = form.rules.quota
    if quota is not None and (quota.binds_filing or stage != "candidate"):
        checks.append(_quota(rulebook, quota, form, facts, stage))
    return Verdict(facts.unit_id, facts.year, form.code, rulebook.version, checks, list(facts.honoured_by))
