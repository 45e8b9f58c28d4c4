"""The province's calendar: "today" is the day in the province's time zone, whatever the server's zone.

``THIDUA_TIME_ZONE`` names it (an IANA name, ``Asia/Ho_Chi_Minh`` by default): the services, the CLI and the
console read the same variable. Moments are stored in UTC; what people read is shown in this zone.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from thidua_contracts.base import VIETNAM

__all__ = ["DEFAULT_TIME_ZONE", "VIETNAM", "Today", "local", "province_today", "province_zone", "time_zone",
           "use_time_zone"]
Today = Callable[[], date]
DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"


def time_zone(name: str) -> ZoneInfo:
    """The zone called ``name``, or ``ValueError`` saying what to set."""
    try:
        return _zone(name.strip() or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError) as unknown:
        raise ValueError(f"THIDUA_TIME_ZONE={name!r} is no IANA time zone (e.g. {DEFAULT_TIME_ZONE})") from unknown


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


_chosen: list[ZoneInfo] = []


def use_time_zone(name: str) -> None:
    """The process's settings chose the zone (a service's ``ServiceSettings.time_zone``)."""
    _chosen[:] = [time_zone(name)]


def province_zone() -> ZoneInfo:
    """The province's zone: as the settings chose it, else ``THIDUA_TIME_ZONE``, else Asia/Ho_Chi_Minh."""
    if _chosen:
        return _chosen[0]
    return time_zone(os.environ.get("THIDUA_TIME_ZONE", DEFAULT_TIME_ZONE))


def province_today(now: datetime | None = None) -> date:
    """Today in the province (at ``now``, a UTC moment; default: the present): a past act (an election, a
    hand-over, a consent) is dated no later."""
    return (now or datetime.now(UTC)).astimezone(province_zone()).date()


def local(moment: datetime) -> datetime:
    """A stored (UTC) moment as the province's clock shows it."""
    return moment.astimezone(province_zone())
