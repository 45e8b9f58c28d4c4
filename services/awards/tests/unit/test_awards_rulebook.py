"""The rulebook in force on a date decides the forms and is recorded with the proposal."""

from __future__ import annotations

from datetime import date

import pytest

from awards.domain.model import Proposal
from awards.domain.rulebook import in_force
from thidua_shared.contracts.awards import AwardProposed
from thidua_shared.errors import Conflict, Invalid


def test_decree_98_applies_until_30_june_2025_and_decree_152_from_1_july() -> None:
    assert in_force(date(2025, 6, 30)).version == "VN-98-2023"
    assert in_force(date(2025, 7, 1)).version == "VN-152-2025"


def test_a_proposal_records_the_rule_version_in_force_on_its_date() -> None:
    [event] = Proposal("p1").propose("u", True, 2024, "PROV_FLAG", "b", (95.0, 1), date(2025, 1, 10))
    assert isinstance(event, AwardProposed)
    assert event.basis.rule_version == "VN-98-2023"
    assert (event.basis.total, event.basis.rank) == (95.0, 1)


def test_an_unknown_award_form_is_refused_with_the_known_forms() -> None:
    with pytest.raises(Invalid) as refused:
        Proposal("p1").propose("u", True, 2024, "GOLD_STAR", None, None, date(2025, 8, 1))
    assert "PROV_FLAG" in refused.value.params["forms"]


def test_a_bloc_proposal_needs_the_units_final_score() -> None:
    with pytest.raises(Conflict):
        Proposal("p1").propose("u", True, 2024, "PROV_FLAG", "b", None, date(2025, 8, 1))
