"""The registry's HTTP API on a real database and broker: what a user sees when a rule is broken."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from registry.bootstrap import create_app
from thidua_shared.auth import TokenStore
from thidua_shared.store.db import create_engine
from thidua_shared.testing import ApiUnderTest, running_service

UNIT = {"unit_id": "ubkt", "name": "Ủy ban Kiểm tra Tỉnh ủy", "short_name": "UBKT", "kind": "party_board"}
BLOC = {"bloc_id": "khoi-dang", "name": "Khối các Ban Đảng", "kind": "khoi", "decision_ref": "01/QĐ-UBND"}


@pytest.fixture
async def registry(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    async with running_service(create_app, tmp_path, kafka_bootstrap) as service:
        yield service


async def _bloc_with_members(registry: ApiUnderTest, token: str, *unit_ids: str) -> None:
    async with registry.client(token) as http:
        assert (await http.post(f"{registry.base}/blocs", json=BLOC)).status_code == 201
        for unit_id in unit_ids:
            body = {**UNIT, "unit_id": unit_id, "name": f"Đơn vị {unit_id}"}
            assert (await http.post(f"{registry.base}/units", json=body)).status_code == 201
            joined = await http.post(f"{registry.base}/blocs/khoi-dang/members", json={
                "unit_id": unit_id, "effective_on": "2023-01-01", "decision_ref": "02/QĐ-UBND"})
            assert joined.status_code == 201, joined.text


async def test_a_request_without_a_token_is_refused_in_vietnamese_by_default(registry: ApiUnderTest) -> None:
    async with registry.client() as http:
        answer = await http.get(f"{registry.base}/units")
    assert answer.status_code == 401
    assert answer.json()["error"] == "auth.missing_token"
    assert "Thiếu mã truy cập" in answer.json()["message"]


async def test_a_token_of_another_province_reads_and_changes_nothing(registry: ApiUnderTest) -> None:
    other = await registry.token("admin", province="NBH")
    async with registry.client(other, language="en") as http:
        read = await http.get(f"{registry.base}/units")
        write = await http.post(f"{registry.base}/units", json=UNIT)
    assert read.status_code == write.status_code == 403
    assert f"province NBH cannot be used for province {registry.province}" in write.json()["message"]


async def test_only_an_admin_registers_units(registry: ApiUnderTest) -> None:
    officer = await registry.token("unit_officer", unit_id="ubkt")
    async with registry.client(officer, language="en") as http:
        answer = await http.post(f"{registry.base}/units", json=UNIT)
    assert answer.status_code == 403
    assert "needs the role admin" in answer.json()["message"]


async def test_registering_a_unit_twice_is_a_conflict_and_records_nothing_more(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin) as http:
        first = await http.post(f"{registry.base}/units", json=UNIT)
        second = await http.post(f"{registry.base}/units", json={**UNIT, "name": "Tên khác"})
        history = await http.get(f"{registry.base}/units/ubkt/history")
    assert first.status_code == 201
    assert second.status_code == 409
    assert "đã được đăng ký" in second.json()["message"]
    assert [event["event_type"] for event in history.json()] == ["UnitRegistered"]
    assert history.json()[0]["payload"]["name"] == UNIT["name"]


async def test_an_invalid_identifier_names_the_field_to_fix(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin, language="en") as http:
        answer = await http.post(f"{registry.base}/units", json={**UNIT, "unit_id": "Bad Id!"})
    assert answer.status_code == 422
    assert "unit_id" in answer.json()["message"]


async def test_joining_a_bloc_needs_a_registered_unit(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin)
    async with registry.client(admin, language="en") as http:
        answer = await http.post(f"{registry.base}/blocs/khoi-dang/members", json={
            "unit_id": "nobody", "effective_on": "2023-01-01", "decision_ref": "x"})
    assert answer.status_code == 404
    assert "register the unit first" in answer.json()["message"]


async def test_the_bloc_shows_members_and_leaders_as_of_a_date(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b", "c")
    async with registry.client(admin) as http:
        elected = await http.post(f"{registry.base}/blocs/khoi-dang/elections", json={
            "role": "chair", "year": 2024, "unit_id": "a", "votes_for": 3, "votes_cast": 3,
            "members": 3, "elected_on": "2024-01-03"})
        before = await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2022-12-31"})
        after = await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2024-01-03"})
    assert elected.status_code == 201
    assert before.json()["members"] == []
    assert [m["unit_id"] for m in after.json()["members"]] == ["a", "b", "c"]
    assert after.json()["leadership"][0]["unit_id"] == "a"
    assert (after.json()["chair"], after.json()["vice_chair"]) == ("a", None)
    assert before.json()["chair"] is None


@pytest.mark.parametrize(("election", "status", "words"), [
    ({"unit_id": "outsider"}, 409, "is not a member of bloc khoi-dang"),
    ({"votes_for": 4, "votes_cast": 3}, 422, "Votes for (4) cannot exceed votes cast (3)"),
    ({"votes_cast": 5, "members": 3}, 422, "Votes cast (5) cannot exceed the members (3)"),
])
async def test_an_election_breaking_a_rule_is_refused_with_the_reason(
    registry: ApiUnderTest, election: dict[str, object], status: int, words: str,
) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b", "c")
    body = {"role": "chair", "year": 2024, "unit_id": "a", "votes_for": 2, "votes_cast": 3, "members": 3,
            "elected_on": "2024-01-03", **election}
    async with registry.client(admin, language="en") as http:
        answer = await http.post(f"{registry.base}/blocs/khoi-dang/elections", json=body)
    assert answer.status_code == status, answer.text
    assert words in answer.json()["message"]


async def test_chair_and_vice_chair_of_a_year_are_different_units_and_elected_once(
    registry: ApiUnderTest,
) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b")
    vote = {"year": 2024, "votes_for": 2, "votes_cast": 2, "members": 2, "elected_on": "2024-01-03"}
    async with registry.client(admin, language="en") as http:
        elections = f"{registry.base}/blocs/khoi-dang/elections"
        chair = await http.post(elections, json={**vote, "role": "chair", "unit_id": "a"})
        same = await http.post(f"{registry.base}/blocs/khoi-dang/elections",
                               json={**vote, "role": "vice_chair", "unit_id": "a"})
        again = await http.post(elections, json={**vote, "role": "chair", "unit_id": "b"})
    assert chair.status_code == 201
    assert same.status_code == 409
    assert "cannot be both chair and vice-chair" in same.json()["message"]
    assert again.status_code == 409
    assert "already has a chair for 2024" in again.json()["message"]


async def test_a_bloc_secretary_records_elections_only_for_its_own_bloc(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a")
    secretary = await registry.token("bloc_secretary", bloc_id="another-bloc")
    async with registry.client(secretary) as http:
        answer = await http.post(f"{registry.base}/blocs/khoi-dang/elections", json={
            "role": "chair", "year": 2024, "unit_id": "a", "votes_for": 1, "votes_cast": 1, "members": 1,
            "elected_on": "2024-01-03"})
    assert answer.status_code == 403


async def test_a_unit_cannot_join_a_bloc_it_already_belongs_to_from_an_earlier_date(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a")
    async with registry.client(admin, language="en") as http:
        answer = await http.post(f"{registry.base}/blocs/khoi-dang/members", json={
            "unit_id": "a", "effective_on": "2022-01-01", "decision_ref": "3"})
    assert answer.status_code == 409
    assert "already a member of bloc khoi-dang since 01/01/2023" in answer.json()["message"]


async def test_a_parent_unit_must_be_registered_first(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin, language="en") as http:
        orphan = await http.post(f"{registry.base}/units", json={**UNIT, "parent_unit_id": "nowhere"})
        itself = await http.post(f"{registry.base}/units", json={**UNIT, "parent_unit_id": UNIT["unit_id"]})
    assert orphan.status_code == 404
    assert "No parent unit nowhere" in orphan.json()["message"]
    assert itself.status_code == 422


async def test_the_history_of_an_unknown_unit_or_bloc_is_not_found(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin) as http:
        unit = await http.get(f"{registry.base}/units/nobody/history")
        bloc = await http.get(f"{registry.base}/blocs/nothing/history")
    assert unit.status_code == bloc.status_code == 404


async def test_a_secretary_token_must_name_its_bloc() -> None:
    with pytest.raises(ValueError, match="names its bloc"):
        await TokenStore(create_engine("sqlite+aiosqlite://")).issue("HNM", "bloc_secretary", "x")


async def test_a_correlation_id_is_kept_only_in_a_safe_form(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin) as http:
        kept = await http.post(f"{registry.base}/units", json=UNIT, headers={"X-Correlation-ID": "req-42"})
        replaced = await http.post(f"{registry.base}/units", json={**UNIT, "unit_id": "other"},
                                   headers={"X-Correlation-ID": "x" * 500})
    assert kept.json()["correlation_id"] == "req-42"
    assert replaced.json()["correlation_id"] != "x" * 500
    assert len(replaced.headers["X-Correlation-ID"]) == 36


async def test_a_renamed_unit_keeps_its_history_and_shows_its_new_name(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin, language="en") as http:
        await http.post(f"{registry.base}/units", json=UNIT)
        renamed = await http.post(f"{registry.base}/units/ubkt/renaming",
                                  json={"name": "Ủy ban Kiểm tra Đảng ủy tỉnh", "effective_on": "2025-07-01",
                                        "decision_ref": "12/QĐ-TU"})
        again = await http.post(f"{registry.base}/units/ubkt/renaming",
                                json={"name": "Ủy ban Kiểm tra Đảng ủy tỉnh", "effective_on": "2025-08-01",
                                      "decision_ref": "13/QĐ-TU"})
        unit = await http.get(f"{registry.base}/units/ubkt")
        history = await http.get(f"{registry.base}/units/ubkt/history")
    assert renamed.status_code == 201
    assert again.status_code == 409
    assert "already named" in again.json()["message"]
    assert unit.json()["name"] == "Ủy ban Kiểm tra Đảng ủy tỉnh"
    assert [e["event_type"] for e in history.json()] == ["UnitRegistered", "UnitRenamed"]
    assert history.json()[1]["payload"]["decision_ref"] == "12/QĐ-TU"


async def test_a_dissolved_unit_leaves_its_bloc_that_day_and_can_no_longer_join(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b")
    async with registry.client(admin, language="en") as http:
        dissolved = await http.post(f"{registry.base}/units/a/dissolution",
                                    json={"effective_on": "2025-07-01", "decision_ref": "99/QĐ-UBND"})
        before = await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2025-06-30"})
        after = await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2025-07-01"})
        rejoin = await http.post(f"{registry.base}/blocs/khoi-dang/members", json={
            "unit_id": "a", "effective_on": "2025-08-01", "decision_ref": "100"})
    assert dissolved.status_code == 201
    assert [e["event_type"] for e in dissolved.json()["events"]] == ["UnitDissolved", "UnitLeftBloc"]
    assert [m["unit_id"] for m in before.json()["members"]] == ["a", "b"]
    assert [m["unit_id"] for m in after.json()["members"]] == ["b"]
    assert rejoin.status_code == 409
    assert "was dissolved or merged on 01/07/2025" in rejoin.json()["message"]


async def test_a_unit_sits_in_one_bloc_of_a_kind_at_a_time(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a")
    async with registry.client(admin, language="en") as http:
        await http.post(f"{registry.base}/blocs", json={**BLOC, "bloc_id": "khoi-2", "name": "Khối 2"})
        await http.post(f"{registry.base}/blocs", json={**BLOC, "bloc_id": "cum-1", "name": "Cụm 1", "kind": "cum"})
        second_khoi = await http.post(f"{registry.base}/blocs/khoi-2/members", json={
            "unit_id": "a", "effective_on": "2024-01-01", "decision_ref": "5"})
        a_cum = await http.post(f"{registry.base}/blocs/cum-1/members", json={
            "unit_id": "a", "effective_on": "2024-01-01", "decision_ref": "6"})
        left = await http.post(f"{registry.base}/blocs/khoi-dang/departures", json={
            "unit_id": "a", "effective_on": "2024-12-31", "decision_ref": "7"})
        after_leaving = await http.post(f"{registry.base}/blocs/khoi-2/members", json={
            "unit_id": "a", "effective_on": "2025-01-01", "decision_ref": "8"})
    assert second_khoi.status_code == 409
    assert "is a member of bloc khoi-dang of the same kind (khoi)" in second_khoi.json()["message"]
    assert a_cum.status_code == 201
    assert left.status_code == 201
    assert after_leaving.status_code == 201


@pytest.mark.parametrize(("departure", "status", "words"), [
    ({"unit_id": "stranger", "effective_on": "2024-06-01"}, 409, "is not a member of bloc khoi-dang now"),
    ({"unit_id": "a", "effective_on": "2022-06-01"}, 422, "must leave after the day it joined (01/01/2023)"),
])
async def test_a_departure_breaking_a_rule_says_why(registry: ApiUnderTest, departure: dict[str, str], status: int,
                                                     words: str) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a")
    async with registry.client(admin, language="en") as http:
        answer = await http.post(f"{registry.base}/blocs/khoi-dang/departures",
                                 json={**departure, "decision_ref": "1"})
    assert answer.status_code == status, answer.text
    assert words in answer.json()["message"]


def _vote(**fields: object) -> dict[str, object]:
    return {"role": "chair", "year": 2024, "unit_id": "a", "votes_for": 2, "votes_cast": 2, "members": 2,
            "elected_on": "2024-01-03", **fields}


async def test_electing_again_for_a_bloc_year_needs_a_reason_and_replaces_the_first(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b")
    elections = f"{registry.base}/blocs/khoi-dang/elections"
    async with registry.client(admin, language="en") as http:
        await http.post(elections, json=_vote())
        silent = await http.post(elections, json=_vote(unit_id="b"))
        reasoned = await http.post(elections, json=_vote(unit_id="b", replaces_reason="the first count was wrong"))
        bloc = await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2024-01-03"})
    assert silent.status_code == 409
    assert "electing again needs a reason" in silent.json()["message"]
    assert reasoned.status_code == 201
    [chair] = bloc.json()["leadership"]
    assert (chair["unit_id"], chair["replaces_reason"]) == ("b", "the first count was wrong")


async def test_chairs_rotate_yearly_unless_the_province_allows_consecutive_years(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b")
    elections = f"{registry.base}/blocs/khoi-dang/elections"
    async with registry.client(admin, language="en") as http:
        await http.post(elections, json=_vote(year=2023, elected_on="2023-01-05"))
        refused = await http.post(elections, json=_vote())
        unregistered = await http.post(f"{registry.base}/settings", json={"chair_rest_years": 0})
        await http.post(f"{registry.base}/registration", json={"name": "Hà Nam"})
        allowed = await http.post(f"{registry.base}/settings", json={"chair_rest_years": 0})
        again = await http.post(elections, json=_vote())
        province = await http.get(registry.base)
    assert refused.status_code == 409
    assert "chairs the bloc in 2023" in refused.json()["message"]
    assert unregistered.status_code == 404
    assert allowed.status_code == 201
    assert again.status_code == 201
    assert {key: province.json()[key] for key in ("chair_rest_years", "election_majority_percent",
                                                  "outgoing_vice_chair_preferred")} == {
        "chair_rest_years": 0, "election_majority_percent": 50, "outgoing_vice_chair_preferred": False}


async def test_the_province_sets_the_majority_that_elects_and_confirms_the_result(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    secretary = await registry.token("bloc_secretary", bloc_id="khoi-dang")
    await _bloc_with_members(registry, admin, "a", "b", "c", "d")
    elections = f"{registry.base}/blocs/khoi-dang/elections"
    confirmations = f"{registry.base}/blocs/khoi-dang/election-confirmations"
    confirmation = {"role": "chair", "year": 2024, "confirmed_on": "2024-01-10", "decision_ref": "15/QĐ-UBND"}
    async with registry.client(admin) as http:
        await http.post(f"{registry.base}/registration", json={"name": "Hà Nam"})
        two_thirds = await http.post(f"{registry.base}/settings", json={"election_majority_percent": 66})
        short = await http.post(elections, json=_vote(votes_for=2, votes_cast=4, members=4))
        elected = await http.post(elections, json=_vote(votes_for=3, votes_cast=4, members=4))
        early = await http.post(confirmations, json={**confirmation, "confirmed_on": "2024-01-02"})
    async with registry.client(secretary) as http:
        not_theirs = await http.post(confirmations, json=confirmation)
    async with registry.client(admin, language="en") as http:
        confirmed = await http.post(confirmations, json=confirmation)
        twice = await http.post(confirmations, json=confirmation)
        no_vice = await http.post(confirmations, json={**confirmation, "role": "vice_chair"})
        bloc = await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2024-01-10"})
        history = await http.get(f"{registry.base}/blocs/khoi-dang/history")
    assert two_thirds.status_code == 201
    assert short.status_code == 409
    assert short.json()["message"] == ("Chưa trúng cử: 2 phiếu tán thành trên 4 thành viên; theo quy định của tỉnh "
                                       "cần quá 66% số thành viên, tức ít nhất 3 phiếu.")
    assert elected.status_code == 201
    assert early.status_code == 422
    assert not_theirs.status_code == 403
    assert confirmed.status_code == 201
    assert twice.status_code == 409
    assert "already confirmed the chair for 2024" in twice.json()["message"]
    assert no_vice.status_code == 404
    assert "has not elected its vice-chair for 2024" in no_vice.json()["message"]
    [chair] = bloc.json()["leadership"]
    assert (chair["confirmed_on"], chair["confirmation_ref"]) == ("2024-01-10", "15/QĐ-UBND")
    assert [event["event_type"] for event in history.json()][-2:] == ["ChairElected", "LeaderElectionConfirmed"]


async def test_the_outgoing_vice_chair_is_passed_over_only_with_a_reason(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b", "c")
    elections = f"{registry.base}/blocs/khoi-dang/elections"
    async with registry.client(admin, language="en") as http:
        await http.post(f"{registry.base}/registration", json={"name": "Hà Nam"})
        await http.post(f"{registry.base}/settings", json={"outgoing_vice_chair_preferred": True})
        await http.post(elections, json=_vote(year=2023, role="vice_chair", unit_id="b", elected_on="2023-01-05",
                                              members=3, votes_for=2, votes_cast=3))
        silent = await http.post(elections, json=_vote(unit_id="c", members=3, votes_for=2, votes_cast=3))
        reasoned = await http.post(elections, json=_vote(unit_id="c", members=3, votes_for=2, votes_cast=3,
                                                         passed_over_reason="Đơn vị b đề nghị không làm trưởng khối"))
        bloc = await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2024-01-03"})
    assert silent.status_code == 409
    assert silent.json()["message"] == ("The province prefers the 2023 vice-chair (unit b) as chair for 2024; "
                                        "electing another unit needs a reason (passed_over_reason).")
    assert reasoned.status_code == 201
    chair = next(leader for leader in bloc.json()["leadership"] if leader["role"] == "chair")
    assert chair["passed_over_reason"] == "Đơn vị b đề nghị không làm trưởng khối"


async def test_the_supervisor_of_a_year_and_the_handover_show_on_the_bloc(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b")
    base = f"{registry.base}/blocs/khoi-dang"
    async with registry.client(admin, language="en") as http:
        await http.post(f"{base}/supervisors", json={"year": 2024, "person_name": "Đinh Thị Lụa",
                                                     "title": "Phó Bí thư Thường trực Tỉnh ủy"})
        await http.post(f"{base}/elections", json=_vote(year=2023, elected_on="2023-01-05"))
        await http.post(f"{base}/elections", json=_vote(unit_id="b"))
        wrong = await http.post(f"{base}/handovers", json={"from_unit_id": "b", "to_unit_id": "a",
                                                           "handed_over_on": "2024-01-03"})
        handed = await http.post(f"{base}/handovers", json={"from_unit_id": "a", "to_unit_id": "b",
                                                            "handed_over_on": "2024-01-03"})
        twice = await http.post(f"{base}/handovers", json={"from_unit_id": "a", "to_unit_id": "b",
                                                           "handed_over_on": "2024-01-04"})
        bloc = await http.get(base, params={"on": "2024-06-01"})
    assert wrong.status_code == 409
    assert "is not the chair for 2024" in wrong.json()["message"]
    assert handed.status_code == 201
    assert twice.status_code == 409
    assert bloc.json()["supervisor"] == {"year": 2024, "person_name": "Đinh Thị Lụa",
                                         "title": "Phó Bí thư Thường trực Tỉnh ủy"}
    assert [(h["from_unit_id"], h["to_unit_id"]) for h in bloc.json()["handovers"]] == [("a", "b")]


async def test_merged_units_end_leave_their_blocs_and_live_on_in_the_new_units_history(
    registry: ApiUnderTest,
) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "ban-tuyen-giao", "ban-dan-van", "other")
    async with registry.client(admin, language="en") as http:
        await http.post(f"{registry.base}/units", json={**UNIT, "unit_id": "ban-tuyen-giao-dan-van",
                                                        "name": "Ban Tuyên giáo và Dân vận Tỉnh ủy"})
        merged = await http.post(f"{registry.base}/mergers", json={
            "from_unit_ids": ["ban-tuyen-giao", "ban-dan-van"], "into_unit_id": "ban-tuyen-giao-dan-van",
            "effective_on": "2025-03-01", "decision_ref": "Quyết định sáp nhập 2025"})
        again = await http.post(f"{registry.base}/mergers", json={
            "from_unit_ids": ["ban-dan-van"], "into_unit_id": "ban-tuyen-giao-dan-van",
            "effective_on": "2025-04-01", "decision_ref": "x"})
        itself = await http.post(f"{registry.base}/mergers", json={
            "from_unit_ids": ["other"], "into_unit_id": "other", "effective_on": "2025-04-01", "decision_ref": "x"})
        new_unit = (await http.get(f"{registry.base}/units/ban-tuyen-giao-dan-van")).json()
        old_unit = (await http.get(f"{registry.base}/units/ban-dan-van")).json()
        history = (await http.get(f"{registry.base}/units/ban-tuyen-giao-dan-van/history")).json()
        own_only = (await http.get(f"{registry.base}/units/ban-tuyen-giao-dan-van/history",
                                   params={"lineage": "false"})).json()
        bloc = (await http.get(f"{registry.base}/blocs/khoi-dang", params={"on": "2025-03-01"})).json()

    assert merged.status_code == 201
    assert [e["event_type"] for e in merged.json()["events"]] == [
        "UnitDissolved", "UnitLeftBloc", "UnitDissolved", "UnitLeftBloc", "UnitsMerged"]
    assert again.status_code == 409
    assert itself.status_code == 422
    assert [p["predecessor_id"] for p in new_unit["predecessors"]] == ["ban-dan-van", "ban-tuyen-giao"]
    assert old_unit["merged_into"]["unit_id"] == "ban-tuyen-giao-dan-van"
    assert {e["payload"]["unit_id"] for e in history if e["event_type"] == "UnitRegistered"} == {
        "ban-tuyen-giao", "ban-dan-van", "ban-tuyen-giao-dan-van"}
    assert [e["event_type"] for e in own_only] == ["UnitRegistered", "UnitsMerged"]
    assert [m["unit_id"] for m in bloc["members"]] == ["other"]


async def test_a_units_roles_and_the_blocs_of_a_year_follow_the_dates(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b")
    async with registry.client(admin, language="en") as http:
        await http.post(f"{registry.base}/blocs/khoi-dang/elections", json=_vote(year=2023, elected_on="2023-01-05"))
        await http.post(f"{registry.base}/blocs/khoi-dang/departures", json={
            "unit_id": "a", "effective_on": "2024-01-01", "decision_ref": "4"})
        await http.post(f"{registry.base}/blocs", json={**BLOC, "bloc_id": "khoi-2", "name": "Khối 2"})
        roles = (await http.get(f"{registry.base}/units/a/roles")).json()
        of_2022 = (await http.get(f"{registry.base}/blocs", params={"year": 2022})).json()
        of_2024 = (await http.get(f"{registry.base}/blocs", params={"year": 2024})).json()
        all_blocs = (await http.get(f"{registry.base}/blocs")).json()
    assert [(m["bloc_id"], m["joined_on"], m["left_on"]) for m in roles["memberships"]] == [
        ("khoi-dang", "2023-01-01", "2024-01-01")]
    assert [(r["bloc_id"], r["year"], r["role"]) for r in roles["roles"]] == [("khoi-dang", 2023, "chair")]
    assert of_2022 == []
    assert [(b["bloc_id"], b["members"]) for b in of_2024] == [("khoi-dang", 1)]
    assert {b["bloc_id"] for b in all_blocs} == {"khoi-dang", "khoi-2"}


async def test_a_unit_keeps_its_contact_addresses_and_a_bad_one_is_refused(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    async with registry.client(admin, language="en") as http:
        good = await http.post(f"{registry.base}/units", json={**UNIT, "emails": ["ubkt@hanam.gov.vn"]})
        bad = await http.post(f"{registry.base}/units", json={**UNIT, "unit_id": "x", "emails": ["not-an-address"]})
        unit = (await http.get(f"{registry.base}/units/ubkt")).json()
    assert good.status_code == 201
    assert unit["emails"] == ["ubkt@hanam.gov.vn"]
    assert bad.status_code == 422
    assert "emails.0" in bad.json()["message"]


async def test_a_dissolution_respects_past_departures_and_a_dissolved_unit_is_never_admitted_again(
    registry: ApiUnderTest,
) -> None:
    admin = await registry.token("admin")
    await _bloc_with_members(registry, admin, "a", "b")
    async with registry.client(admin, language="en") as http:
        await http.post(f"{registry.base}/blocs", json={**BLOC, "bloc_id": "cum-1", "name": "Cụm", "kind": "cum"})
        await http.post(f"{registry.base}/blocs/khoi-dang/departures", json={
            "unit_id": "a", "effective_on": "2024-06-01", "decision_ref": "3"})
        too_early = await http.post(f"{registry.base}/units/a/dissolution",
                                    json={"effective_on": "2024-03-01", "decision_ref": "4"})
        dissolved = await http.post(f"{registry.base}/units/a/dissolution",
                                    json={"effective_on": "2024-07-01", "decision_ref": "4"})
        backdated = await http.post(f"{registry.base}/blocs/cum-1/members", json={
            "unit_id": "a", "effective_on": "2023-06-01", "decision_ref": "5"})
    assert too_early.status_code == 409
    assert "left bloc khoi-dang on 01/06/2024, after 01/03/2024" in too_early.json()["message"]
    assert dissolved.status_code == 201, dissolved.text
    assert [e["event_type"] for e in dissolved.json()["events"]] == ["UnitDissolved"]
    assert backdated.status_code == 409


async def test_a_units_officer_sets_where_the_unit_is_told(registry: ApiUnderTest) -> None:
    admin = await registry.token("admin")
    officer = await registry.token("unit_officer", unit_id="ubkt")
    other_officer = await registry.token("unit_officer", unit_id="van-phong")
    emails = f"{registry.base}/units/ubkt/emails"
    async with registry.client(admin) as http:
        await http.post(f"{registry.base}/units", json={**UNIT, "emails": ["cu@hanam.gov.vn"]})
    async with registry.client(other_officer) as http:
        not_theirs = await http.put(emails, json={"emails": ["x@hanam.gov.vn"]})
    async with registry.client(officer, language="en") as http:
        bad = await http.put(emails, json={"emails": ["not an address"]})
        changed = await http.put(emails, json={"emails": ["VanThu.UBKT@hanam.gov.vn", "ubkt@hanam.gov.vn"]})
        unit = await http.get(f"{registry.base}/units/ubkt")
        history = await http.get(f"{registry.base}/units/ubkt/history")
    async with registry.client(admin, language="en") as http:
        await http.post(f"{registry.base}/units/ubkt/dissolution",
                        json={"effective_on": "2024-01-01", "decision_ref": "9/QĐ-UBND"})
        ended = await http.put(emails, json={"emails": []})
    assert not_theirs.status_code == 403
    assert bad.status_code == 422
    assert changed.status_code == 201, changed.text
    assert unit.json()["emails"] == ["ubkt@hanam.gov.vn", "vanthu.ubkt@hanam.gov.vn"]
    assert history.json()[-1]["event_type"] == "UnitEmailsChanged"
    assert ended.status_code == 409
    assert ended.json()["message"] == "Unit ubkt was dissolved or merged on 01/01/2024."
