"""The dossier's papers, composed from recorded facts and rendered to DOCX: opened again with python-docx, each
says what was recorded (names, tallies, council votes, decision numbers, money, dates the Vietnamese way) under
the national motto, and never a unit's code."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from paper_fakes import BLOC, BLOC_NAME, FakePaperFacts, seed_facts

from awards.adapters.docx_papers import Paper, render
from awards.application import papers
from awards.domain.papers.records import BlocRecord
from awards.domain.papers.words import amount_in_words, date_in_words, legal_document, number_in_words
from awards.domain.rulebook import in_force
from thidua_shared.errors import Conflict, Invalid, NotFound

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
CODES = re.compile(r"\b(?:van-phong|ban-to-chuc|ubkt|du-khoi-[a-z-]+|khoi-ban-dang|v-merit|v-prov-flag|p-[a-z-]+)\b")


def text_of(content: bytes) -> str:
    """Every paragraph of the document, then of its tables' cells (a merged cell once), one per line."""
    document = Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        seen: list[object] = []  # the cells' elements, kept so that each keeps its identity
        for row in table.rows:
            for cell in row.cells:
                if not any(cell._tc is other for other in seen):
                    seen.append(cell._tc)
                    lines += [paragraph.text for paragraph in cell.paragraphs]
    return "\n".join(lines)


def rendered(paper: Paper) -> str:
    text = text_of(render(paper))
    assert all(line in text for line in MOTTO)
    assert re.findall(r"\{[{%]", text) == [], "every tag was filled"
    assert CODES.findall(text) == [], "units, blocs, votes and proposals are named, never by their codes"
    return text


def test_dates_are_written_as_decree_30_asks_and_money_in_figures_and_words() -> None:
    assert date_in_words(date(2024, 1, 5)) == "ngày 05 tháng 01 năm 2024"
    assert date_in_words(date(2024, 2, 20)) == "ngày 20 tháng 02 năm 2024"
    assert date_in_words(date(2024, 3, 1)) == "ngày 01 tháng 3 năm 2024", "months from March have no zero"
    assert date_in_words(date(2025, 12, 31)) == "ngày 31 tháng 12 năm 2025"
    assert amount_in_words(21_600_000) == "Hai mươi mốt triệu sáu trăm nghìn đồng"
    assert amount_in_words(7_020_000) == "Bảy triệu không trăm hai mươi nghìn đồng"
    assert [number_in_words(number) for number in (0, 15, 24, 105, 110, 1_005_000, 2_000_000_000)] == [
        "không", "mười lăm", "hai mươi tư", "một trăm linh năm", "một trăm mười",
        "một triệu không trăm linh năm nghìn", "hai tỷ"]
    assert legal_document("Law 06/2022/QH15") == "Luật Thi đua, khen thưởng số 06/2022/QH15"
    assert legal_document("Decree 152/2025/NĐ-CP") == "Nghị định số 152/2025/NĐ-CP của Chính phủ"
    assert legal_document("Quyết định số 86/2025/QĐ-UBND") == "Quyết định số 86/2025/QĐ-UBND"


async def test_the_minutes_of_a_vote_give_its_tally_by_name_and_who_chaired() -> None:
    text = rendered(await papers.minutes_of_vote(seed_facts(), "HNM", "v-merit", date(2024, 3, 1)))
    assert BLOC_NAME.upper() in text
    assert "Hà Nam, ngày 03 tháng 01 năm 2024" in text
    assert "Họp bình xét, suy tôn Bằng khen của Chủ tịch UBND tỉnh năm 2023" in text
    assert "Chủ trì: Ban Tổ chức Tỉnh ủy, đơn vị Trưởng khối năm 2023." in text
    assert "số phiếu thu về 8; số phiếu hợp lệ 7; số phiếu không hợp lệ 1" in text
    assert "phải đạt trên 50% tổng số đơn vị thành viên của khối (8), tức ít nhất 5 phiếu" in text
    assert "Ban Tổ chức Tỉnh ủy\n7\n87,5%\nĐược suy tôn" in text
    assert "Đảng ủy Khối Doanh nghiệp tỉnh\n3\n37,5%\nKhông được suy tôn" in text
    assert "suy tôn 2 đơn vị đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2023: Ban Tổ chức Tỉnh ủy; " \
           "Ủy ban Kiểm tra Tỉnh ủy." in text


