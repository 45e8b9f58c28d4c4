"""The awards HTTP API on a real database and broker: the errors a user gets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from awards.bootstrap import create_app
from thidua_shared.testing import ApiUnderTest, running_service

PROPOSAL = {"proposal_id": "p-1", "unit_id": "u", "year": 2023, "award_code": "PROV_FLAG"}


@pytest.fixture
async def awards(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    async with running_service(create_app, tmp_path, kafka_bootstrap) as service:
        yield service


async def test_an_unknown_award_form_is_refused_with_the_forms_there_are(awards: ApiUnderTest) -> None:
    admin = await awards.token("admin")
    async with awards.client(admin, language="en") as http:
        answer = await http.post(f"{awards.base}/proposals", json={**PROPOSAL, "award_code": "GOLD_STAR"})
    assert answer.status_code == 422
    assert "There is no award form GOLD_STAR" in answer.json()["message"]
    assert "GOV_FLAG" in answer.json()["message"]


async def test_a_bloc_proposal_without_a_final_score_is_refused(awards: ApiUnderTest) -> None:
    admin = await awards.token("admin")
    async with awards.client(admin) as http:
        answer = await http.post(f"{awards.base}/proposals", json={**PROPOSAL, "bloc_id": "b"})
        board = await http.get(f"{awards.base}/proposals")
    assert answer.status_code == 409
    assert "chưa có điểm tổng kết" in answer.json()["message"]
    assert board.json() == []


async def test_a_province_proposal_is_recorded_with_the_rule_version_and_shown_on_the_board(
    awards: ApiUnderTest,
) -> None:
    admin = await awards.token("admin")
    async with awards.client(admin) as http:
        first = await http.post(f"{awards.base}/proposals", json=PROPOSAL)
        again = await http.post(f"{awards.base}/proposals", json=PROPOSAL)
        board = await http.get(f"{awards.base}/proposals")
    assert first.status_code == 201
    assert first.json()["events"][0]["event_type"] == "AwardProposed"
    assert again.status_code == 409
    [row] = board.json()
    assert (row["unit_id"], row["award_code"], row["state"], row["rule_version"]) == (
        "u", "PROV_FLAG", "proposed", "VN-152-2025")


async def test_a_bloc_secretary_proposes_only_for_its_own_bloc(awards: ApiUnderTest) -> None:
    secretary = await awards.token("bloc_secretary", bloc_id="b")
    async with awards.client(secretary) as http:
        answer = await http.post(f"{awards.base}/proposals", json={**PROPOSAL, "bloc_id": "other"})
    assert answer.status_code == 403
