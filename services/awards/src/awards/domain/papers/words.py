"""How an administrative paper writes what the records hold: its date, sums of money in figures and in
words, points and shares, the legal documents it rests on, the dossier's documents and a proposal's state.

Dates follow Decree 30/2020/NĐ-CP on administrative documents (Appendix I): "ngày 05 tháng 01 năm 2024",
a day below 10 and the months January and February written with a leading zero, the other months without.
"""

from __future__ import annotations

import re
from datetime import date

BLANK = "……"
"""Where the paper leaves a space for the person who signs it to fill in (a number, a name, an hour)."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")


def date_in_words(day: date) -> str:
    """``ngày 05 tháng 01 năm 2024``, ``ngày 20 tháng 3 năm 2024`` (Decree 30/2020/NĐ-CP, Appendix I)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str | None, day: date | None) -> str:
    """The line under the national motto: ``Hà Nam, ngày 05 tháng 01 năm 2024``; blanks for what is unknown."""
    when = date_in_words(day) if day is not None else f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    return f"{place or BLANK}, {when}"


def short_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def figures(amount: int) -> str:
    """``21.600.000``: thousands separated by dots, as Vietnamese papers write money."""
    return f"{amount:,}".replace(",", ".")


def decimal(value: float, places: int = 2) -> str:
    """``94,5``, ``95``: a decimal comma, no trailing zeros."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def share(value: float) -> str:
    """``66,7%`` for two thirds."""
    return f"{decimal(100 * value, 1)}%"


def percent(part: int, whole: int) -> str:
    """``87,5%`` of ``whole`` (``0%`` of nothing)."""
    return share(part / whole) if whole else "0%"


def _hundreds(number: int, whole: bool) -> list[str]:
    """A group of three digits; ``whole`` reads its zero hundreds (``không trăm linh năm``), as every group
    after the first is read."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if whole or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0 and units and words:
        words.append("linh")
    elif tens == 1:
        words.append("mười")
    elif tens > 1:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5 and tens > 0:
        words.append("lăm")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units:
        words.append(DIGITS[units])
    return words


def number_in_words(number: int) -> str:
    """``hai mươi mốt triệu sáu trăm nghìn`` for 21,600,000; groups of zeros are not read."""
    if number < 0:
        raise ValueError("a sum of money is not negative")
    if number == 0:
        return DIGITS[0]
    groups: list[int] = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index]:
            words += _hundreds(groups[index], whole=bool(words))
            words += [GROUPS[index % 3], *["tỷ"] * (index // 3)]
    return " ".join(word for word in words if word)


def amount_in_words(vnd: int) -> str:
    """``Hai mươi mốt triệu sáu trăm nghìn đồng``: the sum as a paper writes it beside its figures."""
    words = number_in_words(vnd)
    return f"{words[0].upper()}{words[1:]} đồng"


KNOWN_LAWS = {"06/2022/QH15": "Luật Thi đua, khen thưởng"}
_LAW = re.compile(r"^(?:Law|Luật)\s+(?:số\s+)?(\d+/\d{4}/QH\d+)$")
_DECREE = re.compile(r"^(?:Decree|Nghị định)\s+(?:số\s+)?(\d+/\d{4}/NĐ-CP)$")
_CIRCULAR = re.compile(r"^(?:Circular|Thông tư)\s+(?:số\s+)?(\d+/\d{4}/TT-[A-ZĐ]+)$")


def legal_document(basis: str) -> str:
    """A rulebook's legal basis as a paper cites it after "Căn cứ": ``Law 06/2022/QH15`` is the ``Luật Thi
    đua, khen thưởng số 06/2022/QH15``, ``Decree 98/2023/NĐ-CP`` the ``Nghị định số 98/2023/NĐ-CP của Chính
    phủ``; a basis written otherwise (a province's own words) is kept as it is."""
    text = basis.strip()
    if found := _LAW.match(text):
        number = found.group(1)
        return f"{KNOWN_LAWS.get(number, 'Luật')} số {number}"
    if found := _DECREE.match(text):
        return f"Nghị định số {found.group(1)} của Chính phủ"
    if found := _CIRCULAR.match(text):
        return f"Thông tư số {found.group(1)}"
    return text


DOCUMENT_KINDS = {
    "submission": "Tờ trình",
    "achievement_report": "Báo cáo thành tích",
    "vote_minutes": "Biên bản họp suy tôn",
    "council_minutes": "Biên bản họp Hội đồng Thi đua - Khen thưởng",
}
"""The dossier's documents by the kinds the rulebook names; another kind is shown as it is named."""

STATES = {
    "proposed": "Đang xét",
    "returned": "Trả lại để bổ sung",
    "approved": "Hội đồng đã thông qua",
    "forwarded": "Đã trình Trung ương",
    "decided": "Đã có quyết định",
    "rejected": "Không được chấp thuận",
    "revoked": "Đã bị thu hồi",
}


def document_kind(kind: str) -> str:
    return DOCUMENT_KINDS.get(kind, kind.replace("_", " "))


def authority_in_full(decided_by: str, province_name: str | None) -> str:
    """``Chủ tịch UBND tỉnh`` as the paper names it: ``Chủ tịch Ủy ban nhân dân tỉnh Hà Nam``."""
    province = f"tỉnh {province_name}" if province_name else "tỉnh"
    return re.sub(r"\bUBND tỉnh\b", f"Ủy ban nhân dân {province}", decided_by)
