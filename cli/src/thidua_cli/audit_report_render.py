"""The audit report as a document: self-contained HTML from the package's Jinja2 templates (autoescaped, its CSS
inline, no external font, script or image), and that HTML laid out as an A4 PDF by WeasyPrint.

WeasyPrint needs Pango on the machine: it is imported only when a PDF is asked for, so that the rest of ``thidua``
starts without it, and :class:`PdfUnavailable` says plainly why no PDF was made.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from thidua_cli.audit_report_data import AuditReport

WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Báo cáo kiểm toán nhật ký thi đua, khen thưởng",
        "bloc_subject": "{subject}, năm {year}",
        "province_subject": "Toàn tỉnh {subject}, năm {year}",
        "province": "Tỉnh", "subject": "Phạm vi", "blocs": "Khối, cụm thi đua", "generated_at": "Lập lúc",
        "vietnam_time": "giờ Việt Nam (UTC+7)", "auditor": "Kiểm toán viên", "token": "Token kiểm toán",
        "token_note": "16 ký tự đầu của SHA-256 của token, đối chiếu được với sổ token của tỉnh",
        "verdict": "Kết luận", "all_intact": "Nhật ký của mọi dịch vụ toàn vẹn",
        "not_intact": "CÓ NHẬT KÝ KHÔNG TOÀN VẸN: xem mục 1",
        "basis": "Báo cáo chỉ dựa trên nhật ký sự kiện của các dịch vụ, tải về qua HTTP bằng token kiểm toán; "
                 "không dựa trên dữ liệu hiển thị của dịch vụ. Mã sự kiện và giá trị băm (SHA-256) in chữ đơn cách "
                 "là bằng chứng để đối chiếu.",
        "verification": "1. Kết quả kiểm tra nhật ký",
        "verification_intro": "Với mỗi dịch vụ: vị trí liên tục, chuỗi băm, đầu chuỗi, chữ ký và giá trị băm của "
                              "từng điểm kiểm tra đã ký.",
        "service": "Dịch vụ", "events": "Sự kiện", "checkpoint_count": "Điểm kiểm tra", "result": "Kết quả",
        "details": "Chi tiết (như thidua audit verify)", "pass": "ĐẠT", "fail": "KHÔNG ĐẠT",
        "checkpoints": "2. Điểm kiểm tra đã ký",
        "checkpoints_intro": "Đầu chuỗi nhật ký (vị trí và giá trị băm) được dịch vụ ký bằng khóa Ed25519 của mình.",
        "position": "Vị trí", "head_hash": "Băm đầu chuỗi", "signed_at": "Ký lúc", "key": "Khóa (dấu vân tay)",
        "signature": "Chữ ký", "valid": "hợp lệ", "invalid": "KHÔNG hợp lệ",
        "no_checkpoints": "Chưa có điểm kiểm tra nào được ký.",
        "proposals": "Đề nghị khen thưởng năm {year}", "unit": "Đơn vị", "award": "Hình thức",
        "filed_on": "Nộp ngày", "council": "Hội đồng", "state": "Trạng thái", "decision": "Quyết định",
        "rule_version": "Bộ quy tắc", "no_proposals": "Không có đề nghị khen thưởng nào của năm trong nhật ký.",
        "chains": "Chuỗi căn cứ của từng khen thưởng",
        "no_chains": "Không có khen thưởng nào đã quyết định, bị hủy bỏ hay đang tạm dừng.",
        "proposal_id": "Mã đề nghị",
        "step": "Bước", "actor": "Người thực hiện", "time": "Thời điểm", "recorded": "ghi nhận",
        "evidence": "Sự kiện, băm", "event_id": "mã sự kiện", "hash": "băm SHA-256",
        "rule": "Quy tắc, căn cứ", "page": "Trang",
        "section": "3.{number}. {bloc}",
        "quiet": "Các khối, cụm thi đua không có đề nghị khen thưởng nào năm {year}",
    },
    "en": {
        "title": "Audit report of the emulation and commendation logs",
        "bloc_subject": "{subject}, year {year}",
        "province_subject": "The whole province of {subject}, year {year}",
        "province": "Province", "subject": "Scope", "blocs": "Emulation blocs", "generated_at": "Generated at",
        "vietnam_time": "Viet Nam time (UTC+7)", "auditor": "Auditor", "token": "Auditor token",
        "token_note": "the first 16 hex digits of the token's SHA-256, as the province's token store keeps it",
        "verdict": "Verdict", "all_intact": "Every service's log is intact",
        "not_intact": "A LOG IS NOT INTACT: see section 1",
        "basis": "This report rests on the services' event logs alone, downloaded over HTTP with an auditor token, "
                 "not on what the services display. Event ids and SHA-256 hashes in monospace are the evidence to "
                 "check against.",
        "verification": "1. Verification of the logs",
        "verification_intro": "For each service: contiguous positions, the hash chain, the head, and each signed "
                              "checkpoint's signature and hash.",
        "service": "Service", "events": "Events", "checkpoint_count": "Checkpoints", "result": "Result",
        "details": "Details (as thidua audit verify says)", "pass": "PASS", "fail": "FAIL",
        "checkpoints": "2. Signed checkpoints",
        "checkpoints_intro": "The log's head (position and hash) signed by the service with its Ed25519 key.",
        "position": "Position", "head_hash": "Head hash", "signed_at": "Signed at", "key": "Key (fingerprint)",
        "signature": "Signature", "valid": "valid", "invalid": "NOT valid",
        "no_checkpoints": "No checkpoint has been signed yet.",
        "proposals": "Award proposals for {year}", "unit": "Unit", "award": "Award", "filed_on": "Filed on",
        "council": "Council", "state": "State", "decision": "Decision", "rule_version": "Rule version",
        "no_proposals": "The logs hold no award proposal for the year.",
        "chains": "The chain behind each award",
        "no_chains": "No award decided, revoked or frozen.",
        "proposal_id": "Proposal id",
        "step": "Step", "actor": "By", "time": "Time", "recorded": "recorded",
        "evidence": "Event, hash", "event_id": "event id", "hash": "SHA-256",
        "rule": "Rule, legal basis", "page": "Page",
        "section": "3.{number}. {bloc}",
        "quiet": "Blocs with no award proposal for {year}",
    },
}


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library it needs) cannot be loaded on this machine."""


def render_html(report: AuditReport) -> str:
    """The report as one self-contained HTML page in the report's language."""
    environment = Environment(loader=PackageLoader("thidua_cli", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters["capfirst"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    words = WORDS[report.language]
    subject = words["bloc_subject" if report.bloc_id else "province_subject"].format(
        subject=report.subject, year=report.year)
    return environment.get_template("audit_report.html").render(report=report, words=words, subject=subject)


def write_pdf(html: str, path: Path) -> None:
    """Lay ``html`` out as an A4 PDF at ``path``; :class:`PdfUnavailable` when WeasyPrint cannot be loaded."""
    try:
        import weasyprint  # needs Pango: loaded only when a PDF is asked for
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    weasyprint.HTML(string=html).write_pdf(path)
