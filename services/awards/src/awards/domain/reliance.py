"""Which awards rest on which: read from the checks a proposal's steps recorded, so that a revocation reaches
every award that rested on the revoked one (Law 2022 art. 93).

An award rests on another unit's award of a year when the quota that let it through counted that unit as a
qualifying leader (the Government flag's 20%), and on the unit's own earlier titles when its consecutive titles
counted them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thidua_contracts.awards import FlagGround, RuleCheck


def reliances(year: int, checks: Iterable[RuleCheck]) -> list[dict[str, Any]]:
    """What the checks of a proposal of ``year`` rested on: ``{"unit_id", "year", "forms", "ground"}`` (``forms``
    empty: any award of that unit and year), for the read model."""
    found: list[dict[str, Any]] = []
    for check in checks:
        if check.rule == "quota_leaders" and check.ok:
            units = str(check.params.get("qualifying_units", "-"))
            found.extend({"unit_id": unit_id, "year": year, "forms": [], "ground": "quota_leader"}
                         for unit_id in units.split(", ") if unit_id and unit_id != "-")
        elif check.rule == "consecutive_titles" and check.ok:
            forms = [form for form in str(check.params.get("forms", "")).split(", ") if form]
            years = int(check.params.get("years", 0))
            unit_id = str(check.params.get("unit_id", ""))
            found.extend({"unit_id": unit_id, "year": each, "forms": forms, "ground": "consecutive_titles"}
                         for each in range(year - years + 1, year + 1))
        found.extend(reliances(year, check.alternatives))
    return found


def rests_on(recorded: Iterable[dict[str, Any]], units: Iterable[str], year: int, award_code: str) -> FlagGround | None:
    """Whether what a proposal rested on includes ``award_code`` of ``year`` held by one of ``units`` (the revoked
    award's unit and the units merged into it)."""
    family = set(units)
    for reliance in recorded:
        if reliance["unit_id"] in family and reliance["year"] == year \
                and (not reliance["forms"] or award_code in reliance["forms"]):
            ground: FlagGround = "quota_leader" if reliance["ground"] == "quota_leader" else "consecutive_titles"
            return ground
    return None
