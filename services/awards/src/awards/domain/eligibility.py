"""The eligibility engine: is a unit eligible for an award form in a year, and why, rule by rule.

Pure: the caller gathers the :class:`Facts` (from the read models, in the command's transaction) and the
engine answers with one :class:`Check` per rule of the form in the rulebook in force, each with its
citation and a message code whose parameters say what was found. The same engine serves candidate lists
before a vote (``stage="candidate"``: the vote's own outcome is not asked yet), proposals and decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from awards.domain.rulebook import (
    AnyOf,
    ConsecutiveTitles,
    Form,
    HonouredByVote,
    LeadsBloc,
    MeetsFormStandard,
    NotFrozen,
    Quota,
    Registered,
    Rule,
    Rulebook,
    Simple,
)
from thidua_contracts.awards import RuleCheck

Stage = Literal["candidate", "proposal", "decision"]
RULE_NAMES = {"met": "rule.name.", "rules": "rule.name."}
"""The parameters of an any-of check that list rules, and the catalogue prefix that names them in words."""
UnitStatus = Literal["active", "unknown", "dissolved", "merged"]


@dataclass(frozen=True)
class Freeze:
    ref: str
    reason: str


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


def _check(rule: str, ok: bool, citation: str, **params: Any) -> RuleCheck:
    return RuleCheck(rule=rule, ok=ok, citation=citation, code=f"rule.{rule}.{'ok' if ok else 'failed'}",
                     params={key: value for key, value in params.items()})


def quota_limit(quota: Quota, facts: Facts) -> int:
    limits = [] if quota.max is None else [quota.max]
    if quota.per == "province_year" and quota.share is not None:
        limits.append(int(quota.share * facts.blocs_in_year + 1e-9))
    return min(limits)  # the rulebook's validation gives every quota at least one


def _simple(rule: Simple, facts: Facts, code: str, stage: Stage) -> RuleCheck | None:
    if isinstance(rule, Registered):
        return _check("registered", facts.unit_status == "active", rule.citation, unit_id=facts.unit_id,
                      status=facts.unit_status)
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
        # Proposed is enough to propose; the decision needs the other form decided.
        state = facts.held.get((facts.year, rule.form))
        met = state == "decided" if stage == "decision" else state is not None
        return _check("meets_form_standard", met, rule.citation, unit_id=facts.unit_id,
                      form=rule.form, year=facts.year, state=state or "-")
    if isinstance(rule, ConsecutiveTitles):
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
    assert isinstance(rule, NotFrozen)
    return _check("not_frozen", not facts.freezes, rule.citation, unit_id=facts.unit_id,
                  refs="; ".join(facts.freeze_refs()) or "-")


def _rule(rule: Rule, facts: Facts, code: str, stage: Stage) -> RuleCheck | None:
    if not isinstance(rule, AnyOf):
        return _simple(rule, facts, code, stage)
    judged = [_simple(sub, facts, code, stage) for sub in rule.of]
    if None in judged:
        return None  # an alternative waits for the vote: the rule is judged when proposing
    alternatives = [check for check in judged if check is not None]
    met = [check for check in alternatives if check.ok]
    return RuleCheck(rule="any_of", ok=bool(met), citation=rule.citation,
                     code=f"rule.any_of.{'ok' if met else 'failed'}",
                     params={"met": ", ".join(check.rule for check in met) or "-",
                             "rules": ", ".join(check.rule for check in alternatives)},
                     alternatives=alternatives)


def evaluate(rulebook: Rulebook, form: Form, facts: Facts, stage: Stage = "proposal") -> Verdict:
    """Every rule of ``form`` in ``rulebook`` applied to ``facts``, and its quota."""
    checks = [check for check in (_rule(rule, facts, form.code, stage) for rule in form.rules.eligibility)
              if check is not None]
    quota = form.rules.quota
    if quota is not None:
        limit = quota_limit(quota, facts)
        scope = "bloc_year" if quota.per == "bloc_year" else "province_year"
        checks.append(_check(f"quota_{scope}", facts.quota_used < limit, quota.citation, award_code=form.code,
                             year=facts.year, bloc_id=facts.bloc_id or "-", used=facts.quota_used, limit=limit,
                             blocs=facts.blocs_in_year, share=f"{(quota.share or 0) * 100:g}%"))
    return Verdict(facts.unit_id, facts.year, form.code, rulebook.version, checks, list(facts.honoured_by))
