"""A province (tỉnh): registered once, with the settings by which it tunes the registry's rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from thidua_contracts.registry import (
    ProvinceMergerConsented,
    ProvinceRegistered,
    ProvinceSettingsChanged,
    ProvincesMerged,
)
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Invalid, NotFound


def province_stream(code: str) -> str:
    return f"province:{code}"


@dataclass(frozen=True)
class ElectionRules:
    """How a province's blocs elect their chair and vice-chair. The defaults are the national practice: more
    than half of the members elect, a chair does not chair two years running, no unit is preferred."""

    chair_rest_years: int = 1
    """Years a chair waits before chairing the same bloc again (0: may serve two years running)."""
    election_majority_percent: int = 50
    """Elected with votes for from more than this share of the bloc's members."""
    outgoing_vice_chair_preferred: bool = False
    """Electing as chair another unit than the outgoing vice-chair needs a stated reason."""

    def votes_needed(self, members: int) -> int:
        """The fewest votes for that are more than the share of ``members``."""
        return members * self.election_majority_percent // 100 + 1


class Province(Aggregate):
    def __init__(self, code: str) -> None:
        super().__init__(province_stream(code), code)
        self.code = code
        self.name = ""
        self.election_rules = ElectionRules()
        self.merged_into: str | None = None
        self.consented_to: str | None = None
        """The province this one's admin agreed to merge into."""

    @applies(ProvinceRegistered)
    def _registered(self, event: ProvinceRegistered) -> None:
        self.name = event.name

    @applies(ProvinceSettingsChanged)
    def _settings_changed(self, event: ProvinceSettingsChanged) -> None:
        self.election_rules = ElectionRules(event.chair_rest_years, event.election_majority_percent,
                                            event.outgoing_vice_chair_preferred)

    @applies(ProvinceMergerConsented)
    def _consented(self, event: ProvinceMergerConsented) -> None:
        self.consented_to = event.into_code

    @applies(ProvincesMerged)
    def _merged(self, event: ProvincesMerged) -> None:
        if event.into_code != self.code:
            self.merged_into = event.into_code

    def register(self, name: str) -> None:
        if self.exists:
            raise Conflict("province.exists", province=self.code, name=self.name)
        self.record(ProvinceRegistered(code=self.code, name=name.strip()))

    def change_settings(self, chair_rest_years: int | None = None, election_majority_percent: int | None = None,
                        outgoing_vice_chair_preferred: bool | None = None) -> None:
        """Change the settings given; the others stay as they are."""
        if not self.exists:
            raise NotFound("province.not_registered", province=self.code)
        if chair_rest_years is None and election_majority_percent is None and outgoing_vice_chair_preferred is None:
            raise Invalid("settings.nothing_to_change")
        current = self.election_rules
        rules = replace(
            current,
            chair_rest_years=current.chair_rest_years if chair_rest_years is None else chair_rest_years,
            election_majority_percent=(current.election_majority_percent if election_majority_percent is None
                                       else election_majority_percent),
            outgoing_vice_chair_preferred=(current.outgoing_vice_chair_preferred
                                           if outgoing_vice_chair_preferred is None
                                           else outgoing_vice_chair_preferred))
        if not 0 <= rules.chair_rest_years <= 10:
            raise Invalid("settings.chair_rest_years", value=rules.chair_rest_years)
        if not 50 <= rules.election_majority_percent <= 90:
            raise Invalid("settings.election_majority_percent", value=rules.election_majority_percent)
        self.record(ProvinceSettingsChanged(
            code=self.code, chair_rest_years=rules.chair_rest_years,
            election_majority_percent=rules.election_majority_percent,
            outgoing_vice_chair_preferred=rules.outgoing_vice_chair_preferred))

    def consent_to_merge(self, into_code: str, legal_basis: str, on: date) -> None:
        """The province's own admin agrees to merge into ``into_code`` (the law names both)."""
        if not self.exists:
            raise NotFound("province.not_registered", province=self.code)
        if self.merged_into is not None:
            raise Conflict("province.merged", province=self.code, into=self.merged_into)
        if into_code == self.code:
            raise Invalid("province.merge_into_itself", province=self.code)
        if not legal_basis.strip():
            raise Invalid("province.legal_basis_required")
        self.record(ProvinceMergerConsented(code=self.code, into_code=into_code, legal_basis=legal_basis.strip(),
                                            consented_on=on))


def merge_provinces(sources: list[Province], into: Province, effective_on: date,
                    legal_basis: str) -> None:
    """Provinces merge into one (the 2025 reform: 63 into 34). The fact is recorded on every province
    involved, so subscribers of each province's topics learn it; the merged provinces' history stays
    reachable under their own codes and, through the lineage, under the new one."""
    if not sources:
        raise Invalid("merge.no_sources")
    if not legal_basis.strip():
        raise Invalid("province.legal_basis_required")
    for province in (*sources, into):
        if not province.exists:
            raise NotFound("province.not_registered", province=province.code)
        if province.merged_into is not None:
            raise Conflict("province.merged", province=province.code, into=province.merged_into)
    if into.code in {source.code for source in sources}:
        raise Invalid("province.merge_into_itself", province=into.code)
    unwilling = [source.code for source in sources if source.consented_to != into.code]
    if unwilling:
        raise Conflict("province.no_consent", provinces=", ".join(unwilling), into=into.code)
    merged = ProvincesMerged(from_codes=[source.code for source in sources], into_code=into.code,
                             effective_on=effective_on, legal_basis=legal_basis.strip())
    for province in (*sources, into):
        province.record(merged)
