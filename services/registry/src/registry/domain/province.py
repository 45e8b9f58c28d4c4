"""A province (tỉnh): registered once, with the settings by which it tunes the registry's rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from thidua_contracts import EventPayload
from thidua_contracts.registry import (
    ProvinceMergerConsented,
    ProvinceRegistered,
    ProvinceSettingsChanged,
    ProvincesMerged,
)
from thidua_shared.errors import Conflict, Invalid, NotFound


def province_stream(code: str) -> str:
    return f"province:{code}"


@dataclass
class Province:
    code: str
    version: int = 0
    name: str = ""
    chair_may_serve_consecutive_years: bool = False
    """Default: the same unit does not chair a bloc two years running (chairs rotate yearly)."""
    merged_into: str | None = None
    consented_to: str | None = None
    """The province this one's admin agreed to merge into."""

    @classmethod
    def from_history(cls, code: str, history: Iterable[EventPayload]) -> Province:
        province = cls(code)
        for event in history:
            if isinstance(event, ProvinceRegistered):
                province.name = event.name
            elif isinstance(event, ProvinceSettingsChanged):
                province.chair_may_serve_consecutive_years = event.chair_may_serve_consecutive_years
            elif isinstance(event, ProvinceMergerConsented):
                province.consented_to = event.into_code
            elif isinstance(event, ProvincesMerged) and event.into_code != code:
                province.merged_into = event.into_code
            province.version += 1
        return province

    def register(self, name: str) -> list[EventPayload]:
        if self.version:
            raise Conflict("province.exists", province=self.code, name=self.name)
        return [ProvinceRegistered(code=self.code, name=name.strip())]

    def change_settings(self, chair_may_serve_consecutive_years: bool) -> list[EventPayload]:
        if not self.version:
            raise NotFound("province.not_registered", province=self.code)
        return [ProvinceSettingsChanged(code=self.code,
                                        chair_may_serve_consecutive_years=chair_may_serve_consecutive_years)]


    def consent_to_merge(self, into_code: str, legal_basis: str, on: date) -> list[EventPayload]:
        """The province's own admin agrees to merge into ``into_code`` (the law names both)."""
        if not self.version:
            raise NotFound("province.not_registered", province=self.code)
        if self.merged_into is not None:
            raise Conflict("province.merged", province=self.code, into=self.merged_into)
        if into_code == self.code:
            raise Invalid("province.merge_into_itself", province=self.code)
        if not legal_basis.strip():
            raise Invalid("province.legal_basis_required")
        return [ProvinceMergerConsented(code=self.code, into_code=into_code, legal_basis=legal_basis.strip(),
                                        consented_on=on)]


def merge_provinces(sources: list[Province], into: Province, effective_on: date,
                    legal_basis: str) -> list[tuple[Province, list[EventPayload]]]:
    """Provinces merge into one (the 2025 reform: 63 into 34). The fact is recorded on every province
    involved, so subscribers of each province's topics learn it; the merged provinces' history stays
    reachable under their own codes and, through the lineage, under the new one."""
    if not sources:
        raise Invalid("merge.no_sources")
    if not legal_basis.strip():
        raise Invalid("province.legal_basis_required")
    for province in (*sources, into):
        if not province.version:
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
    return [(province, [merged]) for province in (*sources, into)]
