"""A province's settings of who hears what: each change an event stating them all, that the recipients follow."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from notifications.application.handlers import change_notification_settings
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.commands import ChangeNotificationSettings
from notifications.domain.recipients import DEFAULT_AUDIENCES, KINDS, NotificationSettings
from notifications.domain.settings import settings_of
from thidua_contracts.envelope import Actor
from thidua_contracts.notifications import NotificationSettingsChanged
from thidua_shared.context import CommandContext
from thidua_shared.errors import Invalid
from thidua_shared.unit_of_work import InMemoryUnitOfWork

ADMIN = CommandContext("HNM", Actor(id="admin-token", role="admin"), "corr-1")
CHANGE = ChangeNotificationSettings(
    staff_emails=["tdkt@snv.hanam.gov.vn", "tdkt@snv.hanam.gov.vn"],
    bloc_secretariats={"khoi-ban-dang": ["thuky@hanam.gov.vn"]},
    audiences={"award_decided": ["unit", "province_staff"]}, english_addresses=["Portal@hanam.gov.vn"])


async def _changed(inner: InMemoryUnitOfWork, command: ChangeNotificationSettings) -> None:
    await change_notification_settings(command, ADMIN, NotificationsUnitOfWork(inner, ADMIN))


async def test_a_change_records_every_setting_as_it_now_stands_in_the_provinces_stream() -> None:
    inner = InMemoryUnitOfWork("notifications")
    await _changed(inner, CHANGE)
    [recorded] = inner.store.log
    changed = recorded.typed()
    assert isinstance(changed, NotificationSettingsChanged)
    assert recorded.stream_id == "notification-settings:HNM"
    assert changed.staff_emails == ["tdkt@snv.hanam.gov.vn"], "an address given twice is kept once"
    assert set(changed.audiences) == set(KINDS), "the kinds left out are stated with their defaults"
    assert changed.audiences["award_decided"] == ["unit", "province_staff"]
    assert changed.audiences["award_rejected"] == list(DEFAULT_AUDIENCES["award_rejected"])
    settings = settings_of(changed)
    assert settings.hears("award_decided") == ("unit", "province_staff")
    assert settings.language_of("portal@hanam.gov.vn") == "en"
    assert settings.bloc_secretariats == {"khoi-ban-dang": ("thuky@hanam.gov.vn",)}


async def test_settings_that_change_nothing_are_refused() -> None:
    inner = InMemoryUnitOfWork("notifications")
    with pytest.raises(Invalid) as unchanged_defaults:
        await _changed(inner, ChangeNotificationSettings(staff_emails=[]))
    await _changed(inner, CHANGE)
    with pytest.raises(Invalid) as unchanged:
        await _changed(inner, CHANGE)
    assert unchanged_defaults.value.code == unchanged.value.code == "notification_settings.unchanged"
    assert len(inner.store.log) == 1


def test_an_audience_or_kind_the_rules_do_not_know_and_a_malformed_address_are_refused() -> None:
    for wrong in ({"staff_emails": ["not an address"]}, {"staff_emails": [], "audiences": {"award_decided": ["mayor"]}},
                  {"staff_emails": [], "audiences": {"ballot_cast": ["unit"]}}):
        with pytest.raises(ValidationError):
            ChangeNotificationSettings.model_validate(wrong)


def test_settings_stated_by_an_older_event_keep_the_defaults_of_kinds_added_since() -> None:
    older = NotificationSettingsChanged(staff_emails=[], audiences={"award_decided": ["unit", "crowd"]})
    settings = settings_of(older)
    assert settings.hears("award_decided") == ("unit",), "an audience this code does not know is ignored"
    assert settings.hears("vote_opened") == DEFAULT_AUDIENCES["vote_opened"]
    assert NotificationSettings().hears("award_frozen") == DEFAULT_AUDIENCES["award_frozen"]
