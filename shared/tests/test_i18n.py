"""What a person reads of a message's parameters: dates as dd/mm/yyyy, roles and states in words."""

from __future__ import annotations

from datetime import date

from thidua_shared.i18n import render

CATALOGUE = {
    "x.left": {"vi": "{role} rời khối ngày {day}, sau ngày {joined}.",
               "en": "The {role} left on {day}, after {joined}."},
    "value.role.chair": {"vi": "Trưởng khối", "en": "chair"},
}


def test_days_read_as_day_month_year_and_known_values_in_words() -> None:
    params = {"role": "chair", "day": "2024-06-01", "joined": date(2024, 3, 1)}
    assert render(CATALOGUE, "x.left", "vi", params) == "Trưởng khối rời khối ngày 01/06/2024, sau ngày 01/03/2024."
    assert render(CATALOGUE, "x.left", "en", params) == "The chair left on 01/06/2024, after 01/03/2024."


def test_other_values_are_left_as_they_are() -> None:
    params = {"role": "member", "day": "2024-06", "joined": 2024}
    assert render(CATALOGUE, "x.left", "en", params) == "The member left on 2024-06, after 2024."
