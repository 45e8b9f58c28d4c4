"""Citations as fields (document, article, clause, point, issuer, date), written the Vietnamese way, smallest unit
first: "điểm b khoản 1 Điều 25 Luật Thi đua, khen thưởng năm 2022", "khoản 1 Điều 7 Nghị định số
152/2025/NĐ-CP", "Chỉ thị số 34-CT/TW"; in English on request.

A rulebook adopted before citations had fields keeps its words as ``text``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from thidua_contracts.awards import RuleCheck
from thidua_contracts.base import STRICT as CONTRACT
from thidua_shared.commands import CLEAN_LINE

Kind = Literal["law", "decree", "circular", "decision", "directive", "resolution", "rules", "other"]
Words = Annotated[str, Field(min_length=1, max_length=300), CLEAN_LINE]

_KIND_VI = {"law": "Luật", "decree": "Nghị định", "circular": "Thông tư", "decision": "Quyết định",
            "directive": "Chỉ thị", "resolution": "Nghị quyết"}
_KIND_EN = {"law": "Law", "decree": "Decree", "circular": "Circular", "decision": "Decision",
            "directive": "Directive", "resolution": "Resolution"}


class Cite(BaseModel):
    """Where a rule comes from. ``kind`` and ``number`` (or, for a law, ``title`` and ``year``) name the document;
    ``article``, ``clause`` and ``point`` the place in it; ``note`` what the place says, or a provincial choice that
    no document fixes (``kind: rules``); ``text`` the words of a citation recorded before it had fields."""

    model_config = ConfigDict(**CONTRACT, strict=True)
    kind: Kind = "other"
    number: Words | None = Field(default=None, description="e.g. 152/2025/NĐ-CP, 34-CT/TW")
    title: Words | None = Field(default=None, description="a law's name, e.g. Thi đua, khen thưởng")
    title_en: Words | None = Field(default=None, description="e.g. Emulation and Commendation")
    year: int | None = Field(default=None, ge=1945, le=2100)
    issuer: Words | None = Field(default=None, description="e.g. Quốc hội, Chính phủ, UBND tỉnh")
    issued_on: date | None = Field(default=None, strict=False)
    article: int | None = Field(default=None, ge=1, le=1000)
    clause: int | None = Field(default=None, ge=1, le=100)
    point: str | None = Field(default=None, pattern=r"^[a-zđ]{1,2}$")
    note: Words | None = Field(default=None, description="in Vietnamese")
    note_en: Words | None = None
    text: Words | None = Field(default=None, description="a citation recorded as words only")

    @model_validator(mode="after")
    def _says_something(self) -> Cite:
        if not (self.number or self.title or self.note or self.text):
            raise ValueError("a citation names a document (number or title), a note or a text")
        if self.point and not self.clause:
            raise ValueError("a point belongs to a clause")
        if self.clause and not self.article:
            raise ValueError("a clause belongs to an article")
        return self

    def in_language(self, language: str) -> str:
        return self.english() if language == "en" else self.vietnamese()

    def vietnamese(self) -> str:
        if self.text:
            return self.text
        place = " ".join(part for part in (
            f"điểm {self.point}" if self.point else "", f"khoản {self.clause}" if self.clause else "",
            f"Điều {self.article}" if self.article else "") if part)
        document = self._document_vi()
        said = " ".join(part for part in (place, document) if part)
        if self.note:
            return f"{said} ({self.note})" if said else self.note
        return said

    def english(self) -> str:
        if self.text:
            return self.text
        place = ", ".join(part for part in (
            f"point {self.point}" if self.point else "", f"clause {self.clause}" if self.clause else "",
            f"Article {self.article}" if self.article else "") if part)
        document = self._document_en()
        said = " of ".join(part for part in (place, document) if part)
        note = self.note_en or self.note
        if note:
            return f"{said} ({note})" if said else note
        return said

    def _document_vi(self) -> str:
        if self.kind == "law":
            return " ".join(part for part in ("Luật", self.title, f"năm {self.year}" if self.year else "") if part)
        if self.kind in _KIND_VI and self.number:
            return f"{_KIND_VI[self.kind]} số {self.number}"
        return self.number or self.title or ""

    def _document_en(self) -> str:
        if self.kind == "law":
            return " ".join(part for part in ("the Law on", self.title_en or self.title, str(self.year or ""))
                            if part)
        if self.kind in _KIND_EN and self.number:
            return f"{_KIND_EN[self.kind]} {self.number}"
        return self.number or self.title or ""

    def __str__(self) -> str:
        return self.vietnamese()

    def with_place(self, article: int | None = None, clause: int | None = None, point: str | None = None,
                   note: str | None = None, note_en: str | None = None) -> Cite:
        """The same document, another place in it."""
        return self.model_copy(update={"article": article, "clause": clause, "point": point, "note": note,
                                       "note_en": note_en})


def _from_words(value: Any) -> Any:
    """A citation recorded as words (before citations had fields) reads as its ``text``."""
    return {"text": value} if isinstance(value, str) else value


Citation = Annotated[Cite, BeforeValidator(_from_words)]
"""A citation field of a rulebook: fields, or the words of one recorded before."""

LAW_2022 = Cite(kind="law", title="Thi đua, khen thưởng", title_en="Emulation and Commendation", year=2022,
                number="06/2022/QH15", issuer="Quốc hội")
DECREE_98 = Cite(kind="decree", number="98/2023/NĐ-CP", issuer="Chính phủ", issued_on=date(2023, 12, 31))
DECREE_152 = Cite(kind="decree", number="152/2025/NĐ-CP", issuer="Chính phủ")


def rules_of(note: str, note_en: str) -> Cite:
    """A provincial choice or practice, which no document of the national defaults fixes."""
    return Cite(kind="rules", note=note, note_en=note_en)


def citation_of(check: RuleCheck) -> Cite:
    """A recorded check's legal basis: its fields, or the words of a check recorded before they existed."""
    return Cite.model_validate(check.cite) if check.cite else Cite(text=check.citation)
