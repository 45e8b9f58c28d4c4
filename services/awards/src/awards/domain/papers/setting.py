"""What every paper knows and how every paper begins and ends: the province, its units and blocs by their
names, the award forms of the rulebook in force; the letterhead (the issuing body on the left, the national
motto on the right, the number and the place and date) and the signature (Decree 30/2020/NĐ-CP, Appendix I).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from awards.domain.papers.records import BlocRecord
from awards.domain.papers.words import BLANK, authority_in_full, legal_document, place_and_date
from awards.domain.rulebook import Form, Rulebook

HOME_AFFAIRS = "Sở Nội vụ"
COUNCIL = "Hội đồng Thi đua - Khen thưởng"


@dataclass(frozen=True)
class Letterhead:
    above: str
    """The body the issuer belongs to (``ỦY BAN NHÂN DÂN TỈNH HÀ NAM`` above ``SỞ NỘI VỤ``); empty if none."""
    issuer: str
    number: str
    """``Số: ……/TTr-SNV``, or the recorded number of a decision."""
    place_and_date: str


@dataclass(frozen=True)
class Signature:
    on_behalf: str
    """``TM. HỘI ĐỒNG`` where one signs for a collective body; empty otherwise."""
    title: str
    note: str = "(Ký, ghi rõ họ tên)"
    unit: str = ""
    """The unit that signs, under the title: a bloc's chair unit; the person signs and writes their name."""
    recipients: list[str] = field(default_factory=list)
    """``Nơi nhận``: who receives the paper, on the left of the signature; none for minutes."""


@dataclass(frozen=True)
class Setting:
    """The province and its names, as a paper of a day reads them."""

    province_name: str | None
    units: Mapping[str, str]
    blocs: Mapping[str, BlocRecord]
    rulebook: Rulebook
    """The rulebook version in force on the paper's day."""
    rulebooks: Sequence[Rulebook] = ()
    """Every version the province knows, for a form the version in force no longer has."""

    def unit(self, unit_id: str) -> str:
        return self.units.get(unit_id) or unit_id

    def bloc(self, bloc_id: str | None) -> str:
        """The bloc's name; its kind's word when the registry's name has not reached awards."""
        if bloc_id is None:
            return ""
        record = self.blocs.get(bloc_id)
        if record is not None and record.name:
            return record.name
        return "Cụm thi đua" if record is not None and record.kind == "cum" else "Khối thi đua"

    def chair(self, bloc_id: str) -> str | None:
        record = self.blocs.get(bloc_id)
        return self.unit(record.chair_unit_id) if record is not None and record.chair_unit_id else None

    def form(self, code: str) -> Form | None:
        found = self.rulebook.form(code)
        for book in self.rulebooks:
            found = found or book.form(code)
        return found

    def form_name(self, code: str) -> str:
        form = self.form(code)
        return form.name if form is not None else code

    def province_in_words(self) -> str:
        return f"tỉnh {self.province_name}" if self.province_name else "tỉnh"

    def people_committee(self) -> str:
        """``Ủy ban nhân dân tỉnh Hà Nam``."""
        return f"Ủy ban nhân dân {self.province_in_words()}"

    def authority(self, form: Form) -> str:
        """Who decides the form, as a paper names it: ``Chủ tịch Ủy ban nhân dân tỉnh Hà Nam``."""
        return authority_in_full(form.decided_by, self.province_name)

    def grounds(self) -> list[str]:
        """``Căn cứ …;`` for each legal document of the rulebook in force."""
        return [f"Căn cứ {legal_document(basis)};" for basis in self.rulebook.legal_basis]

    def letterhead(self, above: str, issuer: str, number: str, day: date | None) -> Letterhead:
        return Letterhead(above.upper(), issuer.upper(), f"Số: {number}", place_and_date(self.province_name, day))

    def committee_head(self, number: str, day: date | None) -> Letterhead:
        return self.letterhead("", self.people_committee(), number, day)

    def department_head(self, number: str, day: date | None) -> Letterhead:
        return self.letterhead(self.people_committee(), HOME_AFFAIRS, number, day)

    def council_head(self, number: str, day: date | None) -> Letterhead:
        return self.letterhead(self.people_committee(), COUNCIL, number, day)

    def bloc_head(self, bloc_id: str, number: str, day: date | None) -> Letterhead:
        return self.letterhead("", self.bloc(bloc_id), number, day)

    def bloc_signature(self, bloc_id: str, recipients: list[str] | None = None) -> Signature:
        """The bloc signs by its chair unit for the year: ``TM. KHỐI THI ĐUA``, ``TRƯỞNG KHỐI``."""
        cluster = (self.blocs.get(bloc_id) or BlocRecord(bloc_id, None, None)).kind == "cum"
        return Signature("TM. CỤM THI ĐUA" if cluster else "TM. KHỐI THI ĐUA",
                         "TRƯỞNG CỤM" if cluster else "TRƯỞNG KHỐI", unit=self.chair(bloc_id) or "",
                         recipients=recipients or [])


def unnumbered(kind: str) -> str:
    """A number left for the office to give: ``……/TTr-SNV``."""
    return f"{BLANK}/{kind}"
