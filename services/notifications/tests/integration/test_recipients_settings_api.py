"""The province's admin reads and sets who hears what over HTTP; others cannot (on the real broker)."""

from __future__ import annotations

from pathlib import Path

from notifications.bootstrap import create_app as notifications_app
from thidua_shared.testing import running_service

SETTINGS = {"staff_emails": ["tdkt@snv.hanam.gov.vn"], "bloc_secretariats": {"khoi-ban-dang": ["thuky@hanam.gov.vn"]},
            "audiences": {"award_decided": ["unit", "province_staff"]}, "english_addresses": ["portal@hanam.gov.vn"]}


async def test_the_admin_sets_the_settings_and_reads_them_back_with_the_defaults_of_the_kinds_left_out(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    async with running_service(notifications_app, tmp_path, kafka_bootstrap) as service:
        path = f"{service.base}/notification-settings"
        async with service.client(await service.token("admin")) as admin:
            before = await admin.get(path)
            changed = await admin.put(path, json=SETTINGS)
            after = await admin.get(path)
            again = await admin.put(path, json=SETTINGS)
    assert before.status_code == 200
    assert (before.json()["staff_emails"], before.json()["changed_at"]) == ([], None)
    assert before.json()["audiences"]["award_rejected"] == ["unit", "bloc_chair", "bloc_secretariat", "province_staff"]
    assert changed.status_code == 200
    assert [event["event_type"] for event in changed.json()["events"]] == ["NotificationSettingsChanged"]
    answer = after.json()
    assert answer["staff_emails"] == ["tdkt@snv.hanam.gov.vn"]
    assert answer["bloc_secretariats"] == {"khoi-ban-dang": ["thuky@hanam.gov.vn"]}
    assert answer["audiences"]["award_decided"] == ["unit", "province_staff"]
    assert answer["audiences"]["vote_opened"] == ["unit", "bloc_chair", "bloc_secretariat"]
    assert answer["english_addresses"] == ["portal@hanam.gov.vn"]
    assert answer["changed_at"]
    assert again.status_code == 422
    assert again.json()["message"].startswith("Thiết lập thông báo của tỉnh")


async def test_only_the_provinces_admin_reads_or_sets_them_and_what_is_wrong_is_said(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    async with running_service(notifications_app, tmp_path, kafka_bootstrap) as service:
        path = f"{service.base}/notification-settings"
        async with service.client(await service.token("unit_officer", unit_id="van-phong")) as officer:
            read = await officer.get(path)
            written = await officer.put(path, json=SETTINGS)
        async with service.client(await service.token("admin", province="NBH")) as elsewhere:
            other_province = await elsewhere.get(path)
        async with service.client(await service.token("admin"), language="en") as admin:
            bad_address = await admin.put(path, json={**SETTINGS, "staff_emails": ["tdkt at snv"]})
            bad_audience = await admin.put(path, json={**SETTINGS, "audiences": {"award_decided": ["mayor"]}})
            shown = await admin.get(path)
    assert (read.status_code, written.status_code) == (403, 403)
    assert "admin" in read.json()["message"]
    assert other_province.status_code == 403
    assert (bad_address.status_code, bad_audience.status_code) == (422, 422)
    assert "staff_emails" in bad_address.json()["message"]
    assert "audiences" in bad_audience.json()["message"]
    assert shown.json()["changed_at"] is None, "nothing refused was kept"
