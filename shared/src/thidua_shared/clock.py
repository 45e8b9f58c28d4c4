"""The provinces' calendar: a day is a day in Viet Nam (UTC+7 all year), whatever the server's zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from thidua_contracts.base import VIETNAM

__all__ = ["VIETNAM", "Today", "province_today"]
Today = Callable[[], date]


def province_today() -> date:
    """Today in Viet Nam: a past act (an election, a hand-over, a consent) is dated no later."""
    return datetime.now(VIETNAM).date()
