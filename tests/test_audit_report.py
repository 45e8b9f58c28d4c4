"""An auditor with only a token and the services' URLs makes the audit report of a bloc-year and of a province-year:
the whole system plays the seed year, the province's staff sign each log's head, then ``thidua audit report`` writes
a self-contained HTML page and its PDF, in Vietnamese by default, whose text (read back from the PDF) names the
units, the bloc and the decisions people know, and says each log's verification and checkpoint."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import unicodedata
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from thidua_cli import demo
from thidua_cli.audit_logs import LogRecord, Logs, ServiceLog, names_from
from thidua_cli.audit_report_data import AuditReport, bloc_section
from thidua_cli.audit_report_render import render_html
from thidua_cli.main import app
from thidua_cli.system import SERVICES, LocalSystem
from thidua_shared.checkpoints import Checkpoint

BLOC = "Khối thi đua các Ban xây dựng Đảng và các cơ quan trực thuộc Tỉnh ủy"
FLAG_UNIT = "Văn phòng Tỉnh ủy"
DECISION = "Quyết định số 500/QĐ-TTg (mẫu) ngày 10/05/2024 của Thủ tướng Chính phủ"
FIXTURE = Path(__file__).parent / "fixtures" / "demo_events.jsonl"


def _text(pdf: Path) -> str:
    """The PDF's text as a reader copies it: NFC, every run of white space one space (cells wrap lines)."""
    pages = PdfReader(pdf).pages
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", " ".join(page.extract_text() for page in pages)))


async def _sign_heads(system: LocalSystem, admin: str) -> dict[str, Checkpoint]:
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {admin}"}, timeout=30) as http:
        signed = {}
        for service in SERVICES:
            answer = await http.post(f"{system.urls[service]}/provinces/HNM/checkpoints")
            assert answer.status_code == 201, answer.text
            signed[service] = Checkpoint.model_validate(answer.json())
        return signed


