"""``thidua notifications settings set``: the options a person gives become the settings sent, all at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from recording_server import Recording, serving
from typer.testing import CliRunner

from thidua_cli.main import app


@pytest.fixture
def service_url() -> Iterator[str]:
    Recording.seen = []
    with serving(Recording) as url:
        yield url


def test_the_settings_are_sent_whole_with_secretariats_by_bloc_and_audiences_by_kind(service_url: str) -> None:
    result = CliRunner().invoke(app, [
        "notifications", "settings", "set", "--province", "hnm", "--token", "t", "--url", service_url,
        "--staff-email", "tdkt@snv.hanam.gov.vn", "--secretariat", "khoi-dang=thuky@hanam.gov.vn",
        "--secretariat", "khoi-dang=vanthu@hanam.gov.vn", "--audience", "award_decided=unit, province_staff",
        "--audience", "vote_opened=", "--english", "portal@hanam.gov.vn"])
    assert result.exit_code == 0, result.output
    assert Recording.seen == [("PUT /provinces/HNM/notification-settings", {
        "staff_emails": ["tdkt@snv.hanam.gov.vn"],
        "bloc_secretariats": {"khoi-dang": ["thuky@hanam.gov.vn", "vanthu@hanam.gov.vn"]},
        "audiences": {"award_decided": ["unit", "province_staff"], "vote_opened": []},
        "english_addresses": ["portal@hanam.gov.vn"]})]


def test_a_secretariat_without_its_bloc_is_refused_before_anything_is_sent(service_url: str) -> None:
    result = CliRunner().invoke(app, [
        "notifications", "settings", "set", "--province", "HNM", "--token", "t", "--url", service_url,
        "--secretariat", "thuky@hanam.gov.vn"])
    assert result.exit_code == 2
    assert "BLOC_ID=ADDRESS" in result.output
    assert Recording.seen == []
