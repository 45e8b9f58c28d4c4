"""A unit officer's connection drops after scoring committed: retrying with the same Idempotency-Key
records the assessment once, on SQLite and PostgreSQL, with membership learnt from the registry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.clock import province_today
from thidua_shared.config import ServiceSettings
from thidua_shared.testing import ApiUnderTest, database_url_for, running_service, within

TODAY = province_today()
SCORES = {"unit_id": "a", "scores": {"C1": 50, "C2": 25}}


@dataclass
class Bloc:
    scoring: ApiUnderTest
    base: str


@pytest.fixture(params=["sqlite", "postgres"])
async def bloc(request: pytest.FixtureRequest, tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[Bloc]:
    """Scoring on each database; units a and b in bloc k (told by the registry); scoring open today."""
    with database_url_for(request.param, tmp_path) as url:
        async with running_service(registry_app, tmp_path / "registry", kafka_bootstrap) as registry:
            settings = ServiceSettings(data_dir=tmp_path / "scoring", provinces=registry.province, database_url=url,
                                       kafka_bootstrap_servers=kafka_bootstrap)
            app = scoring_app(settings)
            async with app.router.lifespan_context(app):
                scoring = ApiUnderTest(app, settings)
                async with registry.client(await registry.token("admin")) as http:
                    await http.post(f"{registry.base}/blocs", json={"bloc_id": "k", "name": "Khối", "kind": "khoi",
                                                                    "decision_ref": "1"})
                    for unit_id in ("a", "b"):
                        await http.post(f"{registry.base}/units", json={"unit_id": unit_id, "name": unit_id})
                        await http.post(f"{registry.base}/blocs/k/members", json={
                            "unit_id": unit_id, "effective_on": "2022-01-01", "decision_ref": "2"})
                base = f"{scoring.base}/blocs/k/years/2025"
                async with scoring.client(await scoring.token("admin")) as http:
                    async def members_known() -> bool:
                        return len((await http.get(f"{base}/scoreboard")).json()["members"]) == 2

                    await within(60, members_known)
                    await http.post(f"{base}/table", json={"criteria": [
                        {"code": "C1", "group": "Nhiệm vụ", "title": "Hoàn thành", "max_points": 60},
                        {"code": "C2", "group": "Đảng", "title": "Công tác Đảng", "max_points": 40}]})
                    window = await http.post(f"{base}/window", json={
                        "opens_on": (TODAY - timedelta(days=1)).isoformat(),
                        "closes_on": (TODAY + timedelta(days=1)).isoformat()})
                    assert window.status_code == 201, window.text
                yield Bloc(scoring, base)


class CutOffAfterCommit:
    """The service answers, but the first answer to a POST never reaches the caller: the connection drops."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cut = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and not self.cut:
            self.cut += 1

            async def lost(_message: Message) -> None:
                return None

            await self.app(scope, receive, lost)
            raise httpx.RemoteProtocolError("the server disconnected without sending a response")
        await self.app(scope, receive, send)


def cut_client(service: ApiUnderTest, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=CutOffAfterCommit(service.app)),
                             base_url="http://test", headers={"Authorization": f"Bearer {token}"})


async def test_a_self_assessment_retried_after_a_cut_off_is_recorded_once(bloc: Bloc) -> None:
    officer = await bloc.scoring.token("unit_officer", unit_id="a")
    async with cut_client(bloc.scoring, officer) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post(f"{bloc.base}/self-assessments", json=SCORES, headers={"Idempotency-Key": "self-a-1"})
        retried = await http.post(f"{bloc.base}/self-assessments", json=SCORES,
                                  headers={"Idempotency-Key": "self-a-1"})
        history = (await http.get(f"{bloc.base}/history")).json()

    assert retried.status_code == 201, retried.text
    assert retried.headers["Idempotent-Replayed"] == "true"
    submitted = [event for event in history if event["event_type"] == "SelfAssessmentSubmitted"]
    assert len(submitted) == 1, "the retry did not record the assessment a second time"
    assert [event["position"] for event in retried.json()["events"]] == [submitted[0]["position"]]


async def test_an_evidence_upload_retried_after_a_cut_off_answers_as_the_first_time(bloc: Bloc) -> None:
    officer = await bloc.scoring.token("unit_officer", unit_id="a")
    report = "Báo cáo tổng kết 2025".encode()
    headers = {"Content-Type": "text/plain", "Idempotency-Key": "upload-1"}
    async with cut_client(bloc.scoring, officer) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post(f"{bloc.scoring.base}/evidence", content=report, headers=headers)
        retried = await http.post(f"{bloc.scoring.base}/evidence", content=report, headers=headers)
        another_file = await http.post(f"{bloc.scoring.base}/evidence", content=report + b"!", headers=headers)

    assert retried.status_code == 201, retried.text
    assert retried.json()["stored_before"] is False, "the answer the officer never saw: the file was new"
    assert another_file.status_code == 422
    assert another_file.json()["error"] == "idempotency.key_reused"