async def test_an_auditor_reports_the_seed_bloc_year_and_the_province_year_as_html_and_pdf(
        system: LocalSystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = await system.issue_token("admin")
    await demo.play(system, admin)
    signed = await _sign_heads(system, admin)
    auditor = await system.issue_token("auditor")
    urls = [argument for service in SERVICES for argument in ("--url", system.urls[service])]

    def thidua(*arguments: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["audit", "report", *arguments, "--token", auditor, *urls])
        return result.exit_code, result.output

    code, said = await asyncio.to_thread(thidua, "khoi-ban-dang", "2023", "--province", "HNM",
                                         "--out", str(tmp_path), "--auditor", "Nguyễn Thị Minh")
    assert code == 0, said
    assert "registry: đã đọc" in said, "progress while the logs download"
    html = (tmp_path / "bao-cao-kiem-toan-HNM-khoi-ban-dang-2023.html").read_text(encoding="utf-8")
    pdf = tmp_path / "bao-cao-kiem-toan-HNM-khoi-ban-dang-2023.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = _text(pdf)
    for told in (html, text):
        for expected in (FLAG_UNIT, BLOC, "Cờ thi đua của Chính phủ", DECISION, "Hà Nam", "Nguyễn Thị Minh",
                         "Báo cáo kiểm toán nhật ký thi đua, khen thưởng", "Chuỗi đầy đủ: không thiếu bước nào"):
            assert expected in told, expected
        for service, checkpoint in signed.items():
            assert re.search(rf"{service}: \d+ sự kiện, 1 điểm kiểm tra đã ký: toàn vẹn", told), service
            assert checkpoint.key_id in told, f"the checkpoint of {service}: its key's fingerprint"
        assert "van-phong" not in told, "people read names, not ids"
        assert "GOV_FLAG" not in told, "nor codes"
    for checkpoint in signed.values():
        assert f'title="{checkpoint.hash}"' in html, "the head hash in full, shortened on the page"
    assert "Trang 1 / " in text, "pages are numbered"
    assert len(PdfReader(pdf).pages) >= 3
    assert not re.search(r"<script|<link|@import|url\(|https?://", html), "self-contained: nothing is fetched"

    english = tmp_path / "en.html"
    code, said = await asyncio.to_thread(thidua, "khoi-ban-dang", "2023", "--province", "HNM", "--lang", "en",
                                         "--html", str(english))
    assert code == 0, said
    told = english.read_text(encoding="utf-8")
    assert "Decision No. 500/QĐ-TTg (mẫu) of 10/05/2024 by Thủ tướng Chính phủ" in told
    assert re.search(r"registry: \d+ events, 1 signed checkpoints: intact", told)
    assert "PASS" in told
    assert "The chain is complete" in told
    assert not (tmp_path / "en.pdf").exists(), "only the files named are written"

    whole = tmp_path / "tinh.html"
    code, said = await asyncio.to_thread(thidua, "HNM", "2023", "--html", str(whole))
    assert code == 0, said
    told = whole.read_text(encoding="utf-8")
    assert "Toàn tỉnh Hà Nam, năm 2023" in told
    for bloc in (BLOC, "Khối thi đua Nội chính", "Cụm thi đua các huyện và thành phố"):
        assert bloc in told, bloc
    assert DECISION in told

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    code, said = await asyncio.to_thread(thidua, "HNM", "2023", "--html", str(whole), "--pdf", str(tmp_path / "x.pdf"))
    assert code == 2, "no PDF where WeasyPrint or Pango cannot be loaded"
    assert "Không tạo được PDF: không nạp được WeasyPrint" in said
    assert whole.exists()
    assert not (tmp_path / "x.pdf").exists()

    code, said = await asyncio.to_thread(thidua, "khoi-khong-co", "2023", "--province", "HNM", "--html",
                                         str(tmp_path / "none.html"))
    assert code == 2
    assert "khoi-khong-co" in said


def _demo_logs_and(*later: tuple[str, dict[str, object]]) -> Logs:
    """The logs of one run of the demo (``tests/fixtures/demo_events.jsonl``), with ``later`` awards events after it."""
    envelopes = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    last = next(envelope for envelope in reversed(envelopes) if envelope["source"] == "awards")
    for number, (event_type, payload) in enumerate(later, start=1):
        envelopes.append({**last, "event_type": event_type, "payload": payload, "event_id": f"later-{number}",
                          "position": last["position"] + number, "hash": f"{number:064x}",
                          "occurred_at": "2024-06-01T00:00:00Z", "recorded_at": "2026-12-31T00:00:00Z"})
    logs = Logs()
    for envelope in envelopes:
        service = envelope["source"]
        log = logs.by_service.setdefault(service, ServiceLog(service, [], 0, "", True, 0))
        log.events.append(LogRecord(service, envelope["position"], envelope["hash"], envelope))
        log.head_position, log.head_hash = envelope["position"], envelope["hash"]
    return logs


def test_the_report_tells_the_chain_of_a_revoked_award_and_of_a_frozen_one_with_their_states() -> None:
    proposals = {envelope["payload"]["award_code"]: envelope["payload"]
                 for envelope in map(json.loads, FIXTURE.read_text(encoding="utf-8").splitlines())
                 if envelope["event_type"] == "AwardProposed"}
    revoked, frozen = proposals["PROV_FLAG"]["proposal_id"], proposals["PROV_MERIT"]["proposal_id"]
    logs = _demo_logs_and(
        ("AwardRevoked", {"proposal_id": revoked, "decision_no": "99/QĐ-UBND (mẫu)", "revoked_on": "2024-06-01",
                          "reason": "khai không đúng thành tích", "ground": "a"}),
        ("AwardFrozen", {"proposal_id": frozen, "reason": "đang thanh tra", "ref": "KL-1/TTr", "on": "2024-06-01"}))
    names = names_from(logs, "vi")
    section = bloc_section(logs, names, "khoi-ban-dang", 2023)
    states = {proposal.proposal_id: proposal.state for proposal in section.proposals}
    assert states[revoked] == "đã hủy bỏ"
    assert states[frozen] == "đã quyết định, đang tạm dừng"
    chains = {chain.proposal_id: chain for chain in section.chains}
    assert "Hủy bỏ bằng Quyết định số 99/QĐ-UBND (mẫu) ngày 01/06/2024: khai không đúng thành tích" \
        in chains[revoked].decision
    assert chains[revoked].rows[-1].said.startswith("Hủy bỏ bằng Quyết định số 99/QĐ-UBND (mẫu)")
    assert chains[frozen].rows[-1].said == "Tạm dừng xét khen thưởng (KL-1/TTr): đang thanh tra"
    report = AuditReport("vi", "HNM", "Hà Nam", 2023, "khoi-ban-dang", section.name, "01/12/2026 09:34:55",
                         "Nguyễn Thị Minh", "0" * 16, [], [], [section])
    page = render_html(report)
    assert "Hủy bỏ bằng Quyết định số 99/QĐ-UBND (mẫu) ngày 01/06/2024" in page
    assert "Đã quyết định, đang tạm dừng" in page
    assert "Chưa có điểm kiểm tra nào được ký." in page
