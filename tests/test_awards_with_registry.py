"""Awards relies on the registry's units and on scoring's final scores, learnt over the real broker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from awards.bootstrap import create_app as awards_app
from registry.bootstrap import create_app as registry_app
from thidua_shared.testing import ApiUnderTest, running_service, within

PROPOSAL = {"proposal_id": "p-1", "unit_id": "u", "year": 2023, "award_code": "PROV_FLAG"}


@pytest.fixture
async def awards(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    """Awards, after the registry of the same province registered unit ``u``."""
    async with running_service(awards_app, tmp_path / "awards", kafka_bootstrap) as awards:
        async with running_service(registry_app, tmp_path / "registry", kafka_bootstrap,
                                   awards.province) as registry:
            async with registry.client(await registry.token("admin")) as http:
                registered = await http.post(f"{registry.base}/units", json={"unit_id": "u", "name": "Đơn vị U"})
                assert registered.status_code == 201

            async def awards_knows_the_unit() -> bool:
                async with awards.client(await awards.token("auditor")) as http:
                    return bool((await http.get(f"{awards.base}/units")).json())

            await within(60, awards_knows_the_unit)
        yield awards


async def test_a_bloc_proposal_without_the_units_final_score_is_refused(awards: ApiUnderTest) -> None:
    admin = await awards.token("admin")
    async with awards.client(admin) as http:
        answer = await http.post(f"{awards.base}/proposals", json={**PROPOSAL, "bloc_id": "b"})
        board = await http.get(f"{awards.base}/proposals")
    assert answer.status_code == 409
    assert "chưa có điểm tổng kết" in answer.json()["message"]
    assert board.json()["proposals"] == [], "nothing half written"


async def test_a_province_proposal_is_recorded_with_the_rule_version_and_shown_on_the_board(
    awards: ApiUnderTest,
) -> None:
    admin = await awards.token("admin")
    direct = {**PROPOSAL, "award_code": "ADVANCED_COLLECTIVE"}
    async with awards.client(admin, language="en") as http:
        flag = await http.post(f"{awards.base}/proposals", json={**PROPOSAL, "proposal_id": "p-flag"})
        unrated = await http.post(f"{awards.base}/proposals", json=direct)
        rated = await http.put(f"{awards.base}/units/u/years/2023/quality-rating",
                               json={"rating": "good", "ref": "QĐ 5/QĐ-UBND", "rated_on": "2024-01-10"})
        titles = await http.post(f"{awards.base}/units/u/years/2023/attestations",
                                 json={"fact": "member_titles", "ref": "QĐ 2/QĐ-SNV", "attested_on": "2024-01-08"})
        standing = await http.get(f"{awards.base}/units/u/years/2023/standing")
        first = await http.post(f"{awards.base}/proposals", json=direct)
        again = await http.post(f"{awards.base}/proposals", json=direct)
        board = await http.get(f"{awards.base}/proposals")
    assert flag.status_code == 409, "a flag needs the bloc's ranking and honouring vote"
    assert "Unit Đơn vị U is not eligible for Cờ thi đua của UBND tỉnh of 2023" in flag.json()["message"], \
        "a refusal names the unit and the form as people call them"
    assert (flag.json()["details"]["unit_id"], flag.json()["details"]["award_code"]) == ("u", "PROV_FLAG"), \
        "the details keep the ids for programs"
    assert "a closed honouring vote is needed" in flag.json()["message"]
    assert {problem["rule"] for problem in flag.json()["details"]["problems"]} == {
        "leads_bloc", "honoured_by_vote", "exceeded_targets", "attested"}
    assert unrated.status_code == 409
    assert "The province records each unit's yearly rating" in unrated.json()["message"]
    assert "the members' individual emulation titles" in unrated.json()["message"], \
        "a standard resting on individual titles says so"
    assert (rated.status_code, titles.status_code) == (201, 201)
    assert (standing.json()["rating"], standing.json()["attested"]["member_titles"]["ref"]) == ("good", "QĐ 2/QĐ-SNV")
    assert [change["event"] for change in standing.json()["history"]] == ["QualityRatingRecorded", "StandardAttested"]
    assert first.status_code == 201
    assert first.json()["events"][0]["event_type"] == "AwardProposed"
    assert again.status_code == 409
    [row] = board.json()["proposals"]
    assert (row["unit_id"], row["award_code"], row["state"], row["rule_version"]) == (
        "u", "ADVANCED_COLLECTIVE", "proposed", "VN-152-2025")
    assert board.json()["by_state"] == {"proposed": 1}
