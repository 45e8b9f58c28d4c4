"""``thidua accounts``: what the commands send (never a password on the command line) and how they print accounts:
names of units and blocs rather than their ids, dates dd/mm/yyyy, roles and states in Vietnamese."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from recording_server import Recording, serving
from typer.testing import CliRunner

from thidua_cli.main import app

ACCOUNT = {"username": "lua.dt", "full_name": "Đinh Thị Lụa", "role": "unit_officer", "unit_id": "ubkt",
           "bloc_id": None, "unit_name": "Ủy ban Kiểm tra Tỉnh ủy", "bloc_name": None, "locked": True,
           "disabled": False, "failures": 5, "created_at": "2025-12-31T18:30:00+00:00",
           "last_signed_in_at": "2026-01-02T02:15:00+00:00"}
SECRETARY = {**ACCOUNT, "username": "hoa.nt", "full_name": "Nguyễn Thị Hoa", "role": "bloc_secretary",
             "unit_id": None, "unit_name": None, "bloc_id": "khoi-dang", "bloc_name": "Khối các Ban Đảng",
             "locked": False, "failures": 0, "last_signed_in_at": None}


class Accounts(Recording):
    """Answers as the registry does: the account for a creation, the list for a GET."""

    listed: ClassVar[list[dict[str, Any]]] = [ACCOUNT, SECRETARY]

    def do_GET(self) -> None:
        self._answer(200, Accounts.listed)

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers["Content-Length"] or 0))
        Recording.seen.append((f"{self.command} {self.path}", json.loads(raw) if raw else {}))
        self._answer(201, ACCOUNT if self.path.endswith("/accounts") else {"events": []})

    def _answer(self, status: int, body: Any) -> None:
        answer = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.fixture
def service_url() -> Iterator[str]:
    Recording.seen = []
    with serving(Accounts) as url:
        yield url


def _run(service_url: str, *args: str, **env: str) -> str:
    result = CliRunner().invoke(app, ["accounts", *args, "--province", "hnm", "--token", "t", "--url", service_url],
                                env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_an_account_is_created_with_the_password_asked_for_and_printed_by_names(service_url: str) -> None:
    result = CliRunner().invoke(app, ["accounts", "create", "lua.dt", "--full-name", "Đinh Thị Lụa", "--role",
                                      "unit_officer", "--unit", "ubkt", "--province", "hnm", "--token", "t",
                                      "--url", service_url], input="Hoa sen nở 2025\nHoa sen nở 2025\n")
    assert result.exit_code == 0, result.output
    assert Recording.seen == [("POST /provinces/HNM/accounts", {
        "username": "lua.dt", "full_name": "Đinh Thị Lụa", "role": "unit_officer", "unit_id": "ubkt",
        "bloc_id": None, "password": "Hoa sen nở 2025"})]
    assert "Đã tạo tài khoản" in result.output
    assert "Cán bộ đơn vị — Ủy ban Kiểm tra Tỉnh ủy" in result.output
    assert "Hoa sen" not in result.output.split("Đã tạo")[1]


def test_accounts_are_listed_with_names_dates_and_states(service_url: str) -> None:
    output = _run(service_url, "list")
    assert "lua.dt  Đinh Thị Lụa  Cán bộ đơn vị — Ủy ban Kiểm tra Tỉnh ủy" in output
    assert "bị khóa; tạo ngày 01/01/2026; đăng nhập lần cuối 02/01/2026 09:15:00; lần sai liên tiếp: 5" in output
    assert "hoa.nt  Nguyễn Thị Hoa  Thư ký khối — Khối các Ban Đảng" in output
    assert "đang dùng; tạo ngày 01/01/2026; chưa đăng nhập" in output
    assert "ubkt" not in output
    assert "khoi-dang" not in output
    english = _run(service_url, "list", "--lang", "en")
    assert "locked; created 01/01/2026" in english


def test_unlocking_and_passwords_send_what_the_registry_takes(service_url: str) -> None:
    _run(service_url, "unlock", "lua.dt")
    _run(service_url, "password", "lua.dt", THIDUA_ACCOUNT_PASSWORD="Đặt lại 2026 nhé")
    _run(service_url, "password", "lua.dt", "--own", THIDUA_ACCOUNT_PASSWORD="Mới 2026 nhé",
         THIDUA_ACCOUNT_CURRENT_PASSWORD="Hoa sen nở 2025")
    assert Recording.seen == [
        ("POST /provinces/HNM/accounts/lua.dt/unlocking", {}),
        ("POST /provinces/HNM/accounts/lua.dt/password", {"new_password": "Đặt lại 2026 nhé"}),
        ("POST /provinces/HNM/accounts/lua.dt/password", {"current_password": "Hoa sen nở 2025",
                                                          "new_password": "Mới 2026 nhé"})]
