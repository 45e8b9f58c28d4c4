"""Write the Word templates of the awards papers, laid out as Vietnamese administrative documents.

    python tools/make_paper_templates.py

The templates (``services/awards/src/awards/adapters/paper_templates/*.docx``) are committed; run this again
after changing the layout here, and open the result in Word or LibreOffice before committing it. Each holds
Jinja tags that ``docxtpl`` fills with a paper of ``awards.domain.papers`` (``paper``): ``{{ … }}`` in a run,
``{%p … %}`` as a paragraph of its own, ``{%tr … %}`` as a table row of its own.

The layout follows Decree 30/2020/NĐ-CP (Appendix I): A4, margins 20 mm top and bottom, 30 mm left, 15 mm
right, Times New Roman; the issuing body on the left and the national motto on the right of the letterhead,
the number under the body and the place and date under the motto, a bold centred title, the signature on the
right and the recipients on the left.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "services/awards/src/awards/adapters/paper_templates"
FONT = "Times New Roman"
TEXT_WIDTH = 16.5
"""Centimetres between the margins of an A4 page: 210 mm less 30 mm and 15 mm."""
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)

Container = DocumentObject | _Cell


def new_document(title: str) -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    properties = normal.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    properties.append(language)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    document.core_properties.title = title
    document.core_properties.author = "thidua"
    document.core_properties.language = "vi-VN"
    document.core_properties.comments = "Tạo từ dữ liệu đã ghi nhận; kiểm tra trước khi ký."
    return document


def add(container: Container, text: str = "", *, bold: bool = False, italic: bool = False,
        underline: bool = False, size: float = 14, align: WD_ALIGN_PARAGRAPH = CENTER, first_line: float = 0,
        before: float = 0, after: float = 0, line: float = 1.0, keep: bool = False) -> Paragraph:
    """A paragraph of one run (so that a Jinja tag in it stays whole). A cell's first, empty paragraph is used
    before a new one is added."""
    paragraphs = container.paragraphs
    reuse = isinstance(container, _Cell) and len(paragraphs) == 1 and not paragraphs[0].text
    paragraph = paragraphs[0] if reuse else container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
    layout = paragraph.paragraph_format
    paragraph.alignment = align
    layout.first_line_indent = Cm(first_line) if first_line else None
    layout.space_before, layout.space_after, layout.line_spacing = Pt(before), Pt(after), line
    layout.keep_with_next = keep
    return paragraph


def tag(container: Container, jinja: str) -> Paragraph:
    """A ``{%p … %}`` paragraph: docxtpl replaces the whole paragraph by the tag."""
    return add(container, jinja, size=2)


def body(container: Container, text: str, *, italic: bool = False, bold: bool = False,
         keep: bool = False) -> Paragraph:
    """A paragraph of the body: justified, its first line indented, as administrative documents are; ``keep``
    keeps it on the page of what follows (the last words before a signature)."""
    return add(container, text, italic=italic, bold=bold, align=JUSTIFY, first_line=1.0, after=6, line=1.15,
               keep=keep)


def heading(container: Container, text: str) -> Paragraph:
    return add(container, text, bold=True, align=JUSTIFY, first_line=1.0, before=6, after=6, keep=True)


def rule(container: Container, width: float, length: float) -> Paragraph:
    """A short line under a title or an issuing body: a bottom border shortened by equal indents."""
    paragraph = add(container, size=2, after=4)
    indent = Cm(max((width - length) / 2, 0))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def table(container: DocumentObject, rows: int, widths: list[float], *, grid: bool = True) -> Table:
    """A table of fixed column widths (centimetres) across the text."""
    made: Table = container.add_table(rows=rows, cols=len(widths))
    made.alignment = WD_TABLE_ALIGNMENT.CENTER
    made.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    made._tbl.tblPr.append(layout)
    if grid:
        made.style = container.styles["Table Grid"]
    else:
        _no_borders(made)
    for index, width in enumerate(widths):
        made.columns[index].width = Cm(width)
        for cell in made.columns[index].cells:
            cell.width = Cm(width)
    return made


def letterhead(document: DocumentObject) -> None:
    """The issuing body and its number on the left; the national motto, the place and the date on the right."""
    left, right = 6.3, TEXT_WIDTH - 6.3
    head = table(document, 2, [left, right], grid=False)
    body_cell, motto = head.cell(0, 0), head.cell(0, 1)
    tag(body_cell, "{%p if paper.letterhead.above %}")
    add(body_cell, "{{ paper.letterhead.above }}", size=13)
    tag(body_cell, "{%p endif %}")
    add(body_cell, "{{ paper.letterhead.issuer }}", bold=True, size=13)
    rule(body_cell, left - 0.4, 2.4)
    add(motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12.5)
    add(motto, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=13.5)
    add(head.cell(1, 0), "{{ paper.letterhead.number }}", size=13, before=4)
    add(head.cell(1, 1), "{{ paper.letterhead.place_and_date }}", italic=True, size=13.5, before=4)


def title(document: DocumentObject, name: str, note: str | None = None) -> None:
    add(document, name, bold=True, size=14, before=18)
    add(document, "{{ paper.subject }}", bold=True, size=14)
    if note:
        add(document, note, italic=True, size=13)
    rule(document, TEXT_WIDTH, 4.0)
    add(document, size=6, after=6)


def rows(made: Table, first: int, loop: str, cells: list[str], *, end: str = "{%tr endfor %}") -> None:
    """Rows ``first`` to ``first + 2``: the loop's opening tag, one row of ``cells``, the closing tag."""
    add(made.cell(first, 0), loop, size=2)
    for index, text in enumerate(cells):
        cell = made.cell(first + 1, index)
        named = text.startswith(("{{ row.unit", "{{ row.bloc"))
        add(cell, text, size=12, align=LEFT if named else CENTER, before=1, after=1)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    whole(made.rows[first + 1])
    add(made.cell(first + 2, 0), end, size=2)


