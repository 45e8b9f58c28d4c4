"""A province's own rulebook versions, adopted beside the national defaults."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from awards.domain.rulebook import NATIONAL_DEFAULTS, AnyOf, ConsecutiveTitles, Form, MeetsFormStandard, Rulebook
from thidua_contracts import EventPayload
from thidua_contracts.awards import RulebookAdopted
from thidua_shared.errors import Conflict, Invalid


def rulebooks_stream(province: str) -> str:
    return f"rulebooks:{province}"


@dataclass
class ProvinceRulebooks:
    version: int = 0
    adopted: list[Rulebook] = field(default_factory=list)

    @classmethod
    def from_history(cls, history: Iterable[EventPayload]) -> ProvinceRulebooks:
        books = cls()
        for event in history:
            if isinstance(event, RulebookAdopted):
                books.adopted.append(Rulebook.from_event(event))
            books.version += 1
        return books

    def adopt(self, rulebook: Rulebook) -> list[EventPayload]:
        """A new version, under a name no other version has, with each form named once."""
        taken = {book.version for book in (*NATIONAL_DEFAULTS, *self.adopted)}
        if rulebook.version in taken:
            raise Conflict("rulebook.version_taken", version=rulebook.version)
        codes = [form.code for form in rulebook.forms]
        doubled = sorted({code for code in codes if codes.count(code) > 1})
        if doubled:
            raise Invalid("rulebook.duplicate_forms", codes=", ".join(doubled))
        for form in rulebook.forms:
            for reference in form_references(form):
                if reference not in codes:
                    raise Invalid("rulebook.unknown_reference", form=form.code, reference=reference)
        clashing = sorted(book.version for book in (*NATIONAL_DEFAULTS, *self.adopted)
                          if book.effective_from == rulebook.effective_from)
        if clashing:
            raise Conflict("rulebook.same_day", effective_from=rulebook.effective_from, versions=", ".join(clashing))
        return [rulebook.adopted()]


def form_references(form: Form) -> list[str]:
    """The other forms a form's rules name (a standard to meet, titles held before)."""
    found: list[str] = []
    for rule in form.rules.eligibility:
        for simple in (rule.of if isinstance(rule, AnyOf) else [rule]):
            if isinstance(simple, MeetsFormStandard):
                found.append(simple.form)
            elif isinstance(simple, ConsecutiveTitles):
                found.extend(simple.forms)
    return found
