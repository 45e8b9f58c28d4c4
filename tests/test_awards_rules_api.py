"""The award workflow's rules as a user meets them over HTTP, with the registry's units over the real broker:
the province's own rulebook, freezes, revocation, mergers, and who may do what."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from awards.bootstrap import create_app as awards_app
from registry.bootstrap import create_app as registry_app
from thidua_shared.spreadsheet import XLSX
from thidua_shared.testing import ApiUnderTest, running_service, within

DOCUMENTS = [{"kind": "submission", "ref": "TTr 1"}, {"kind": "achievement_report", "ref": "BC 1"}]
COUNCIL = {"members": 12, "present": 11, "written_votes": 1, "approve": 10, "reject": 2}


@dataclass
class Setup:
    awards: ApiUnderTest
    registry: ApiUnderTest
    admin: httpx.AsyncClient

    @property
    def base(self) -> str:
        return self.awards.base

    async def award(self, proposal_id: str, unit_id: str, year: int, code: str = "EXCELLENT_COLLECTIVE",
                    decided_on: str | None = None, filed_on: str | None = None) -> httpx.Response:
        """Propose (the unit rated excellent, its members' titles attested), pass the council and decide; the
        decision's answer."""
        on = decided_on or f"{year + 1}-02-20"
        await self.standing(unit_id, year)
        proposed = await self.admin.post(f"{self.base}/proposals", json={
            "proposal_id": proposal_id, "unit_id": unit_id, "year": year, "award_code": code,
            "filed_on": filed_on or f"{year + 1}-01-05", "documents": DOCUMENTS})
        assert proposed.status_code == 201, proposed.text
        if code != "ADVANCED_COLLECTIVE":
            voted = await self.admin.post(f"{self.base}/proposals/{proposal_id}/council-votes",
                                          json={**COUNCIL, "held_on": f"{year + 1}-02-01"})
            assert voted.status_code == 201, voted.text
        return await self.admin.post(f"{self.base}/proposals/{proposal_id}/decision",
                                     json={"decision_no": f"QĐ {proposal_id}", "decided_on": on})


    async def standing(self, unit_id: str, year: int, rating: str = "excellent") -> None:
        """The province rates the unit's year and attests its members' titles (once is enough)."""
        rated = await self.admin.put(f"{self.base}/units/{unit_id}/years/{year}/quality-rating", json={
            "rating": rating, "ref": f"QĐ xếp loại {year}", "rated_on": f"{year + 1}-01-03"})
        assert rated.status_code == 201, rated.text
        attested = await self.admin.post(f"{self.base}/units/{unit_id}/years/{year}/attestations", json={
            "fact": "member_titles", "ref": f"QĐ danh hiệu {year}", "attested_on": f"{year + 1}-01-03"})
        assert attested.status_code in (201, 409), attested.text


@pytest.fixture
async def setup(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[Setup]:
    async with running_service(awards_app, tmp_path / "awards", kafka_bootstrap) as awards, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, awards.province) as registry:
        async with registry.client(await registry.token("admin")) as http:
            await http.post(f"{registry.base}/blocs", json={"bloc_id": "k", "name": "K", "kind": "khoi",
                                                            "decision_ref": "1"})
            for unit_id in ("a", "b", "c"):
                assert (await http.post(f"{registry.base}/units", json={"unit_id": unit_id,
                                                                        "name": unit_id})).status_code == 201
                await http.post(f"{registry.base}/blocs/k/members", json={
                    "unit_id": unit_id, "effective_on": "2023-01-01", "decision_ref": "2"})
        async with awards.client(await awards.token("admin"), language="en") as admin:
            async def units_known() -> bool:
                return len((await admin.get(f"{awards.base}/units")).json()) == 3

            await within(60, units_known)
            yield Setup(awards, registry, admin)


async def _own_rulebook(admin: httpx.AsyncClient, base: str, effective_from: str) -> dict[str, Any]:
    national = (await admin.get(f"{base}/rulebooks")).json()["versions"][0]
    forms = [{key: form[key] for key in ("code", "name", "decided_by", "rules")} for form in national["forms"]]
    for form in forms:
        if form["code"] == "ADVANCED_COLLECTIVE":
            form["decided_by"] = "Giám đốc Sở Nội vụ"
    return {"version": "HNM-2024", "effective_from": effective_from,
            "legal_basis": ["QĐ 15/2024/QĐ-UBND"], "forms": forms}


async def test_a_decision_records_the_rulebook_the_dossier_was_received_under_the_provinces_own_included(
        setup: Setup) -> None:
    admin, base = setup.admin, setup.base
    adopted = await admin.post(f"{base}/rulebooks", json=await _own_rulebook(admin, base, "2024-03-01"))
    assert adopted.status_code == 201, adopted.text
    again = await admin.post(f"{base}/rulebooks", json=await _own_rulebook(admin, base, "2024-04-01"))
    assert again.status_code == 409
    assert "Rulebook version HNM-2024 exists already" in again.json()["message"]
    books = (await admin.get(f"{base}/rulebooks", params={"on": "2024-03-01"})).json()
    assert books["in_force"] == "HNM-2024"
    assert [book["version"] for book in books["versions"]] == ["VN-98-2023", "VN-152-2025", "HNM-2024"]

    before = await setup.award("p-before", "a", 2023, "ADVANCED_COLLECTIVE", decided_on="2024-03-05")
    after = await setup.award("p-after", "b", 2023, "ADVANCED_COLLECTIVE", filed_on="2024-03-01",
                              decided_on="2024-03-01")
    board = {row["proposal_id"]: row["decision"] for row in
             (await admin.get(f"{base}/proposals")).json()["proposals"]}
    assert before.status_code == after.status_code == 201
    assert (board["p-before"]["rule_version"], board["p-before"]["authority"]) == (
        "VN-98-2023", "Thủ trưởng cơ quan"), "received before the province's version, decided after it"
    assert (board["p-after"]["rule_version"], board["p-after"]["authority"]) == ("HNM-2024", "Giám đốc Sở Nội vụ")

    bad = await _own_rulebook(admin, base, "2024-05-01")
    bad["version"] = "HNM-bad"
    bad["forms"][0]["rules"]["council"]["share"] = 1.5
    refused = await admin.post(f"{base}/rulebooks", json=bad)
    assert refused.status_code == 422
    assert "share" in refused.json()["message"]


async def test_a_frozen_unit_gets_no_proposal_until_the_freeze_is_lifted(setup: Setup) -> None:
    admin, base = setup.admin, setup.base
    await setup.standing("a", 2023)
    frozen = await admin.post(f"{base}/freezes", json={"unit_id": "a", "reason": "đang thanh tra",
                                                       "ref": "KL-TTr 12", "on": "2024-01-02"})
    assert frozen.status_code == 201
    verdict = (await admin.get(f"{base}/eligibility", params={
        "unit_id": "a", "year": 2023, "award_code": "EXCELLENT_COLLECTIVE", "on": "2024-01-05"})).json()
    assert verdict["eligible"] is False
    [frozen_check] = [check for check in verdict["checks"] if not check["ok"]]
    assert frozen_check["message"] == "Frozen while pending: KL-TTr 12 (đang thanh tra)."
    assert frozen_check["citation"] == "Decree 98/2023/NĐ-CP (no award while a review is pending)"
    refused = await admin.post(f"{base}/proposals", json={
        "proposal_id": "p-a", "unit_id": "a", "year": 2023, "award_code": "EXCELLENT_COLLECTIVE",
        "filed_on": "2024-01-05", "documents": DOCUMENTS})
    assert refused.status_code == 409
    assert "Frozen while pending: KL-TTr 12" in refused.json()["message"]
    wrong_ref = await admin.post(f"{base}/freezes/lifting", json={"unit_id": "a", "reason": "x", "ref": "KL 99"})
    assert wrong_ref.status_code == 409
    assert "frozen under: KL-TTr 12" in wrong_ref.json()["message"]
    lifted = await admin.post(f"{base}/freezes/lifting", json={"unit_id": "a", "reason": "kết luận: không vi phạm",
                                                               "ref": "KL-TTr 12", "on": "2024-01-04"})
    assert lifted.status_code == 201
    assert (await setup.award("p-a", "a", 2023)).status_code == 201
    [row] = (await admin.get(f"{base}/freezes")).json()
    assert (row["ref"], row["unfrozen_on"]) == ("KL-TTr 12", "2024-01-04")


async def test_a_frozen_proposal_waits_and_a_decided_award_can_be_revoked(setup: Setup) -> None:
    admin, base = setup.admin, setup.base
    await setup.standing("b", 2023)
    await admin.post(f"{base}/proposals", json={
        "proposal_id": "p-b", "unit_id": "b", "year": 2023, "award_code": "EXCELLENT_COLLECTIVE",
        "filed_on": "2024-01-05", "documents": DOCUMENTS})
    await admin.post(f"{base}/freezes", json={"proposal_id": "p-b", "reason": "khiếu nại", "ref": "KN 3"})
    council = await admin.post(f"{base}/proposals/p-b/council-votes", json={**COUNCIL, "held_on": "2024-02-01"})
    assert council.status_code == 409
    assert "Proposal p-b is frozen: KN 3 (khiếu nại)" in council.json()["message"]
    await admin.post(f"{base}/freezes/lifting", json={"proposal_id": "p-b", "reason": "đã giải quyết", "ref": "KN 3"})
    assert (await admin.post(f"{base}/proposals/p-b/council-votes",
                             json={**COUNCIL, "held_on": "2024-02-01"})).status_code == 201
    assert (await admin.post(f"{base}/proposals/p-b/decision",
                             json={"decision_no": "QĐ 7", "decided_on": "2024-02-20"})).status_code == 201
    revoked = await admin.post(f"{base}/proposals/p-b/revocation", json={
        "decision_no": "QĐ 70", "reason": "kê khai không đúng thành tích", "revoked_on": "2024-06-01", "ground": "a"})
    twice = await admin.post(f"{base}/proposals/p-b/revocation", json={
        "decision_no": "QĐ 71", "reason": "x", "revoked_on": "2024-06-02", "ground": "a"})
    assert revoked.status_code == 201
    assert twice.status_code == 409
    row = (await admin.get(f"{base}/proposals/p-b")).json()
    assert (row["state"], row["revocation"]["decision_no"], row["revocation"]["ground"]) == ("revoked", "QĐ 70", "a")
    assert row["revocation"]["money_to_recover_vnd"] == row["decision"]["reward_vnd"] > 0
    future = await admin.post(f"{base}/proposals", json={
        "proposal_id": "p-c", "unit_id": "c", "year": 2023, "award_code": "EXCELLENT_COLLECTIVE",
        "filed_on": "2099-01-05"})
    assert future.status_code == 422
    assert "record only what has happened" in future.json()["message"]


async def test_a_merged_units_awards_follow_it_and_count_for_consecutive_titles(setup: Setup) -> None:
    admin, base = setup.admin, setup.base
    assert (await setup.award("p-a-2023", "a", 2023)).status_code == 201
    async with setup.registry.client(await setup.registry.token("admin")) as http:
        merged = await http.post(f"{base}/mergers", json={"from_unit_ids": ["a"], "into_unit_id": "c",
                                                          "effective_on": "2024-01-01", "decision_ref": "QĐ 9"})
        assert merged.status_code == 201, merged.text

    async def awards_knows_the_merger() -> bool:
        return bool((await admin.get(f"{base}/units/c/awards")).json()["predecessors"])

    await within(60, awards_knows_the_merger)
    refused = await admin.post(f"{base}/proposals", json={
        "proposal_id": "p-a-2024", "unit_id": "a", "year": 2024, "award_code": "EXCELLENT_COLLECTIVE",
        "filed_on": "2025-01-05", "documents": DOCUMENTS})
    assert refused.status_code == 409
    assert "Unit a is not active (status: merged)" in refused.json()["message"]
    assert (await setup.award("p-c-2024", "c", 2024)).status_code == 201
    history = (await admin.get(f"{base}/units/c/awards")).json()
    assert [(row["year"], row["award_code"], row["via"]) for row in history["awards"]] == [
        (2023, "EXCELLENT_COLLECTIVE", "a"), (2024, "EXCELLENT_COLLECTIVE", None)]
    merit = await admin.post(f"{base}/proposals", json={
        "proposal_id": "p-c-merit", "unit_id": "c", "year": 2024, "award_code": "PROV_MERIT",
        "filed_on": "2025-03-01", "documents": DOCUMENTS})
    assert merit.status_code == 201, "two consecutive excellent years, the first earned by its predecessor"


async def test_each_step_belongs_to_its_role(setup: Setup) -> None:
    base = setup.base
    await setup.standing("a", 2023)
    await setup.admin.post(f"{base}/proposals", json={
        "proposal_id": "p-a", "unit_id": "a", "year": 2023, "award_code": "EXCELLENT_COLLECTIVE",
        "filed_on": "2024-01-05", "documents": DOCUMENTS[:1]})
    await setup.admin.post(f"{base}/proposals/p-a/return", json={"reason": "thiếu báo cáo"})
    async with setup.awards.client(await setup.awards.token("unit_officer", unit_id="a"), language="en") as officer:
        council = await officer.post(f"{base}/proposals/p-a/council-votes", json={**COUNCIL, "held_on": "2024-02-01"})
        freeze = await officer.post(f"{base}/freezes", json={"unit_id": "b", "reason": "x", "ref": "y"})
        reasons = await officer.get(f"{base}/freezes")
    assert reasons.status_code == 403, "why a unit is frozen is for staff and auditors"
    async with setup.awards.client(await setup.awards.token("bloc_secretary", bloc_id="k"), language="en") as sec:
        resubmitted = await sec.post(f"{base}/proposals/p-a/resubmission", json={
            "documents": [{"kind": "achievement_report", "ref": "BC 2"}]})
        decision = await sec.post(f"{base}/proposals/p-a/decision", json={"decision_no": "1",
                                                                         "decided_on": "2024-02-01"})
    assert council.status_code == freeze.status_code == decision.status_code == 403
    assert "This needs the role admin" in council.json()["message"]
    assert resubmitted.status_code == 403, "a province's own proposal is resubmitted by the province"
    async with setup.awards.client(await setup.awards.token("admin"), language="en") as admin:
        missing = await admin.post(f"{base}/proposals/p-a/resubmission", json={"documents": [
            {"kind": "photos", "ref": "x"}]})
        resubmitted = await admin.post(f"{base}/proposals/p-a/resubmission", json={
            "documents": [{"kind": "achievement_report", "ref": "BC 2"}]})
    assert missing.status_code == 422
    assert "Proposal p-a still lacks: achievement_report" in missing.json()["message"]
    assert resubmitted.status_code == 201


async def test_a_bloc_secretary_runs_only_its_own_blocs_votes_and_proposals(setup: Setup) -> None:
    base = setup.base
    async with setup.awards.client(await setup.awards.token("bloc_secretary", bloc_id="k"), language="en") as own:
        opened = await own.post(f"{base}/votes", json={"vote_id": "v-k", "bloc_id": "k", "year": 2023,
                                                       "award_code": "PROV_MERIT", "candidates": ["a"],
                                                       "opened_on": "2024-01-03"})
        future = await own.post(f"{base}/votes", json={"vote_id": "v-f", "bloc_id": "k", "year": 2023,
                                                       "award_code": "PROV_MERIT", "opened_on": "2099-01-03"})
    assert opened.status_code == 201, opened.text
    assert future.status_code == 422
    assert "The vote's date 03/01/2099 is in the future" in future.json()["message"]
    async with setup.awards.client(await setup.awards.token("bloc_secretary", bloc_id="other"),
                                   language="en") as stranger:
        closing = await stranger.post(f"{base}/votes/v-k/closing")
    assert closing.status_code == 403
    assert "A bloc secretary may act only for its own bloc (other)" in closing.json()["message"]


async def test_eligibility_defaults_to_the_rulebook_of_the_award_years_filing_season_not_todays(
        setup: Setup) -> None:
    """Today the 2025 decree is in force; a 2024 award was filed in early 2025, under the 2023 decree."""
    versions = {}
    for year in (2024, 2025):
        verdict = await setup.admin.get(f"{setup.base}/eligibility", params={
            "unit_id": "a", "year": year, "award_code": "ADVANCED_COLLECTIVE"})
        candidates = await setup.admin.get(f"{setup.base}/blocs/k/years/{year}/candidates",
                                           params={"award_code": "PROV_MERIT"})
        versions[year] = (verdict.json()["rule_version"], candidates.json()["rule_version"])
    assert versions == {2024: ("VN-98-2023", "VN-98-2023"), 2025: ("VN-152-2025", "VN-152-2025")}


def _workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["unit", "year", "rating", "ref", "rated_on"], *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_quality_ratings_are_imported_from_a_workbook_all_or_none_and_a_merit_reads_them(
        setup: Setup) -> None:
    admin, base = setup.admin, setup.base
    template = await admin.get(f"{base}/quality-ratings/template.xlsx", params={"year": 2023})
    assert template.status_code == 200
    from openpyxl import load_workbook
    filled = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(template.content)).active.iter_rows()]
    assert filled[0] == ["unit", "year", "rating", "ref", "rated_on"]
    assert sorted(row[0] for row in filled[1:]) == ["a", "b", "c"]
    bad = _workbook([["a", 2023, "hoàn thành xuất sắc nhiệm vụ", "QĐ 1/QĐ-UBND", "10/01/2024"],
                     ["zz", 2023, "good", "QĐ 1/QĐ-UBND", None]])
    refused = await admin.post(f"{base}/quality-ratings/imports", content=bad, headers={"Content-Type": XLSX})
    assert refused.status_code == 422
    assert "Row 3: the province has no unit \"zz\"" in refused.json()["message"]
    assert (await admin.get(f"{base}/units/a/years/2023/standing")).status_code == 404, "nothing half written"
    good = _workbook([["a", 2022, "Hoàn thành xuất sắc nhiệm vụ", "QĐ 1/QĐ-UBND", "10/01/2023"],
                      ["a", 2023, "excellent", "QĐ 2/QĐ-UBND", "10/01/2024"],
                      ["b", 2023, "hoàn thành tốt nhiệm vụ", "QĐ 2/QĐ-UBND", "10/01/2024"]])
    imported = await admin.post(f"{base}/quality-ratings/imports", content=good, headers={"Content-Type": XLSX})
    assert imported.status_code == 201, imported.text
    assert [event["event_type"] for event in imported.json()["events"]] == ["QualityRatingRecorded"] * 3
    merit = (await admin.get(f"{base}/eligibility", params={
        "unit_id": "a", "year": 2023, "award_code": "PROV_MERIT"})).json()
    assert merit["eligible"] is True, "two consecutive years rated excellent"
    [grounds] = [check for check in merit["checks"] if check["rule"] == "any_of"]
    assert grounds["alternatives"][1]["message"].startswith(
        "Quality rating as required (excellent completion of tasks, 2 years)")
    not_b = (await admin.get(f"{base}/eligibility", params={
        "unit_id": "b", "year": 2023, "award_code": "PROV_MERIT"})).json()
    assert not_b["eligible"] is False
