"""Honouring votes (suy tôn): secret ballots of a bloc's members, over the registry's membership."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from awards.bootstrap import create_app as awards_app
from registry.bootstrap import create_app as registry_app
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events
from thidua_shared.testing import ApiUnderTest, running_service, within

UNITS = ("a", "b", "c", "d", "e")


@pytest.fixture
async def awards(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    """Awards, after the registry put units a..e in bloc k since 2024."""
    async with running_service(awards_app, tmp_path / "awards", kafka_bootstrap) as awards, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, awards.province) as registry:
        async with registry.client(await registry.token("admin")) as http:
            await http.post(f"{registry.base}/blocs", json={"bloc_id": "k", "name": "Khối", "kind": "khoi",
                                                            "decision_ref": "1"})
            for unit_id in UNITS:
                await http.post(f"{registry.base}/units", json={"unit_id": unit_id, "name": unit_id.upper()})
                await http.post(f"{registry.base}/blocs/k/members", json={
                    "unit_id": unit_id, "effective_on": "2024-01-01", "decision_ref": "2"})
        secretary = await awards.token("bloc_secretary", bloc_id="k")

        async def members_known() -> bool:
            async with awards.client(secretary) as http:
                opened = await http.post(f"{awards.base}/votes", json={
                    "vote_id": "probe", "bloc_id": "k", "year": 2025, "award_code": "PROV_MERIT",
                    "candidates": list(UNITS)})
            return opened.status_code == 201

        await within(60, members_known)
        yield awards


async def _ballot(awards: ApiUnderTest, voter: str, choices: list[str], vote_id: str = "v1") -> int:
    async with awards.client(await awards.token("unit_officer", unit_id=voter), language="en") as http:
        answer = await http.post(f"{awards.base}/votes/{vote_id}/ballots",
                                 json={"voter_unit_id": voter, "choices": choices})
    return answer.status_code


async def test_members_vote_in_secret_and_the_tally_names_the_honoured(awards: ApiUnderTest) -> None:
    secretary = await awards.token("bloc_secretary", bloc_id="k")
    async with awards.client(secretary, language="en") as http:
        opened = await http.post(f"{awards.base}/votes", json={
            "vote_id": "v1", "bloc_id": "k", "year": 2025, "award_code": "PROV_MERIT",
            "candidates": ["a", "b"], "threshold": 0.6, "places": 1})
        early = await http.post(f"{awards.base}/votes/v1/closing")
    assert opened.status_code == 201
    assert early.status_code == 409
    assert "No quorum: 0 of 5 members voted" in early.json()["message"]

    assert await _ballot(awards, "a", ["b"]) == 201
    assert await _ballot(awards, "b", ["a", "b"]) == 201
    assert await _ballot(awards, "c", ["b"]) == 201
    assert await _ballot(awards, "c", ["a"]) == 409, "one ballot per unit"
    assert await _ballot(awards, "d", ["z"]) == 422, "only candidates can be chosen"
    async with awards.client(await awards.token("unit_officer", unit_id="d"), language="en") as http:
        for_other = await http.post(f"{awards.base}/votes/v1/ballots", json={"voter_unit_id": "e", "choices": []})
    assert for_other.status_code == 403
    async with awards.client(secretary, language="en") as http:
        still_open = (await http.get(f"{awards.base}/votes", params={"bloc_id": "k", "state": "open"})).json()
        closed = await http.post(f"{awards.base}/votes/v1/closing")
        vote = (await http.get(f"{awards.base}/votes/v1")).json()
        listed = (await http.get(f"{awards.base}/votes", params={"bloc_id": "k", "year": 2025})).json()
        open_now = (await http.get(f"{awards.base}/votes", params={"bloc_id": "k", "state": "open"})).json()
        late = await _ballot(awards, "d", ["a"])
    assert "v1" in [each["vote_id"] for each in still_open]
    assert [each for each in listed if each["vote_id"] == "v1"] == [vote], "listed as it is read alone"
    assert "v1" not in [each["vote_id"] for each in open_now], "closed, it is no longer among the open votes"
    assert closed.status_code == 201
    assert vote["state"] == "closed"
    assert vote["voters"] == ["a", "b", "c"]
    assert vote["results"] == [{"unit_id": "b", "votes_for": 2}, {"unit_id": "a", "votes_for": 0}]
    assert (vote["places"], vote["invalid_ballots"]) == (1, 1), "b's ballot named two units for one place"
    assert vote["honoured"] == [], "2 of 5 members do not reach the 0.6 threshold"
    assert late == 409

    engine = create_engine(awards.settings.database_for("awards"))
    try:
        async with engine.connect() as connection:
            bodies = [json.loads(body) for body in (await connection.execute(select(events.c.body))).scalars()]
    finally:
        await engine.dispose()
    cast = [body["payload"] for body in bodies if body["event_type"] == "BallotCast"]
    assert len(cast) == 3
    assert all(set(payload) == {"vote_id", "voter_unit_id"} for payload in cast), "the log says who voted, never what"


async def test_candidates_must_be_members_and_voters_too(awards: ApiUnderTest) -> None:
    secretary = await awards.token("bloc_secretary", bloc_id="k")
    async with awards.client(secretary, language="en") as http:
        outsider = await http.post(f"{awards.base}/votes", json={
            "vote_id": "v2", "bloc_id": "k", "year": 2025, "award_code": "PROV_MERIT", "candidates": ["zz"]})
        other_bloc = await http.post(f"{awards.base}/votes", json={
            "vote_id": "v3", "bloc_id": "other", "year": 2025, "award_code": "PROV_MERIT", "candidates": ["a"]})
    assert outsider.status_code == 409
    assert "Units zz are not members of bloc Khối" in outsider.json()["message"], "the bloc by its name"
    assert other_bloc.status_code == 403
    assert await _ballot(awards, "zz", [], vote_id="probe") == 409
