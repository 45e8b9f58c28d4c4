"""The province's time zone decides "today", whatever the server's zone is."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from thidua_shared import clock
from thidua_shared.config import ServiceSettings

EVENING_IN_UTC = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
"""06:30 on 7 December in Ha Noi: a server keeping UTC would still say the 6th."""


@pytest.fixture(autouse=True)
def _no_chosen_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "_chosen", [])
    monkeypatch.delenv("THIDUA_TIME_ZONE", raising=False)


def test_today_is_the_day_in_viet_nam_by_default() -> None:
    assert clock.province_today(EVENING_IN_UTC) == date(2026, 12, 7)
    assert clock.local(EVENING_IN_UTC).strftime("%d/%m/%Y %H:%M") == "07/12/2026 06:30"


def test_the_time_zone_setting_decides_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_TIME_ZONE", "UTC")
    assert clock.province_today(EVENING_IN_UTC) == date(2026, 12, 6)
    clock.use_time_zone("Asia/Tokyo")
    assert clock.local(EVENING_IN_UTC).strftime("%d/%m %H:%M") == "07/12 08:30"


def test_an_unknown_time_zone_is_refused_at_start_saying_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_TIME_ZONE", "Asia/Hanoi-City")
    with pytest.raises(ValidationError, match=r"no IANA time zone \(e\.g\. Asia/Ho_Chi_Minh\)"):
        ServiceSettings()
