"""What the awards commands send: the options a person gives become the request's fields, nothing else."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from thidua_cli.main import app


class Recording(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Recording.seen.append((self.path, body))
        answer = json.dumps({"events": []}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def awards_url() -> Iterator[str]:
    Recording.seen = []
    server = HTTPServer(("127.0.0.1", 0), Recording)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_a_runoff_vote_is_opened_for_the_places_left_among_the_tied(awards_url: str) -> None:
    result = CliRunner().invoke(app, [
        "awards", "vote", "open", "v2", "khoi-dang", "2025", "PROV_FLAG", "--province", "hnm", "--token", "t",
        "--url", awards_url, "--candidate", "b", "--candidate", "c", "--places", "1", "--runoff-of", "v1"])
    assert result.exit_code == 0, result.output
    assert Recording.seen == [("/provinces/HNM/votes", {
        "vote_id": "v2", "bloc_id": "khoi-dang", "year": 2025, "award_code": "PROV_FLAG", "candidates": ["b", "c"],
        "places": 1, "runoff_of": "v1"})]


def test_a_revocation_names_its_ground(awards_url: str) -> None:
    result = CliRunner().invoke(app, [
        "awards", "revoke", "p-1", "--decision-no", "QĐ 70", "--reason", "kê khai sai", "--on", "2024-06-01",
        "--ground", "a", "--province", "HNM", "--token", "t", "--url", awards_url])
    assert result.exit_code == 0, result.output
    assert Recording.seen == [("/provinces/HNM/proposals/p-1/revocation", {
        "decision_no": "QĐ 70", "reason": "kê khai sai", "revoked_on": "2024-06-01", "ground": "a"})]
