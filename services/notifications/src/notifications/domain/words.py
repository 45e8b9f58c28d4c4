"""The words of messages that do not come from the directory: days, sums of money, documents of a dossier."""

from __future__ import annotations

from datetime import date

from notifications.domain.recipients import Language

DOCUMENT_NAMES: dict[str, dict[Language, str]] = {
    "submission": {"vi": "Tờ trình", "en": "the submission"},
    "achievement_report": {"vi": "Báo cáo thành tích", "en": "the achievement report"},
    "vote_minutes": {"vi": "Biên bản họp suy tôn của khối", "en": "the minutes of the bloc's honouring vote"},
    "council_minutes": {"vi": "Biên bản họp Hội đồng Thi đua - Khen thưởng",
                        "en": "the minutes of the Emulation and Commendation Council"},
}
"""The dossier's documents by the kinds the rulebook names them."""

UNKNOWN_NAME: dict[Language, str] = {"vi": "(đơn vị chưa có trong danh bạ)", "en": "(a unit not yet in the directory)"}
"""Said when a name has not reached the directory yet: never an id in its place."""


def day(value: date | None) -> str:
    """A day as people in Viet Nam write it, dd/mm/yyyy, in both languages."""
    return "" if value is None else f"{value:%d/%m/%Y}"


def document_name(kind: str, language: Language) -> str:
    """A document's name; a kind a province added is said in words, its underscores as spaces."""
    known = DOCUMENT_NAMES.get(kind)
    return known[language] if known else kind.replace("_", " ")


def money(amount: int, language: Language) -> str:
    """A sum in đồng: ``28.080.000 đồng``, or ``VND 28,080,000``."""
    grouped = f"{amount:,}"
    return f"{grouped.replace(',', '.')} đồng" if language == "vi" else f"VND {grouped}"


def points(total: float, language: Language) -> str:
    """A score as people write it: no ``.0``, a decimal comma in Vietnamese."""
    text = f"{total:g}"
    return text.replace(".", ",") if language == "vi" else text


NATIONAL_FORM_NAMES: dict[str, dict[Language, str]] = {
    "GOV_FLAG": {"vi": "Cờ thi đua của Chính phủ", "en": "The Government's Emulation Flag"},
    "PROV_FLAG": {"vi": "Cờ thi đua của UBND tỉnh", "en": "The Provincial People's Committee's Emulation Flag"},
    "PROV_MERIT": {"vi": "Bằng khen của Chủ tịch UBND tỉnh",
                   "en": "The Certificate of Merit of the Chairman of the Provincial People's Committee"},
    "EXCELLENT_COLLECTIVE": {"vi": "Tập thể lao động xuất sắc", "en": "Excellent Labour Collective"},
    "ADVANCED_COLLECTIVE": {"vi": "Tập thể lao động tiên tiến", "en": "Advanced Labour Collective"},
}
"""The names of the national default forms (Law 06/2022, Decrees 98/2023 and 152/2025), which awards applies
without publishing a ``RulebookAdopted``: the directory says them until a province adopts a rulebook naming the
form otherwise."""
SOME_FORM: dict[Language, str] = {"vi": "hình thức khen thưởng", "en": "an award"}
"""Said of a form neither the directory nor the national defaults name: never its code in its place."""
REJECTED_BY: dict[str, dict[Language, str]] = {
    "province": {"vi": "ở cấp tỉnh", "en": "by the province"},
    "central": {"vi": "ở cấp Trung ương", "en": "at the central level"},
}
"""Where a proposal was rejected, as ``AwardRejected.by`` says it."""
