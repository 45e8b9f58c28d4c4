"""Scoring's HTTP API on a real database and broker: the errors a user gets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from scoring.bootstrap import create_app
from thidua_shared.testing import ApiUnderTest, running_service


@pytest.fixture
async def scoring(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    async with running_service(create_app, tmp_path, kafka_bootstrap) as service:
        yield service


async def test_a_bloc_the_registry_does_not_know_is_refused_saying_what_to_fix(scoring: ApiUnderTest) -> None:
    admin = await scoring.token("admin")
    async with scoring.client(admin, language="en") as english, scoring.client(admin) as vietnamese:
        answer = await english.post(f"{scoring.base}/blocs/b/years/2023/scores",
                                    json={"unit_id": "u", "breakdown": {"C1": 50}})
        in_vietnamese = await vietnamese.post(f"{scoring.base}/blocs/b/years/2023/table", json={
            "criteria": [{"code": "C1", "group": "g", "title": "t", "max_points": 5}]})
    assert answer.status_code == in_vietnamese.status_code == 404
    assert answer.json()["error"] == "registry.unknown_bloc"
    assert "The registry has no bloc b. Check the bloc's code" in answer.json()["message"]
    assert "Sổ đăng ký không có khối b" in in_vietnamese.json()["message"]


async def test_a_unit_officer_cannot_record_final_scores(scoring: ApiUnderTest) -> None:
    officer = await scoring.token("unit_officer", unit_id="u")
    async with scoring.client(officer) as http:
        answer = await http.post(f"{scoring.base}/blocs/b/years/2023/scores",
                                 json={"unit_id": "u", "breakdown": {"C1": 1}})
    assert answer.status_code == 403
    assert "bloc_secretary" in answer.json()["message"]


async def test_the_scoreboard_of_another_province_is_not_readable(scoring: ApiUnderTest) -> None:
    other = await scoring.token("auditor", province="NBH")
    async with scoring.client(other) as http:
        answer = await http.get(f"{scoring.base}/blocs/b/years/2023/scoreboard")
    assert answer.status_code == 403


@pytest.mark.parametrize("raw", [
    b'{"unit_id": "u", "breakdown": {"C1": NaN}}',
    b'{"unit_id": "u", "breakdown": {"C1": Infinity}}',
    b'{"unit_id": "u", "breakdown": {"C1": 1e308, "C2": 1e308}}',
])
async def test_points_that_json_cannot_carry_or_beyond_bounds_are_refused(scoring: ApiUnderTest,
                                                                          raw: bytes) -> None:
    admin = await scoring.token("admin")
    async with scoring.client(admin, language="en") as http:
        answer = await http.post(f"{scoring.base}/blocs/b/years/2023/scores", content=raw,
                                 headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert "breakdown.C1" in answer.json()["message"]


async def test_a_year_out_of_range_in_the_path_is_a_clear_422(scoring: ApiUnderTest) -> None:
    admin = await scoring.token("admin")
    async with scoring.client(admin, language="en") as http:
        answer = await http.post(f"{scoring.base}/blocs/b/years/1944/scores",
                                 json={"unit_id": "u", "breakdown": {"C1": 1}})
    assert answer.status_code == 422
    assert "year: must be 1945 or more" in answer.json()["message"]


async def test_a_province_this_instance_does_not_serve_is_not_found(scoring: ApiUnderTest) -> None:
    stranger = await scoring.token("admin", province="XYZ")
    async with scoring.client(stranger, language="en") as http:
        answer = await http.get("/provinces/XYZ/blocs/b/years/2023/scoreboard")
    assert answer.status_code == 404
    assert f"it serves: {scoring.province}" in answer.json()["message"]


async def test_reading_a_year_out_of_range_is_a_clear_422(scoring: ApiUnderTest) -> None:
    async with scoring.client(await scoring.token("auditor"), language="en") as http:
        board = await http.get(f"{scoring.base}/blocs/b/years/0/scoreboard")
        export = await http.get(f"{scoring.base}/blocs/b/years/10000/export")
    assert board.status_code == export.status_code == 422
    assert "year" in board.json()["message"]


@pytest.mark.parametrize("points", ["5", True, None, "NaN"])
async def test_points_are_json_numbers_not_strings_or_flags(scoring: ApiUnderTest, points: object) -> None:
    admin = await scoring.token("admin")
    async with scoring.client(admin) as http:
        vietnamese = await http.post(f"{scoring.base}/blocs/b/years/2023/scores",
                                     json={"unit_id": "u", "breakdown": {"C1": points}})
    assert vietnamese.status_code == 422
    assert "breakdown.C1: phải là số JSON (không đặt trong ngoặc kép, không phải true/false)" in (
        vietnamese.json()["message"])


async def test_a_year_with_twenty_digits_is_a_clear_422_not_an_overflow(scoring: ApiUnderTest) -> None:
    async with scoring.client(await scoring.token("auditor"), language="en") as http:
        answer = await http.get(f"{scoring.base}/blocs/b/years/{10**20}/scoreboard")
    assert answer.status_code == 422
    assert "year: must be 2100 or less" in answer.json()["message"]


async def test_a_bloc_id_outside_the_identifier_form_is_refused_before_any_export(scoring: ApiUnderTest) -> None:
    async with scoring.client(await scoring.token("auditor"), language="en") as http:
        answer = await http.get(f"{scoring.base}/blocs/khối-đảng/years/2024/export")
    assert answer.status_code == 422
    assert answer.json()["error"] == "request.invalid"
    assert "bloc_id: does not match" in answer.json()["message"]