async def test_minutes_recorded_after_the_meeting_are_dated_the_day_the_bloc_met() -> None:
    paper = await papers.minutes_of_vote(seed_facts(), "HNM", "v-merit", date(2026, 3, 1), held_on=date(2024, 1, 3))
    text = rendered(paper)
    assert "Hà Nam, ngày 03 tháng 01 năm 2024" in text
    assert "Hôm nay, ngày 03 tháng 01 năm 2024, " + BLOC_NAME in text


async def test_a_vote_still_open_or_unknown_has_no_minutes() -> None:
    facts = seed_facts()
    facts.votes["v-open"] = replace(facts.votes["v-merit"], vote_id="v-open", closed=False)
    with pytest.raises(Conflict) as still_open:
        await papers.minutes_of_vote(facts, "HNM", "v-open", date(2024, 3, 1))
    with pytest.raises(NotFound):
        await papers.minutes_of_vote(facts, "HNM", "v-none", date(2024, 3, 1))
    assert still_open.value.code == "paper.vote_open"


async def test_the_province_submits_what_the_council_passed_to_the_chairman_with_the_dossier() -> None:
    text = rendered(await papers.submission_of(seed_facts(), "HNM", 2023, "PROV_MERIT", date(2024, 2, 10)))
    assert "ỦY BAN NHÂN DÂN TỈNH HÀ NAM\nSỞ NỘI VỤ" in text
    assert "Số: ……/TTr-SNV" in text
    assert "Hà Nam, ngày 10 tháng 02 năm 2024" in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Hà Nam" in text
    assert all(f"Căn cứ {legal_document(basis)};" in text for basis in in_force(date(2024, 2, 10)).legal_basis)
    assert "Hội đồng Thi đua - Khen thưởng tỉnh ngày 05/02/2024;" in text
    assert "Ban Tổ chức Tỉnh ủy\n" + BLOC_NAME + "\n94\n2\n17/20 phiếu (85%)" in text
    assert "Ủy ban Kiểm tra Tỉnh ủy\n" + BLOC_NAME + "\n91,5\n3\n16/20 phiếu (80%)" in text
    assert "- Ủy ban Kiểm tra Tỉnh ủy: Tờ trình số 01/TTr-KTĐ; Báo cáo thành tích số 02/BC-KTĐ." in text
    assert "GIÁM ĐỐC" in text


async def test_the_government_flag_is_submitted_by_the_committee_to_the_prime_minister() -> None:
    text = rendered(await papers.submission_of(seed_facts(), "HNM", 2023, "GOV_FLAG", date(2024, 2, 28)))
    assert "\n\nỦY BAN NHÂN DÂN TỈNH HÀ NAM\n\nCỘNG HÒA" in text, "the committee itself, under no other body"
    assert "Số: ……/TTr-UBND" in text
    assert "Kính gửi: Thủ tướng Chính phủ\n(qua Bộ Nội vụ)" in text
    assert "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH" in text


async def test_a_bloc_submits_its_proposals_to_the_council_with_its_vote() -> None:
    text = rendered(await papers.submission_of(seed_facts(), "HNM", 2023, "PROV_FLAG", date(2024, 1, 5), BLOC))
    assert "Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh Hà Nam\n(qua Sở Nội vụ)" in text
    assert "kết quả bỏ phiếu suy tôn ngày 03/01/2024 của " + BLOC_NAME in text
    assert "Văn phòng Tỉnh ủy\n" + BLOC_NAME + "\n95\n1\n8/8 phiếu (100%)" in text
    assert "Biên bản họp suy tôn số 03/BB-KTĐ" in text
    assert "TM. KHỐI THI ĐUA\nTRƯỞNG KHỐI\nBan Tổ chức Tỉnh ủy" in text


async def test_nothing_passed_is_nothing_to_submit() -> None:
    with pytest.raises(Conflict) as nothing:
        await papers.submission_of(seed_facts(), "HNM", 2023, "EXCELLENT_COLLECTIVE", date(2024, 2, 10))
    with pytest.raises(Invalid) as unknown:
        await papers.submission_of(seed_facts(), "HNM", 2023, "GOLD_STAR", date(2024, 2, 10))
    assert nothing.value.code == "paper.nothing_to_submit"
    assert unknown.value.code == "proposal.unknown_form"


async def test_the_list_of_proposals_goes_form_by_form_and_names_decisions_by_number() -> None:
    text = rendered(await papers.list_of_proposals(seed_facts(), "HNM", 2023, date(2024, 3, 1)))
    headings = [line for line in text.splitlines() if re.match(r"^I+\. ", line)]
    assert headings == ["I. CỜ THI ĐUA CỦA CHÍNH PHỦ", "II. CỜ THI ĐUA CỦA UBND TỈNH",
                        "III. BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH"]
    assert "Quyết định số 300/QĐ-UBND ngày 20/02/2024" in text
    assert "Đã trình Trung ương" in text
    assert "Tổng cộng: 4 đề nghị của 3 tập thể." in text, "the rejected proposal is not listed"


