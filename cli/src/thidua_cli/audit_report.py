"""``thidua audit report BLOC YEAR`` and ``thidua audit report PROVINCE YEAR``: the audit of a bloc-year, or of every
bloc of a province-year, as a document: a self-contained HTML page and its PDF, in Vietnamese (or English).

It tells, from the services' logs alone (downloaded with an auditor token, as ``thidua audit verify`` does): the
verification of each service's log, the signed checkpoints, the proposals of the year and their states, and for each
award decided, revoked or frozen its causation chain across the services (as ``thidua audit explain`` tells it).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from thidua_shared.auth import PROVINCE_CODE, hash_token

WORDS = {
    "vi": {"written": "Đã ghi {path}", "no_pdf": "Không tạo được PDF: không nạp được WeasyPrint hoặc thư viện Pango "
                                                "của nó ({error}). Cài Pango (Debian: libpango-1.0-0, "
                                                "libpangoft2-1.0-0) rồi chạy lại; bản HTML vẫn dùng được.",
           "no_bloc": "Nhật ký không có khối nào mang mã hoặc tên «{bloc}» (tỉnh {province}).",
           "province_needed": "«{subject}» không phải mã tỉnh: với một khối, cho biết --province.",
           "auditor": "kiểm toán viên", "laying_out": "  … đang dàn trang PDF"},
    "en": {"written": "Wrote {path}", "no_pdf": "No PDF made: WeasyPrint or its Pango library could not be loaded "
                                                "({error}). Install Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0) "
                                                "and run again; the HTML is complete.",
           "no_bloc": "The logs hold no bloc with the id or name '{bloc}' (province {province}).",
           "province_needed": "'{subject}' is not a province code: for a bloc, give --province.",
           "auditor": "auditor", "laying_out": "  … laying out the PDF"},
}


def _targets(bloc_id: str | None, year: int, province: str, language: str, out: Path | None, html: Path | None,
             pdf: Path | None) -> tuple[Path | None, Path | None]:
    """Where the HTML and the PDF go: the files named, or both in ``out`` (default: here), named after the subject
    (e.g. ``bao-cao-kiem-toan-HNM-khoi-ban-dang-2023``)."""
    if html is not None or pdf is not None:
        return html, pdf
    stem = "-".join(part for part in ("bao-cao-kiem-toan" if language == "vi" else "audit-report", province, bloc_id,
                                      str(year)) if part)
    folder = out or Path(".")
    return folder / f"{stem}.html", folder / f"{stem}.pdf"


def report(
    subject: Annotated[str, typer.Argument(metavar="BLOC|PROVINCE", help=(
        "a bloc (its id, e.g. khoi-ban-dang, or its name), or the province's code (e.g. HNM) for every bloc"))],
    year: Annotated[int, typer.Argument(help="the year of the emulation, e.g. 2023")],
    token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN", help="an auditor token of the province")],
    province: Annotated[str | None, typer.Option(help="the province audited, e.g. HNM (default: PROVINCE)")] = None,
    url: Annotated[list[str] | None, typer.Option(
        help="a service's URL (repeatable); default: THIDUA_<SERVICE>_URL of each service set")] = None,
    out: Annotated[Path | None, typer.Option(help="the folder for the HTML and the PDF (default: here)")] = None,
    html: Annotated[Path | None, typer.Option(help="write the HTML to this file (only the files named are written)")]
        = None,
    pdf: Annotated[Path | None, typer.Option(help="write the PDF to this file")] = None,
    auditor: Annotated[str | None, typer.Option(help="the auditor's name, as the report shall print it")] = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
    kafka: Annotated[str | None, typer.Option(
        envvar="THIDUA_AUDIT_KAFKA", help="Kafka bootstrap servers: also compare each service's topic with its log")]
        = None,
) -> None:
    """The audit report of a bloc-year or a province-year as HTML and PDF: each log's verification, the signed
    checkpoints, the proposals and their states, and the chain behind each award decided, revoked or frozen.

    Exits 1 when a log fails its verification (the report is written all the same), 2 when no PDF could be made."""
    # The report is told from what thidua_cli.audit verifies, and thidua_cli.audit registers this command: the
    # modules that build it are loaded when it runs (so is Jinja2, which no other command needs).
    from thidua_cli.audit import all_service_urls, audit_services, reading_progress
    from thidua_cli.audit_report_data import UnknownBloc, build_report
    from thidua_cli.audit_report_render import PdfUnavailable, render_html, write_pdf

    language = lang if lang in WORDS else "vi"
    words = WORDS[language]
    code = (province or subject).upper()
    if not PROVINCE_CODE.fullmatch(code):
        raise typer.BadParameter(words["province_needed"].format(subject=subject))
    urls = all_service_urls(url)
    audits = asyncio.run(audit_services(urls, token, code, language, None, reading_progress(language), kafka))
    try:
        built = build_report(audits, code, subject, year, language, auditor or words["auditor"],
                             hash_token(token)[:16], datetime.now(UTC))
    except UnknownBloc as error:
        raise typer.BadParameter(words["no_bloc"].format(bloc=error, province=code)) from error
    html_path, pdf_path = _targets(built.bloc_id, year, code, language, out, html, pdf)
    page = render_html(built)
    if html_path is not None:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(page, encoding="utf-8")
        typer.echo(words["written"].format(path=html_path))
    if pdf_path is not None:
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        typer.echo(words["laying_out"], err=True)
        try:
            write_pdf(page, pdf_path)
        except PdfUnavailable as error:
            typer.echo(words["no_pdf"].format(error=error), err=True)
            raise typer.Exit(2) from error
        typer.echo(words["written"].format(path=pdf_path))
    if not built.passed:
        raise typer.Exit(1)
