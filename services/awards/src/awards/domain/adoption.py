"""A province's own rulebook versions, adopted beside the national defaults."""

from __future__ import annotations

from awards.domain.rulebook import NATIONAL_DEFAULTS, AnyOf, ConsecutiveTitles, Form, MeetsFormStandard, Rulebook
from thidua_contracts.awards import RulebookAdopted
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Invalid


def rulebooks_stream(province: str) -> str:
    return f"rulebooks:{province}"


class ProvinceRulebooks(Aggregate):
    """The versions a province adopted, one stream per province: adoptions are judged against each other."""

    def __init__(self, province: str) -> None:
        super().__init__(rulebooks_stream(province), province)
        self.adopted: list[Rulebook] = []

    @applies(RulebookAdopted)
    def _adopted(self, event: RulebookAdopted) -> None:
        self.adopted.append(Rulebook.from_event(event))

    def adopt(self, rulebook: Rulebook) -> None:
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
        for group in rulebook.exclusive:
            unknown = [code for code in group.forms if code not in codes]
            if unknown:
                raise Invalid("rulebook.unknown_exclusive", forms=", ".join(unknown))
        clashing = sorted(book.version for book in (*NATIONAL_DEFAULTS, *self.adopted)
                          if book.effective_from == rulebook.effective_from)
        if clashing:
            raise Conflict("rulebook.same_day", effective_from=rulebook.effective_from, versions=", ".join(clashing))
        self.record(rulebook.adopted())


def form_references(form: Form) -> list[str]:
    """The other forms a form's rules name (a standard to meet, titles held before, a quota's standard)."""
    quota = form.rules.quota
    found: list[str] = [*quota.leaders_of, *([quota.standard] if quota.standard else [])] if quota else []
    for rule in form.rules.eligibility:
        for simple in (rule.of if isinstance(rule, AnyOf) else [rule]):
            if isinstance(simple, MeetsFormStandard):
                found.append(simple.form)
            elif isinstance(simple, ConsecutiveTitles):
                found.extend(simple.forms)
    return found