async def test_the_council_minutes_give_each_vote_against_what_was_required() -> None:
    text = rendered(await papers.minutes_of_council(seed_facts(), "HNM", 2023, date(2024, 3, 1)))
    assert "ỦY BAN NHÂN DÂN TỈNH HÀ NAM\nHỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in text
    assert "Hôm nay, ngày 05 tháng 02 năm 2024" in text
    assert "Tổng số thành viên Hội đồng: 20; số thành viên có mặt: 18" in text
    assert "Văn phòng Tỉnh ủy\n15\n5\n75%\nKhông đạt" in text
    assert "Số phiếu tán thành cần có: 16 trên tổng số 20 thành viên Hội đồng." in text
    assert "đề nghị Chủ tịch Ủy ban nhân dân tỉnh Hà Nam tặng Bằng khen của Chủ tịch UBND tỉnh năm 2023 cho: " \
           "Ban Tổ chức Tỉnh ủy; Ủy ban Kiểm tra Tỉnh ủy." in text
    with pytest.raises(NotFound) as no_session:
        await papers.minutes_of_council(seed_facts(), "HNM", 2023, date(2024, 3, 1), held_on=date(2024, 2, 6))
    assert no_session.value.params["sessions"] == "05/02/2024"


async def test_the_draft_decision_gives_each_unit_its_reward_at_the_base_salary_of_its_day() -> None:
    text = rendered(await papers.decision_draft(seed_facts(), "HNM", 2023, "PROV_MERIT", date(2024, 2, 20)))
    assert "DỰ THẢO" in text
    assert "Số: ……/QĐ-UBND" in text
    assert "Hà Nam, ngày …… tháng …… năm ……" in text, "the office dates it when it is signed"
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ NAM" in text
    assert "Ban Tổ chức Tỉnh ủy\n5.400.000" in text
    assert "Tổng cộng\n10.800.000" in text
    assert "3 lần mức lương cơ sở (1.800.000 đồng, theo Nghị định số 24/2023/NĐ-CP)" in text
    assert "Tổng số tiền thưởng: 10.800.000 đồng (Bằng chữ: Mười triệu tám trăm nghìn đồng)" in text
    later = rendered(await papers.decision_draft(seed_facts(), "HNM", 2023, "PROV_MERIT", date(2024, 7, 1)))
    assert "Ban Tổ chức Tỉnh ủy\n7.020.000" in later, "three times 2,340,000 from 1 July 2024"


async def test_a_recorded_decision_keeps_its_number_day_money_and_legal_basis() -> None:
    text = rendered(await papers.decision_draft(seed_facts(), "HNM", 2023, "PROV_FLAG", date(2026, 1, 10)))
    assert "Số: 300/QĐ-UBND" in text
    assert "Hà Nam, ngày 20 tháng 02 năm 2024" in text
    assert "Căn cứ Nghị định số 98/2023/NĐ-CP của Chính phủ;" in text, "the decree in force on its day"
    assert "Văn phòng Tỉnh ủy\n14.400.000" in text
    assert "(Bằng chữ: Mười bốn triệu bốn trăm nghìn đồng)" in text
    with pytest.raises(NotFound):
        await papers.decision_draft(seed_facts(), "HNM", 2023, "PROV_FLAG", date(2024, 8, 1), "999/QĐ-UBND")
    with pytest.raises(Conflict) as central:
        await papers.decision_draft(seed_facts(), "HNM", 2023, "GOV_FLAG", date(2024, 8, 1))
    assert central.value.code == "paper.central_decision"


async def test_names_people_typed_stay_text_and_what_is_unknown_is_left_blank() -> None:
    facts: FakePaperFacts = seed_facts()
    facts.province = None
    facts.units["ban-to-chuc"] = "Ban <Tổ chức> & Kiểm tra"
    facts.bloc_records[BLOC] = BlocRecord(BLOC, None, "khoi", None)
    content = render(await papers.minutes_of_vote(facts, "HNM", "v-merit", date(2024, 3, 1)))
    text = text_of(content)
    assert "Ban <Tổ chức> & Kiểm tra\n7" in text
    assert "KHỐI THI ĐUA\n" in text, "a bloc whose name has not reached awards is named by its kind"
    assert "……, ngày 03 tháng 01 năm 2024" in text
    assert "Chủ trì: ……" in text
    assert CODES.findall(text) == []
