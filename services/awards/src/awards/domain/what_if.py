"""What if: a proposal judged again under another rulebook version, beside the version it was filed under.

Both verdicts are judged from the same facts at the stage of filing (the dossier's standards), so that what
differs is the rules, never the facts: the facts as the read models (built from the services' logs) hold them
when asked, the proposal itself left out of its counts. A verdict recorded at filing may differ from the one
judged again under the same version where the facts have moved since (a freeze, a merger); the proposal's
explanation shows the recorded one. Nothing is recorded: an auditor asks, the engine answers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from awards.domain.eligibility import Facts, Verdict, evaluate
from awards.domain.rulebook import Rulebook
from thidua_contracts.awards import RuleCheck


@dataclass(frozen=True)
class FiledProposal:
    """A proposal as the log has it: what was proposed, and the rulebook version pinned on it at filing."""

    proposal_id: str
    unit_id: str
    year: int
    award_code: str
    bloc_id: str | None
    rule_version: str


@dataclass(frozen=True)
class RuleDifference:
    """One rule of the two verdicts: its check under the filed version and under the other (None: that version has
    no such rule for the form)."""

    rule: str
    applied: RuleCheck | None
    other: RuleCheck | None


@dataclass(frozen=True)
class Rejudged:
    """A proposal's verdict under the version it was filed under and under ``other`` (None: that version has no
    such form); ``differences`` are the rules met on one side and not the other (or on one side only),
    ``recited`` the rules met alike whose legal basis is cited otherwise."""

    proposal: FiledProposal
    applied: Verdict
    other: Verdict | None
    differences: list[RuleDifference] = field(default_factory=list)
    recited: list[RuleDifference] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return self.other is None or self.applied.eligible != self.other.eligible or bool(self.differences)


def _keyed(checks: list[RuleCheck]) -> dict[tuple[str, str, int], RuleCheck]:
    """Each check by its rule, what it asks of (an attested fact, a form's standard) and its place among the
    checks of the same rule, so that the same rule of two versions meets its counterpart."""
    seen: Counter[tuple[str, str]] = Counter()
    keyed = {}
    for check in checks:
        about = str(check.params.get("fact") or check.params.get("form") or check.params.get("forms") or "")
        seen[(check.rule, about)] += 1
        keyed[(check.rule, about, seen[(check.rule, about)])] = check
    return keyed


def compare(applied: Verdict, other: Verdict) -> tuple[list[RuleDifference], list[RuleDifference]]:
    """The rules whose outcome differs between the two verdicts, and those met alike but cited otherwise."""
    mine, theirs = _keyed(applied.checks), _keyed(other.checks)
    differences, recited = [], []
    for key in [*mine, *(key for key in theirs if key not in mine)]:
        before, after = mine.get(key), theirs.get(key)
        if before is None or after is None or before.ok != after.ok:
            differences.append(RuleDifference(key[0], before, after))
        elif before.citation != after.citation:
            recited.append(RuleDifference(key[0], before, after))
    return differences, recited


def rejudge(proposal: FiledProposal, applied: Rulebook, applied_facts: Facts, other: Rulebook,
            other_facts: Facts) -> Rejudged:
    """The proposal judged at filing under ``applied`` (the version pinned on it) and under ``other``, each from the
    facts its form asks about (the same record: only a quota another version sets otherwise is counted otherwise)."""
    form = applied.form(proposal.award_code)
    if form is None:
        raise ValueError(f"{proposal.award_code} is not a form of {applied.version}")
    verdict = evaluate(applied, form, applied_facts, "proposal")
    other_form = other.form(proposal.award_code)
    if other_form is None:
        return Rejudged(proposal, verdict, None)
    other_verdict = evaluate(other, other_form, other_facts, "proposal")
    differences, recited = compare(verdict, other_verdict)
    return Rejudged(proposal, verdict, other_verdict, differences, recited)
