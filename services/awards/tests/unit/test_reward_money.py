"""Reward money (issue 11, item 10): the form's multiple of the base salary on the decision's date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awards.domain.money import BASE_SALARIES, base_salary_on, reward_on


@pytest.mark.parametrize(("day", "multiple", "vnd", "basis"), [
    (date(2024, 2, 20), 8, 14_400_000, "Nghị định số 24/2023/NĐ-CP"),
    (date(2024, 6, 30), 12, 21_600_000, "Nghị định số 24/2023/NĐ-CP"),
    (date(2024, 7, 1), 12, 28_080_000, "Nghị định số 73/2024/NĐ-CP"),
    (date(2024, 7, 1), 0.8, 1_880_000, "Nghị định số 73/2024/NĐ-CP"),  # 1,872,000 rounded up
    (date(2023, 6, 30), 1.5, 2_240_000, "Nghị định số 38/2019/NĐ-CP"),  # 2,235,000 rounded up
])
def test_the_base_salary_in_force_on_the_decision_day_times_the_forms_multiple_rounded_up(
        day: date, multiple: float, vnd: int, basis: str) -> None:
    reward = reward_on(multiple, day)
    assert reward is not None
    assert (reward.vnd, reward.base_salary.basis) == (vnd, basis)


def test_no_reward_before_the_table_starts() -> None:
    assert reward_on(3, date(2019, 6, 30)) is None


@given(day=st.dates(min_value=date(2019, 7, 1), max_value=date(2030, 12, 31)),
       tenths=st.integers(min_value=1, max_value=300))
def test_the_amount_is_whole_tens_of_thousands_never_below_the_exact_product(day: date, tenths: int) -> None:
    reward = reward_on(tenths / 10, day)
    salary = base_salary_on(day)
    assert reward is not None
    assert salary in BASE_SALARIES
    exact = tenths * salary.vnd / 10
    assert reward.vnd % 10_000 == 0
    assert exact <= reward.vnd < exact + 10_000
