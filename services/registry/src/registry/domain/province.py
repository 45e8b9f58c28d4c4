"""A province (tỉnh): registered once, with the settings by which it tunes the registry's rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from thidua_shared.contracts import EventPayload
from thidua_shared.contracts.registry import ProvinceRegistered, ProvinceSettingsChanged
from thidua_shared.errors import Conflict, NotFound


def province_stream(code: str) -> str:
    return f"province:{code}"


@dataclass
class Province:
    code: str
    version: int = 0
    name: str = ""
    chair_may_serve_consecutive_years: bool = False
    """Default: the same unit does not chair a bloc two years running (chairs rotate yearly)."""

    @classmethod
    def from_history(cls, code: str, history: Iterable[EventPayload]) -> Province:
        province = cls(code)
        for event in history:
            if isinstance(event, ProvinceRegistered):
                province.name = event.name
            elif isinstance(event, ProvinceSettingsChanged):
                province.chair_may_serve_consecutive_years = event.chair_may_serve_consecutive_years
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
