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
    assert "Cờ thi đua của Chính phủ" in answer.json()["message"], "the forms there are, by their names"
    assert "GOV_FLAG" in answer.json()["details"]["forms"], "and by their codes for programs"


async def test_a_proposal_for_a_unit_the_registry_never_registered_is_refused(awards: ApiUnderTest) -> None:
    admin = await awards.token("admin")
    async with awards.client(admin, language="en") as http:
        answer = await http.post(f"{awards.base}/proposals", json=PROPOSAL)
    assert answer.status_code == 404
    assert "Unit u is not among the province's registered units" in answer.json()["message"]


async def test_a_bloc_secretary_proposes_only_for_its_own_bloc(awards: ApiUnderTest) -> None:
    secretary = await awards.token("bloc_secretary", bloc_id="b")
    async with awards.client(secretary) as http:
        answer = await http.post(f"{awards.base}/proposals", json={**PROPOSAL, "bloc_id": "other"})
    assert answer.status_code == 403
