"""What the awards and registry commands send: the options a person gives become the request's fields."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from recording_server import Recording, serving
from typer.testing import CliRunner

from thidua_cli.main import app


@pytest.fixture
def service_url() -> Iterator[str]:
    Recording.seen = []
    with serving(Recording) as url:
        yield url


def test_a_runoff_vote_is_opened_for_the_places_left_among_the_tied(service_url: str) -> None:
    result = CliRunner().invoke(app, [
        "awards", "vote", "open", "v2", "khoi-dang", "2025", "PROV_FLAG", "--province", "hnm", "--token", "t",
        "--url", service_url, "--candidate", "b", "--candidate", "c", "--places", "1", "--runoff-of", "v1"])
    assert result.exit_code == 0, result.output
    assert Recording.seen == [("POST /provinces/HNM/votes", {
        "vote_id": "v2", "bloc_id": "khoi-dang", "year": 2025, "award_code": "PROV_FLAG", "candidates": ["b", "c"],
        "places": 1, "runoff_of": "v1"})]


def test_a_revocation_names_its_ground(service_url: str) -> None:
    result = CliRunner().invoke(app, [
        "awards", "revoke", "p-1", "--decision-no", "QĐ 70", "--reason", "kê khai sai", "--on", "2024-06-01",
        "--ground", "a", "--province", "HNM", "--token", "t", "--url", service_url])
    assert result.exit_code == 0, result.output
    assert Recording.seen == [("POST /provinces/HNM/proposals/p-1/revocation", {
        "decision_no": "QĐ 70", "reason": "kê khai sai", "revoked_on": "2024-06-01", "ground": "a"})]


def test_a_units_addresses_are_set_all_at_once(service_url: str) -> None:
    result = CliRunner().invoke(app, [
        "registry", "unit-emails", "ubkt", "--email", "ubkt@hanam.gov.vn", "--email", "vanthu@hanam.gov.vn",
        "--province", "HNM", "--token", "t", "--url", service_url])
    assert result.exit_code == 0, result.output
    assert Recording.seen == [("PUT /provinces/HNM/units/ubkt/emails",
                               {"emails": ["ubkt@hanam.gov.vn", "vanthu@hanam.gov.vn"]})]


def test_the_province_confirms_an_election_by_decision(service_url: str) -> None:
    result = CliRunner().invoke(app, [
        "registry", "confirm-election", "khoi-dang", "--role", "chair", "--year", "2024", "--on", "2024-01-10",
        "--decision-no", "15/QĐ-UBND", "--province", "HNM", "--token", "t", "--url", service_url])
    assert result.exit_code == 0, result.output
    assert Recording.seen == [("POST /provinces/HNM/blocs/khoi-dang/election-confirmations", {
        "role": "chair", "year": 2024, "confirmed_on": "2024-01-10", "decision_ref": "15/QĐ-UBND"})]


def test_the_province_rates_a_units_year_and_attests_a_standard_with_its_document(service_url: str) -> None:
    rated = CliRunner().invoke(app, [
        "awards", "rate", "ubkt", "2023", "--rating", "excellent", "--ref", "QĐ 12/QĐ-UBND", "--on", "2024-01-10",
        "--province", "HNM", "--token", "t", "--url", service_url])
    attested = CliRunner().invoke(app, [
        "awards", "attest", "ubkt", "2023", "--fact", "internal_unity", "--ref", "BB 3/BB-KTĐ",
        "--province", "HNM", "--token", "t", "--url", service_url])
    assert (rated.exit_code, attested.exit_code) == (0, 0), rated.output + attested.output
    assert Recording.seen == [
        ("PUT /provinces/HNM/units/ubkt/years/2023/quality-rating",
         {"rating": "excellent", "ref": "QĐ 12/QĐ-UBND", "rated_on": "2024-01-10"}),
        ("POST /provinces/HNM/units/ubkt/years/2023/attestations", {"fact": "internal_unity", "ref": "BB 3/BB-KTĐ"})]


def test_quality_ratings_are_uploaded_from_a_workbook(service_url: str, tmp_path: Path) -> None:
    table = tmp_path / "xep-loai-2023.xlsx"
    table.write_bytes(b"PK" + b"0" * 98)
    result = CliRunner().invoke(app, ["awards", "import-ratings", str(table), "--province", "HNM", "--token", "t",
                                      "--url", service_url])
    assert result.exit_code == 0, result.output
    assert "Đã ghi 0 xếp loại." in result.output
    assert Recording.seen == [("POST /provinces/HNM/quality-ratings/imports", {
        "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "bytes": 100})]
