"""What the scoring commands send: the options a person gives become the request's fields."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from recording_server import Recording, serving
from typer.testing import CliRunner

from thidua_cli.main import app

BASE = "/provinces/HNM/blocs/khoi-dang/years/2025"


@pytest.fixture
def service_url() -> Iterator[str]:
    Recording.seen = []
    with serving(Recording) as url:
        yield url


def _run(service_url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["scoring", *args, "--province", "hnm", "--token", "t", "--url", service_url])
    assert result.exit_code == 0, result.output
    return result.output


def test_target_results_are_sent_one_per_target_with_numbers_where_the_target_has_them(service_url: str) -> None:
    _run(service_url, "target-results", "khoi-dang", "2025", "--unit", "ubkt", "--result", "T1:yes:1250/1000",
         "--result", "T2:không", "--on", "2025-12-20")
    assert Recording.seen == [(f"POST {BASE}/target-results", {"unit_id": "ubkt", "recorded_on": "2025-12-20",
                                                               "results": [
        {"code": "T1", "attained": True, "achieved": 1250.0, "planned": 1000.0},
        {"code": "T2", "attained": False}]})]


@pytest.mark.parametrize("given", ["T1", "T1:maybe", "T1:yes:1250", "T1:yes:nhiều/1000", ":yes"])
def test_a_target_result_the_command_cannot_read_is_refused_with_its_form(service_url: str, given: str) -> None:
    result = CliRunner().invoke(app, ["scoring", "target-results", "khoi-dang", "2025", "--unit", "ubkt",
                                      "--result", given, "--province", "HNM", "--token", "t", "--url", service_url])
    assert result.exit_code == 2
    assert "T1:yes:1250/1000" in result.output
    assert Recording.seen == []


def test_the_chairs_team_verifies_a_self_assessment(service_url: str) -> None:
    _run(service_url, "verify", "khoi-dang", "2025", "--unit", "ubkt", "--by", "Tổ thẩm định", "--notes", "Đủ")
    assert Recording.seen == [(f"POST {BASE}/verifications",
                               {"unit_id": "ubkt", "verified_by": "Tổ thẩm định", "notes": "Đủ"})]


def test_a_tie_is_resolved_in_the_blocs_order_on_a_decision_or_a_vote(service_url: str) -> None:
    _run(service_url, "resolve-tie", "khoi-dang", "2025", "--unit", "ubkt", "--unit", "ban-to-chuc",
         "--vote", "suy-ton-1")
    _run(service_url, "resolve-tie", "khoi-dang", "2025", "--unit", "a", "--unit", "b", "--decision", "05/QĐ-KTĐ",
         "--on", "2026-01-03")
    assert Recording.seen == [
        (f"POST {BASE}/tie-resolutions", {"order": ["ubkt", "ban-to-chuc"], "ground": "vote",
                                          "reference": "suy-ton-1"}),
        (f"POST {BASE}/tie-resolutions", {"order": ["a", "b"], "ground": "decision", "reference": "05/QĐ-KTĐ",
                                          "resolved_on": "2026-01-03"})]


def test_a_tie_needs_exactly_one_ground(service_url: str) -> None:
    for grounds in ([], ["--vote", "v", "--decision", "d"]):
        result = CliRunner().invoke(app, ["scoring", "resolve-tie", "khoi-dang", "2025", "--unit", "a", "--unit",
                                          "b", *grounds, "--province", "HNM", "--token", "t", "--url", service_url])
        assert result.exit_code == 2
        assert "--decision NUMBER or --vote ID" in result.output
    assert Recording.seen == []


def test_a_table_is_adopted_from_its_json_with_its_method_and_bands(service_url: str, tmp_path: Path) -> None:
    table = {"method": "trimmed_mean", "criteria": [{"code": "C1", "group": "g", "title": "t", "max_points": 60}],
             "bands": [{"name": "Xuất sắc", "min_points": 90}]}
    file = tmp_path / "bang-diem.json"
    file.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    _run(service_url, "adopt", "khoi-dang", "2025", str(file), "--reason", "thêm xếp loại")
    _run(service_url, "finals", "khoi-dang", "2025")
    _run(service_url, "publish", "khoi-dang", "2025")
    assert Recording.seen == [(f"POST {BASE}/table", {**table, "reason": "thêm xếp loại"}),
                              (f"POST {BASE}/finals", {}), (f"POST {BASE}/ranking", {})]
