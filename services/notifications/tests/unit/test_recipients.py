"""Who hears what: the audiences a province's settings name for each kind of message, each address once, in the
language it asked for."""

from __future__ import annotations

import pytest

from notifications.domain.recipients import (
    AUDIENCES,
    DEFAULT_AUDIENCES,
    KIND_OF,
    KINDS,
    Concerned,
    Contact,
    NotificationSettings,
    kind_of,
    recipients,
)
from thidua_contracts.awards import AwardRejected, BallotCast
from thidua_contracts.registry import UnitRegistered

UNIT = Contact("vanphong@hanam.gov.vn", "Văn phòng Tỉnh ủy")
CHAIR = Contact("bantochuc@hanam.gov.vn", "Ban Tổ chức Tỉnh ủy")
CONCERNED = Concerned(units=(UNIT,), bloc_id="khoi-ban-dang", bloc_name="Khối các Ban Đảng", bloc_chair=(CHAIR,))
SETTINGS = NotificationSettings(staff_emails=("tdkt@snv.hanam.gov.vn",),
                                bloc_secretariats={"khoi-ban-dang": ("thuky@hanam.gov.vn",)})


def test_the_defaults_cover_every_kind_the_issue_names() -> None:
    assert set(DEFAULT_AUDIENCES) == set(KINDS) == set(KIND_OF.values())
    assert {"ranking_published", "vote_opened", "vote_closed", "award_proposed", "proposal_returned",
            "award_rejected", "forwarded_to_central", "award_decided", "award_revoked", "award_frozen",
            "chair_elected", "vice_chair_elected"} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_by_default_the_unit_concerned_hears_of_every_step_that_concerns_it(kind: str) -> None:
    assert "unit" in DEFAULT_AUDIENCES[kind]  # type: ignore[index]


def test_a_unit_whose_proposal_is_rejected_is_told() -> None:
    kind = kind_of(AwardRejected(proposal_id="p", reason="r"))
    assert kind == "award_rejected"
    assert UNIT.address in [r.address for r in recipients(kind, CONCERNED, SETTINGS)]


def test_every_audience_of_a_decision_hears_it_once_in_the_order_of_the_audiences() -> None:
    told = recipients("award_decided", CONCERNED, SETTINGS)
    assert [(r.address, r.audience) for r in told] == [
        ("vanphong@hanam.gov.vn", "unit"), ("bantochuc@hanam.gov.vn", "bloc_chair"),
        ("thuky@hanam.gov.vn", "bloc_secretariat"), ("tdkt@snv.hanam.gov.vn", "province_staff")]
    assert [r.name for r in told] == ["Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Thư ký Khối các Ban Đảng",
                                      "Cán bộ thi đua, khen thưởng của tỉnh"]
    assert {r.language for r in told} == {"vi"}


def test_an_address_in_two_audiences_gets_one_mail() -> None:
    chair_is_the_unit = Concerned(units=(UNIT,), bloc_id="khoi-ban-dang", bloc_chair=(
        Contact("VanPhong@hanam.gov.vn", "Văn phòng Tỉnh ủy"),))
    told = recipients("award_decided", chair_is_the_unit, NotificationSettings())
    assert [(r.address, r.audience) for r in told] == [("vanphong@hanam.gov.vn", "unit")]


def test_a_province_can_leave_an_audience_out_of_a_kind() -> None:
    quiet = NotificationSettings(staff_emails=SETTINGS.staff_emails, audiences={"award_decided": ("unit",)})
    assert [r.address for r in recipients("award_decided", CONCERNED, quiet)] == [UNIT.address]
    assert len(recipients("award_proposed", CONCERNED, quiet)) == 3, "the kinds it left out keep their defaults"


def test_those_who_asked_for_english_are_written_to_in_english() -> None:
    english = NotificationSettings(staff_emails=("TDKT@snv.hanam.gov.vn",),
                                   english_addresses=frozenset({"tdkt@snv.hanam.gov.vn"}))
    told = {r.address: r.language for r in recipients("award_decided", CONCERNED, english)}
    assert told == {"vanphong@hanam.gov.vn": "vi", "bantochuc@hanam.gov.vn": "vi", "TDKT@snv.hanam.gov.vn": "en"}


def test_a_bloc_without_a_secretariat_in_the_settings_has_none_to_tell() -> None:
    other_bloc = Concerned(units=(UNIT,), bloc_id="cum-1")
    assert [r.audience for r in recipients("vote_opened", other_bloc, SETTINGS)] == ["unit"]


def test_events_nobody_is_told_about_make_no_message() -> None:
    assert kind_of(UnitRegistered(unit_id="u", name="U", short_name="U", kind="other")) is None
    assert kind_of(BallotCast(vote_id="v", voter_unit_id="u")) is None, "ballots are secret, and many"
    assert set(AUDIENCES) == {"unit", "bloc_chair", "bloc_secretariat", "province_staff"}