def whole(row: _Row) -> None:
    """A row that is never split across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def header_row(made: Table, names: list[str]) -> None:
    """The table's first row, repeated at the top of every page the table runs onto."""
    for index, name in enumerate(names):
        cell = made.cell(0, index)
        add(cell, name, bold=True, size=12, before=2, after=2)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    made.rows[0]._tr.get_or_add_trPr().append(repeat)


def signer(cell: _Cell, path: str) -> None:
    """A signature block: for whom, the title, how it is signed, a space to sign, the name."""
    tag(cell, f"{{%p if {path}.on_behalf %}}")
    add(cell, f"{{{{ {path}.on_behalf }}}}", bold=True, size=13)
    tag(cell, "{%p endif %}")
    add(cell, f"{{{{ {path}.title }}}}", bold=True, size=13)
    tag(cell, f"{{%p if {path}.unit %}}")
    add(cell, f"{{{{ {path}.unit }}}}", size=13)
    tag(cell, "{%p endif %}")
    add(cell, f"{{{{ {path}.note }}}}", italic=True, size=13, after=72)


def signature(document: DocumentObject, path: str = "paper.signature") -> None:
    """The recipients (Nơi nhận) on the left, the signer on the right."""
    add(document, size=6, after=6, keep=True)
    block = table(document, 1, [7.0, TEXT_WIDTH - 7.0], grid=False)
    whole(block.rows[0])
    left = block.cell(0, 0)
    tag(left, f"{{%p if {path}.recipients %}}")
    add(left, "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT)
    tag(left, f"{{%p for recipient in {path}.recipients %}}")
    add(left, "- {{ recipient }}", size=11, align=LEFT)
    tag(left, "{%p endfor %}")
    tag(left, "{%p endif %}")
    signer(block.cell(0, 1), path)


def two_signers(document: DocumentObject, left: str, right: str) -> None:
    add(document, size=6, after=6, keep=True)
    block = table(document, 1, [TEXT_WIDTH / 2, TEXT_WIDTH / 2], grid=False)
    whole(block.rows[0])
    signer(block.cell(0, 0), left)
    signer(block.cell(0, 1), right)


def lines(document: DocumentObject, loop: str, text: str, *, italic: bool = False) -> None:
    tag(document, loop)
    body(document, text, italic=italic)
    tag(document, "{%p endfor %}")


def vote_minutes() -> DocumentObject:
    document = new_document("Biên bản họp bình xét, suy tôn")
    letterhead(document)
    title(document, "BIÊN BẢN")
    body(document, "{{ paper.opening }}")
    heading(document, "I. THÀNH PHẦN")
    lines(document, "{%p for line in paper.attendance %}", "- {{ line }}")
    heading(document, "II. NỘI DUNG VÀ KẾT QUẢ BỎ PHIẾU")
    body(document, "1. {{ paper.candidates }}")
    body(document, "2. {{ paper.rule }}")
    body(document, "3. {{ paper.count }}")
    tally = table(document, 4, [1.3, 6.6, 2.6, 2.2, 3.8])
    header_row(tally, ["STT", "Tên đơn vị", "Số phiếu suy tôn", "Tỷ lệ", "Kết quả"])
    rows(tally, 1, "{%tr for row in paper.rows %}",
         ["{{ row.number }}", "{{ row.unit }}", "{{ row.votes }}", "{{ row.share }}", "{{ row.outcome }}"])
    heading(document, "III. KẾT LUẬN")
    lines(document, "{%p for line in paper.conclusions %}", "{{ line }}")
    body(document, "{{ paper.closing }}", keep=True)
    two_signers(document, "paper.clerk", "paper.chair")
    return document


def council_minutes() -> DocumentObject:
    document = new_document("Biên bản họp Hội đồng Thi đua - Khen thưởng")
    letterhead(document)
    title(document, "BIÊN BẢN")
    body(document, "{{ paper.opening }}")
    heading(document, "I. THÀNH PHẦN")
    lines(document, "{%p for line in paper.attendance %}", "- {{ line }}")
    heading(document, "II. NỘI DUNG VÀ KẾT QUẢ BIỂU QUYẾT")
    tag(document, "{%p for section in paper.sections %}")
    heading(document, "{{ section.heading }}")
    body(document, "{{ section.rule }}")
    votes = table(document, 4, [1.3, 6.4, 2.0, 2.2, 2.2, 2.4])
    header_row(votes, ["STT", "Tên đơn vị", "Tán thành", "Không tán thành", "Tỷ lệ tán thành", "Kết quả"])
    rows(votes, 1, "{%tr for row in section.rows %}",
         ["{{ row.number }}", "{{ row.unit }}", "{{ row.approve }}", "{{ row.reject }}", "{{ row.share }}",
          "{{ row.outcome }}"])
    add(document, size=6)
    tag(document, "{%p endfor %}")
    heading(document, "III. KẾT LUẬN")
    lines(document, "{%p for section in paper.sections %}", "- {{ section.conclusion }}")
    body(document, "{{ paper.closing }}", keep=True)
    two_signers(document, "paper.clerk", "paper.chair")
    return document


def submission() -> DocumentObject:
    document = new_document("Tờ trình đề nghị khen thưởng")
    letterhead(document)
    title(document, "TỜ TRÌNH")
    add(document, "Kính gửi: {{ paper.addressee }}", size=14, after=0)
    tag(document, "{%p if paper.addressee_note %}")
    add(document, "{{ paper.addressee_note }}", size=14)
    tag(document, "{%p endif %}")
    add(document, size=6, after=6)
    lines(document, "{%p for line in paper.grounds %}", "{{ line }}")
    body(document, "{{ paper.request }}")
    proposals = table(document, 4, [1.3, 4.5, 4.2, 1.7, 1.6, 3.2])
    header_row(proposals, ["STT", "Tên đơn vị", "Khối, cụm thi đua", "Tổng điểm", "Xếp hạng",
                           "{{ paper.result_heading }}"])
    rows(proposals, 1, "{%tr for row in paper.rows %}",
         ["{{ row.number }}", "{{ row.unit }}", "{{ row.bloc }}", "{{ row.total }}", "{{ row.rank }}",
          "{{ row.result }}"])
    add(document, size=6, after=6)
    heading(document, "Hồ sơ kèm theo:")
    lines(document, "{%p for line in paper.documents %}", "- {{ line }}")
    body(document, "{{ paper.closing }}", keep=True)
    signature(document)
    return document


def proposals() -> DocumentObject:
    document = new_document("Danh sách đề nghị khen thưởng")
    letterhead(document)
    title(document, "DANH SÁCH", "{{ paper.note }}")
    listed = table(document, 7, [1.3, 4.4, 4.0, 1.6, 1.6, 3.6])
    header_row(listed, ["STT", "Tên đơn vị", "Khối, cụm thi đua", "Tổng điểm", "Xếp hạng", "Tình trạng hồ sơ"])
    add(listed.cell(1, 0), "{%tr for group in paper.groups %}", size=2)
    group = listed.cell(2, 0).merge(listed.cell(2, 5))
    add(group, "{{ group.heading }}", bold=True, size=12, align=LEFT, before=2, after=2)
    rows(listed, 3, "{%tr for row in group.rows %}",
         ["{{ row.number }}", "{{ row.unit }}", "{{ row.bloc }}", "{{ row.total }}", "{{ row.rank }}",
          "{{ row.state }}"])
    add(listed.cell(6, 0), "{%tr endfor %}", size=2)
    add(document, size=6, after=6)
    body(document, "{{ paper.summary }}", bold=True, keep=True)
    signature(document)
    return document


def decision() -> DocumentObject:
    document = new_document("Dự thảo quyết định khen thưởng")
    add(document, "DỰ THẢO", bold=True, size=13, align=RIGHT, after=6)
    letterhead(document)
    title(document, "QUYẾT ĐỊNH")
    add(document, "{{ paper.authority }}", bold=True, size=14, after=12)
    lines(document, "{%p for line in paper.grounds %}", "{{ line }}", italic=True)
    add(document, "QUYẾT ĐỊNH:", bold=True, size=14, before=6, after=6)
    article(document, "Điều 1. ", "{{ paper.article_1 }}")
    rewards = table(document, 5, [1.3, 10.2, 5.0])
    header_row(rewards, ["STT", "Tên đơn vị", "Số tiền thưởng (đồng)"])
    rows(rewards, 1, "{%tr for row in paper.rows %}", ["{{ row.number }}", "{{ row.unit }}", "{{ row.reward }}"])
    total = rewards.cell(4, 0).merge(rewards.cell(4, 1))
    add(total, "Tổng cộng", bold=True, size=12, before=1, after=1)
    add(rewards.cell(4, 2), "{{ paper.total }}", bold=True, size=12, before=1, after=1)
    add(document, size=6, after=6)
    article(document, "Điều 2. ", "{{ paper.article_2 }}")
    article(document, "Điều 3. ", "{{ paper.article_3 }}", keep=True)
    signature(document)
    return document


def article(document: DocumentObject, number: str, text: str, keep: bool = False) -> None:
    """An article of a decision: its number in bold, then its text."""
    paragraph = body(document, "", keep=keep)
    lead = paragraph.add_run(number)
    lead.bold = True
    lead.font.size = Pt(14)
    paragraph.add_run(text).font.size = Pt(14)


TEMPLATES = {"vote_minutes": vote_minutes, "council_minutes": council_minutes, "submission": submission,
             "proposals": proposals, "decision": decision}


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, make in TEMPLATES.items():
        path = FOLDER / f"{name}.docx"
        make().save(str(path))
        print(f"{path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
