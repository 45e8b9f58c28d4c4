"""The national default rulebooks, as data, versioned by the date they take effect.

Sources (see DOMAIN.md): Law 06/2022/QH15 on emulation and commendation; Decree 98/2023/NĐ-CP (until
30 June 2025); Decree 152/2025/NĐ-CP (from 1 July 2025). Provinces adopt their own versions later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Form:
    code: str
    name_vi: str
    decided_by: str
    base_multiple: float


@dataclass(frozen=True)
class Rulebook:
    version: str
    effective_from: date
    legal_basis: tuple[str, ...]
    forms: tuple[Form, ...]

    def form(self, code: str) -> Form | None:
        return next((form for form in self.forms if form.code == code), None)


FORMS = (
    Form("GOV_FLAG", "Cờ thi đua của Chính phủ", "Prime Minister", 12),
    Form("PROV_FLAG", "Cờ thi đua của UBND tỉnh", "Provincial People's Committee", 8),
    Form("PROV_MERIT", "Bằng khen của Chủ tịch UBND tỉnh", "Chairman of the PPC", 3),
    Form("EXCELLENT_COLLECTIVE", "Tập thể lao động xuất sắc", "Chairman of the PPC", 1.5),
    Form("ADVANCED_COLLECTIVE", "Tập thể lao động tiên tiến", "head of the agency", 0.8),
)

NATIONAL_DEFAULTS = (
    Rulebook("VN-98-2023", date(2024, 1, 1),
             ("Law 06/2022/QH15", "Decree 98/2023/NĐ-CP"), FORMS),
    Rulebook("VN-152-2025", date(2025, 7, 1),
             ("Law 06/2022/QH15", "Decree 152/2025/NĐ-CP"), FORMS),
)


def in_force(on: date, rulebooks: tuple[Rulebook, ...] = NATIONAL_DEFAULTS) -> Rulebook:
    """The rulebook version in force on ``on``: the latest whose effective date has come."""
    applicable = [book for book in rulebooks if book.effective_from <= on]
    return max(applicable, key=lambda book: book.effective_from) if applicable else rulebooks[0]
