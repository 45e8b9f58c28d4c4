"""A table of yearly quality ratings: every row read, or every bad row named and nothing recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from awards.domain.rating_import import RatingRow, RatingsRejected, read_ratings

UNITS = {"ubkt": "ubkt", "Ủy ban Kiểm tra Tỉnh ủy": "ubkt", "van-phong": "van-phong", "Văn phòng Tỉnh ủy": "van-phong"}
HEADER = ["unit", "year", "rating", "ref", "rated_on"]


def _row(unit: Any, year: Any, rating: Any, ref: Any = "QĐ 12/QĐ-UBND", rated_on: Any = None) -> dict[str, Any]:
    return dict(zip(HEADER, (unit, year, rating, ref, rated_on), strict=True))


def test_units_by_name_or_id_and_ratings_in_vietnamese_words_or_codes() -> None:
    rows = [_row("Ủy ban Kiểm tra Tỉnh ủy", 2023, "Hoàn thành xuất sắc nhiệm vụ", rated_on="10/01/2024"),
            {}, _row("van-phong", "2023", "good", rated_on=date(2024, 1, 11))]
    assert read_ratings(HEADER, rows, UNITS) == [
        RatingRow(2, "ubkt", 2023, "excellent", "QĐ 12/QĐ-UBND", date(2024, 1, 10)),
        RatingRow(4, "van-phong", 2023, "good", "QĐ 12/QĐ-UBND", date(2024, 1, 11))]


def test_every_bad_row_is_named_with_what_to_fix() -> None:
    rows = [_row("ubkt", 2023, "xuất sắc lắm"), _row("Sở Lạ", 2023, "good"), _row("ubkt", "năm ngoái", "good"),
            _row("van-phong", 2023, "good", rated_on="31/02/2024"), _row("van-phong", 2023, "excellent"),
            _row("ubkt", 2024, "good", ref="")]
    with pytest.raises(RatingsRejected) as rejected:
        read_ratings(HEADER, rows, UNITS)
    assert [(problem["row"], problem["code"]) for problem in rejected.value.params["problems"]] == [
        (2, "import.bad_choice"), (3, "import.unknown_unit"), (4, "import.bad_year"), (5, "import.bad_day"),
        (6, "import.twice"), (7, "import.required")]
    assert rejected.value.params["count"] == 6


def test_a_table_without_the_columns_is_refused_at_its_header() -> None:
    with pytest.raises(RatingsRejected) as rejected:
        read_ratings(["unit", "year"], [], UNITS)
    [problem] = rejected.value.params["problems"]
    assert (problem["row"], problem["params"]["columns"]) == (1, "rating, ref")
