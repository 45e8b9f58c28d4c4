"""``thidua awards papers``: the paper asked for is fetched from its route and written to the file named."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qsl, urlsplit

import pytest
from recording_server import serving
from typer.testing import CliRunner

from thidua_cli.main import app

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAPER = b"PK\x03\x04 a Word file"


class Papers(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, dict[str, str], str]]] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        Papers.seen.append((url.path, dict(parse_qsl(url.query)), self.headers["Accept-Language"]))
        self.send_response(200)
        self.send_header("Content-Type", DOCX)
        self.send_header("Content-Length", str(len(PAPER)))
        self.end_headers()
        self.wfile.write(PAPER)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def service_url() -> Iterator[str]:
    Papers.seen = []
    with serving(Papers) as url:
        yield url


def test_the_draft_decision_is_written_to_the_file_and_said_where_in_vietnamese(service_url: str,
                                                                                tmp_path: Path) -> None:
    out = tmp_path / "du-thao.docx"
    result = CliRunner().invoke(app, [
        "awards", "papers", "decision", "--year", "2023", "--award", "PROV_MERIT", "--on", "2024-02-20",
        "-o", str(out), "--province", "hnm", "--token", "t", "--url", service_url])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == PAPER
    assert Papers.seen == [("/provinces/HNM/papers/decision.docx",
                            {"year": "2023", "award_code": "PROV_MERIT", "on": "2024-02-20"}, "vi")]
    assert result.output.strip() == f"Đã ghi dự thảo quyết định vào {out} ({len(PAPER)} byte)."


def test_a_votes_minutes_come_by_the_vote_and_english_is_asked_for(service_url: str, tmp_path: Path) -> None:
    out = tmp_path / "minutes.docx"
    result = CliRunner().invoke(app, [
        "awards", "papers", "vote-minutes", "--vote", "v-merit", "-o", str(out), "--province", "HNM",
        "--token", "t", "--url", service_url, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert Papers.seen == [("/provinces/HNM/votes/v-merit/minutes.docx", {}, "en")]
    assert result.output.strip() == f"Wrote the honouring-vote minutes to {out} ({len(PAPER)} bytes)."


def test_a_paper_without_what_it_needs_is_not_asked_for(service_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    common = ["-o", str(tmp_path / "x.docx"), "--province", "HNM", "--token", "t", "--url", service_url]
    no_vote = runner.invoke(app, ["awards", "papers", "vote-minutes", *common])
    no_form = runner.invoke(app, ["awards", "papers", "submission", "--year", "2023", *common])
    assert (no_vote.exit_code, no_form.exit_code) == (2, 2)
    assert "--vote" in no_vote.output
    assert "--award" in no_form.output
    assert Papers.seen == []
    assert not (tmp_path / "x.docx").exists()
