"""The bounded types every command uses: strict numbers, bounded years and days, clean NFC texts."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from pydantic import Field, ValidationError

from thidua_shared.commands import Command, Day, Identifier, Line, Paragraph, Year
from thidua_shared.errors import Invalid
from thidua_shared.text import clean_line, forbidden_character, same_text

NAME = "Ủy ban Kiểm tra"
NFD_NAME = unicodedata.normalize("NFD", NAME)


class Example(Command):
    name: Line = Field(default="x", min_length=1, max_length=20)
    note: Paragraph = Field(default="", max_length=2000)
    year: Year = 2025
    on: Day = date(2025, 1, 1)
    unit_id: Identifier = "u"
    points: float = 0
    count: int = 0
    flag: bool = False


def _refusal(**fields: object) -> str:
    with pytest.raises(ValidationError) as refused:
        Example.model_validate(fields)
    [error] = refused.value.errors()
    return str(error["type"])


def test_a_text_is_brought_to_nfc() -> None:
    assert NFD_NAME != NAME
    assert Example.model_validate({"name": NFD_NAME}).name == NAME
    assert Example.model_validate({"note": NFD_NAME}).note == NAME


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\ud800"])
def test_a_line_with_a_control_character_or_a_lone_surrogate_is_refused(character: str) -> None:
    assert _refusal(name=f"Ủy{character}ban") == "text_control_character"


def test_a_paragraph_may_hold_line_breaks_but_no_nul() -> None:
    assert Example.model_validate({"note": "một\ndòng\tkhác"}).note == "một\ndòng\tkhác"
    assert _refusal(note="một\x00") == "text_control_character"


def test_a_line_typed_over_two_lines_of_a_cell_is_one_line() -> None:
    assert Example.model_validate({"name": "một\r\n dòng"}).name == "một dòng"
    assert clean_line("Trường THPT\nchuyên", "name") == "Trường THPT chuyên"


def test_a_text_longer_than_its_field_allows_is_refused() -> None:
    assert _refusal(name="x" * 21) == "string_too_long"
    assert _refusal(note="x" * 2001) == "string_too_long"


@pytest.mark.parametrize(("year", "problem"), [(1944, "greater_than_equal"), (2101, "less_than_equal"),
                                               (10**20, "less_than_equal"), ("2025", "int_type"),
                                               (True, "int_type"), (2025.0, "int_type")])
def test_a_year_is_a_json_integer_from_1945_to_2100(year: object, problem: str) -> None:
    assert _refusal(year=year) == problem


@pytest.mark.parametrize(("day", "problem"), [("9999-01-01", "less_than_equal"), ("1900-01-01", "greater_than_equal"),
                                              ("2025-02-30", "date_from_datetime_parsing")])
def test_a_day_is_bounded(day: str, problem: str) -> None:
    assert _refusal(on=day) == problem


def test_a_day_is_read_from_its_json_text() -> None:
    assert Example.model_validate({"on": "2025-06-30"}).on == date(2025, 6, 30)


@pytest.mark.parametrize(("field", "value", "problem"), [("points", "5", "float_type"), ("points", True, "float_type"),
                                                         ("count", "3", "int_type"), ("count", 2.5, "int_type"),
                                                         ("flag", "true", "bool_type"), ("flag", 1, "bool_type"),
                                                         ("unit_id", 5, "string_type")])
def test_numbers_flags_and_texts_are_not_coerced(field: str, value: object, problem: str) -> None:
    assert _refusal(**{field: value}) == problem


def test_an_integer_is_a_number_of_points() -> None:
    assert Example.model_validate({"points": 5}).points == 5.0


def test_an_identifier_is_at_most_100_characters() -> None:
    assert _refusal(unit_id="a" * 101) in ("string_too_long", "string_pattern_mismatch")


def test_names_compare_equal_in_either_spelling() -> None:
    assert same_text(NFD_NAME, NAME)
    assert same_text(f" {NAME} ", NAME)
    assert not same_text(NAME, "Ủy ban Kiểm tra Tỉnh ủy")


def test_a_name_that_skips_the_command_model_is_cleaned_or_refused_in_the_domain() -> None:
    assert clean_line(f" {NFD_NAME} ", "name") == NAME
    with pytest.raises(Invalid) as refused:
        clean_line("Ủy\x00ban", "name")
    assert refused.value.code == "text.control_character"
    assert refused.value.params == {"field": "name", "character": "U+0000"}
    assert forbidden_character("a\nb", frozenset("\n")) is None
