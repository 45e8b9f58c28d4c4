"""Who is told what, in Vietnamese and English."""

from __future__ import annotations

from datetime import date

from notifications.domain.model import message_about
from thidua_contracts.registry import ChairElected, UnitRegistered, ViceChairElected


def test_an_elected_chair_is_announced_to_the_bloc_in_both_languages() -> None:
    message = message_about(ChairElected(bloc_id="b", year=2024, unit_id="ubkt", votes_for=7, votes_cast=8,
                                         members=8, elected_on=date(2024, 1, 3)))
    assert message is not None
    assert message.recipient == "bloc:b"
    assert message.text["vi"].startswith("Đơn vị ubkt được bầu làm trưởng khối")
    assert message.text["en"].startswith("Unit ubkt was elected chair")


def test_a_vice_chair_is_not_announced_as_chair() -> None:
    message = message_about(ViceChairElected(bloc_id="b", year=2024, unit_id="x", votes_for=1, votes_cast=1,
                                             members=1, elected_on=date(2024, 1, 3)))
    assert message is not None
    assert message.template == "vice_chair_elected"


def test_events_nobody_is_told_about_make_no_message() -> None:
    assert message_about(UnitRegistered(unit_id="u", name="U", short_name="U", kind="other")) is None
