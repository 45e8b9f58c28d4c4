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
