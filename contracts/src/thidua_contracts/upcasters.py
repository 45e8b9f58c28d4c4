"""The steps that keep the contract's old event versions readable (see :mod:`thidua_contracts.upcasting`).

One function per step, named after the version it makes; registered when the package is imported.
"""

from __future__ import annotations

from thidua_contracts.upcasting import Payload, upcaster


@upcaster("ProvinceSettingsChanged", 1)
def province_settings_v2(payload: Payload) -> Payload:
    """Version 1 said only whether a chair may serve two years running; the settings added since take
    their national defaults (more than half of the members elect; no preference for the vice-chair)."""
    return {"code": payload["code"], "chair_rest_years": 0 if payload["chair_may_serve_consecutive_years"] else 1,
            "election_majority_percent": 50, "outgoing_vice_chair_preferred": False}


def _self_assessment_as_it_stands(method: str) -> str:
    """Version 1's ``verified_self`` had no verification step: the self-assessment with the secretariat's
    adjustments, which version 2 calls ``adjusted_self`` (its ``verified_self`` needs a verification)."""
    return "adjusted_self" if method == "verified_self" else method


@upcaster("ScoringTableAdopted", 1)
def scoring_table_v2(payload: Payload) -> Payload:
    """A table of version 1 keeps the method it meant (see :func:`_self_assessment_as_it_stands`)."""
    if "method" not in payload:
        return payload
    return {**payload, "method": _self_assessment_as_it_stands(payload["method"])}


@upcaster("UnitScored", 1)
def unit_scored_v2(payload: Payload) -> Payload:
    """A final score of version 1 keeps the method it was computed by (see
    :func:`_self_assessment_as_it_stands`)."""
    return {**payload, "method": _self_assessment_as_it_stands(payload["method"])}
