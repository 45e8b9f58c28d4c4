"""Awards' reads take bounded years, days and identifiers: an attacker's values get a 422 that names the
field, never a server error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from awards.bootstrap import create_app
from thidua_shared.testing import ApiUnderTest, running_service


@pytest.fixture
async def awards(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    async with running_service(create_app, tmp_path, kafka_bootstrap) as service:
        yield service


@pytest.mark.parametrize(("path", "words"), [
    ("/eligibility?unit_id=u&year=100000000000000000000&award_code=PROV_FLAG", "year: must be 2100 or less"),
    ("/blocs/b/years/10000/candidates?award_code=PROV_FLAG", "year: must be 2100 or less"),
    ("/proposals?year=100000000000000000000", "year: must be 2100 or less"),
    ("/proposals?year=1944", "year: must be 1945 or more"),
    ("/rulebooks?on=0001-01-01", "on: must be 1945-01-01 or more"),
    ("/proposals/%00x", "proposal_id: does not match"),
])
async def test_an_unbounded_value_is_refused_with_the_field_to_fix(awards: ApiUnderTest, path: str,
                                                                   words: str) -> None:
    async with awards.client(await awards.token("admin"), language="en") as http:
        answer = await http.get(f"{awards.base}{path}")
    assert answer.status_code == 422, answer.text
    assert words in answer.json()["message"]


async def test_a_council_vote_with_counts_in_quotes_is_refused(awards: ApiUnderTest) -> None:
    async with awards.client(await awards.token("admin")) as http:
        answer = await http.post(f"{awards.base}/proposals/p-1/council-votes", json={
            "members": "12", "present": 11, "approve": 10, "reject": True, "held_on": "2025-01-10"})
    assert answer.status_code == 422
    assert "members: phải là số nguyên JSON (không đặt trong ngoặc kép)" in answer.json()["message"]
    assert "reject: phải là số nguyên JSON" in answer.json()["message"]
