"""Reward money (tiền thưởng): a form's multiple of the base salary (mức lương cơ sở) in force on the
decision's date, rounded up to tens of thousands of đồng.

The base salary is set by Government decree from a date; the table below is data, each row with the decree
that set it. The rounding follows Decree 91/2017/NĐ-CP art. 70 cl. 3 ("làm tròn số lên hàng chục nghìn
đồng"), which the later decrees keep (the clause of Decree 98/2023 and 152/2025 is not re-checked here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal


@dataclass(frozen=True)
class BaseSalary:
    in_force_from: date
    vnd: int
    basis: str


BASE_SALARIES = (
    BaseSalary(date(2019, 7, 1), 1_490_000, "Nghị định số 38/2019/NĐ-CP"),
    BaseSalary(date(2023, 7, 1), 1_800_000, "Nghị định số 24/2023/NĐ-CP"),
    BaseSalary(date(2024, 7, 1), 2_340_000, "Nghị định số 73/2024/NĐ-CP"),
)
ROUNDING = Decimal(10_000)


@dataclass(frozen=True)
class Reward:
    multiple: float
    base_salary: BaseSalary
    vnd: int


def base_salary_on(day: date) -> BaseSalary | None:
    """The base salary in force on ``day`` (none before the table starts)."""
    in_force = [salary for salary in BASE_SALARIES if salary.in_force_from <= day]
    return in_force[-1] if in_force else None


def reward_on(multiple: float, day: date) -> Reward | None:
    """``multiple`` times the base salary of ``day``, rounded up to tens of thousands of đồng."""
    salary = base_salary_on(day)
    if salary is None:
        return None
    exact = Decimal(str(multiple)) * salary.vnd
    rounded = (exact / ROUNDING).to_integral_value(rounding=ROUND_CEILING) * ROUNDING
    return Reward(multiple, salary, int(rounded))
