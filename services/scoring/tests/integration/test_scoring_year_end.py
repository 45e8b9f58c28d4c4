"""Issue 11, items 4 and 8 over HTTP, on the real broker and each database, with membership learnt from the
registry: target results feeding a criterion, self-assessments verified by the chair's team, classification
bands, a tie shown as one then resolved by the bloc, and the refusal of what the registry does not know."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.clock import province_today
from thidua_shared.config import ServiceSettings
from thidua_shared.testing import ApiUnderTest, database_url_for, running_service, within

TODAY = province_today()
WINDOW = {"opens_on": (TODAY - timedelta(days=1)).isoformat(), "closes_on": (TODAY + timedelta(days=1)).isoformat()}
TABLE = {
    "method": "verified_self",
    "criteria": [
        {"code": "C1", "group": "Nhiệm vụ chính trị", "title": "Hoàn thành nhiệm vụ", "max_points": 60},
        {"code": "B1", "group": "Điểm thưởng", "title": "Sáng kiến", "max_points": 10, "kind": "bonus"},
        {"code": "CT", "group": "Chỉ tiêu", "title": "Thực hiện chỉ tiêu đăng ký", "max_points": 30,
         "source": "targets"},
    ],
    "bands": [{"name": "Hoàn thành tốt", "min_points": 70}, {"name": "Hoàn thành xuất sắc", "min_points": 90},
              {"name": "Hoàn thành", "min_points": 50}],
}
TARGETS = {
    "a": [{"code": "T1", "text": "Thu ngân sách vượt kế hoạch", "measure": "tỷ đồng"},
          {"code": "T2", "text": "Không có cán bộ vi phạm kỷ luật"}],
    "b": [{"code": "T1", "text": "Hoàn thành 100% nhiệm vụ được giao", "measure": "%"}],
    "c": [{"code": f"T{k}", "text": f"Chỉ tiêu {k}"} for k in (1, 2, 3)],
}
RESULTS = {
    "a": [{"code": "T1", "attained": True, "achieved": 1200, "planned": 1000}, {"code": "T2", "attained": True}],
    "b": [{"code": "T1", "attained": True, "achieved": 100, "planned": 100}],
    "c": [{"code": "T1", "attained": True}, {"code": "T2", "attained": False}, {"code": "T3", "attained": False}],
}
SELF = {"a": {"C1": 55, "B1": 5}, "b": {"C1": 45, "B1": 5}, "c": {"C1": 60, "B1": 10}}
# a: 55 + 5 + 30 = 90 (all targets attained); b: 45 + 5 + 30 = 80; c: 60 + 10 + 30 × 1/3 = 80, tied with b


@dataclass
class Bloc:
    scoring: ApiUnderTest
    base: str
    secretary: str


async def _registry_with_bloc_k(registry: ApiUnderTest, members: tuple[str, ...]) -> None:
    """Bloc k with ``members`` since 2022, and unit z, known to the registry but in no bloc."""
    async with registry.client(await registry.token("admin")) as http:
        await http.post(f"{registry.base}/blocs", json={"bloc_id": "k", "name": "Khối Đảng", "kind": "khoi",
                                                        "decision_ref": "1"})
        for unit_id in (*members, "z"):
            await http.post(f"{registry.base}/units", json={"unit_id": unit_id, "name": f"Đơn vị {unit_id}"})
        for unit_id in members:
            await http.post(f"{registry.base}/blocs/k/members", json={
                "unit_id": unit_id, "effective_on": "2022-01-01", "decision_ref": "2"})


async def _knows(scoring: ApiUnderTest, base: str, members: int) -> None:
    auditor = await scoring.token("auditor")

    async def scoring_knows_the_members() -> bool:
        async with scoring.client(auditor) as http:
            return len((await http.get(f"{base}/scoreboard")).json()["members"]) == members

    await within(60, scoring_knows_the_members)


@pytest.fixture(params=["sqlite", "postgres"])
async def bloc(request: pytest.FixtureRequest, tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[Bloc]:
    """Scoring on each database, after the registry put units a, b and c in bloc k."""
    with database_url_for(request.param, tmp_path) as url:
        async with running_service(registry_app, tmp_path / "registry", kafka_bootstrap) as registry:
            settings = ServiceSettings(data_dir=tmp_path / "scoring", provinces=registry.province, database_url=url,
                                       kafka_bootstrap_servers=kafka_bootstrap)
            app = scoring_app(settings)
            async with app.router.lifespan_context(app):
                scoring = ApiUnderTest(app, settings)
                await _registry_with_bloc_k(registry, ("a", "b", "c"))
                base = f"{scoring.base}/blocs/k/years/2025"
                await _knows(scoring, base, 3)
                yield Bloc(scoring, base, await scoring.token("bloc_secretary", bloc_id="k"))


async def test_a_year_end_from_target_results_to_a_tie_the_bloc_resolved(bloc: Bloc) -> None:
    scoring, base = bloc.scoring, bloc.base
    async with scoring.client(bloc.secretary, language="en") as http:
        assert (await http.post(f"{base}/table", json=TABLE)).status_code == 201
        assert (await http.post(f"{base}/window", json=WINDOW)).status_code == 201
    for unit_id in ("a", "b", "c"):
        async with scoring.client(await scoring.token("unit_officer", unit_id=unit_id), language="en") as http:
            assert (await http.post(f"{base}/targets", json={"unit_id": unit_id, "targets": TARGETS[unit_id]})
                    ).status_code == 201
            recorded = await http.post(f"{base}/target-results", json={"unit_id": unit_id,
                                                                       "results": RESULTS[unit_id]})
            assert recorded.status_code == 201, recorded.text
            scored_by_targets = await http.post(f"{base}/self-assessments", json={
                "unit_id": unit_id, "scores": {**SELF[unit_id], "CT": 30}})
            assert scored_by_targets.status_code == 422
            assert "Criteria CT take their points from the target results" in scored_by_targets.json()["message"]
            assert (await http.post(f"{base}/self-assessments", json={"unit_id": unit_id, "scores": SELF[unit_id]})
                    ).status_code == 201
            if unit_id == "a":
                by_unit = await http.post(f"{base}/verifications", json={"unit_id": "a", "verified_by": "a"})
                assert by_unit.status_code == 403, "the chair's team verifies, not the unit"

    async with scoring.client(bloc.secretary, language="en") as http:
        early = await http.post(f"{base}/finals")
        assert early.status_code == 409
        assert "units a, b, c are not verified by the chair's team" in early.json()["message"]
        for unit_id in ("a", "b", "c"):
            verified = await http.post(f"{base}/verifications", json={
                "unit_id": unit_id, "verified_by": "Tổ thẩm định của Ủy ban Kiểm tra", "notes": "Đủ minh chứng"})
            assert verified.status_code == 201, verified.text
        assert (await http.post(f"{base}/finals")).status_code == 201
        assert (await http.post(f"{base}/ranking")).status_code == 201
        tied = (await http.get(f"{base}/scoreboard")).json()
        resolved = await http.post(f"{base}/tie-resolutions", json={
            "order": ["c", "b"], "ground": "decision", "reference": "05/QĐ-KTĐ", "notes": "Hội nghị tổng kết khối",
            "resolved_on": TODAY.isoformat()})
        assert resolved.status_code == 201, resolved.text
        board = (await http.get(f"{base}/scoreboard")).json()
        history = (await http.get(f"{base}/history")).json()
        exported = await http.get(f"{base}/export")
        unit_c = (await http.get(f"{scoring.base}/units/c/scores")).json()

    assert [(e["unit_id"], e["rank"], e["tied"], e["band"]) for e in tied["ranking"]["ranking"]] == [
        ("a", 1, False, "Hoàn thành xuất sắc"), ("b", 2, True, "Hoàn thành tốt"), ("c", 2, True, "Hoàn thành tốt")]
    assert [(e["unit_id"], e["rank"], e["tied"]) for e in board["ranking"]["ranking"]] == [
        ("a", 1, False), ("c", 2, True), ("b", 3, True)]
    assert board["ranking"]["version"] == 2
    assert board["ranking"]["resolved_ties"] == [{"total": 80.0, "order": ["c", "b"], "ground": "decision",
                                                  "reference": "05/QĐ-KTĐ"}]
    assert board["tie_resolutions"] == [{"total": 80.0, "order": ["c", "b"], "ground": "decision",
                                         "reference": "05/QĐ-KTĐ", "resolved_on": TODAY.isoformat(),
                                         "notes": "Hội nghị tổng kết khối"}]
    assert {s["unit_id"]: (s["total"], s["breakdown"]["CT"], s["band"], s["tied"]) for s in board["scores"]} == {
        "a": (90.0, 30.0, "Hoàn thành xuất sắc", False), "b": (80.0, 30.0, "Hoàn thành tốt", True),
        "c": (80.0, 10.0, "Hoàn thành tốt", True)}
    assert [band["name"] for band in board["table"]["bands"]] == ["Hoàn thành xuất sắc", "Hoàn thành tốt",
                                                                  "Hoàn thành"]
    assert board["target_results"]["a"] == {"recorded_on": TODAY.isoformat(), "results": [
        {"code": "T1", "attained": True, "achieved": 1200.0, "planned": 1000.0, "percent": 120.0},
        {"code": "T2", "attained": True, "achieved": None, "planned": None, "percent": None}]}
    assert board["self_assessments"]["b"]["verified_by"] == "Tổ thẩm định của Ủy ban Kiểm tra"
    assert board["self_assessments"]["b"]["verified_on"] == TODAY.isoformat()
    assert board["missing"]["target_results"] == board["missing"]["verifications"] == []
    types = [event["event_type"] for event in history]
    assert types.count("TargetResultsRecorded") == types.count("SelfAssessmentVerified") == 3
    assert types[-2:] == ["RankingTieResolved", "RankingPublished"]
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [row[:5] for row in rows] == [["Rank", "Unit", "Name", "Total", "Band"],
                                         ["1", "a", "Đơn vị a", "90.0", "Hoàn thành xuất sắc"],
                                         ["2", "c", "Đơn vị c", "80.0", "Hoàn thành tốt"],
                                         ["3", "b", "Đơn vị b", "80.0", "Hoàn thành tốt"]]
    assert [(y["year"], y["rank"], y["band"]) for y in unit_c["years"]] == [(2025, 2, "Hoàn thành tốt")]


async def test_a_resubmitted_self_assessment_is_verified_again_and_the_scoreboard_says_whose_are_waiting(
    bloc: Bloc,
) -> None:
    scoring, base = bloc.scoring, bloc.base
    async with scoring.client(bloc.secretary, language="en") as http:
        await http.post(f"{base}/table", json={**TABLE, "criteria": TABLE["criteria"][:2]})
        await http.post(f"{base}/window", json=WINDOW)
        await http.post(f"{base}/self-assessments", json={"unit_id": "a", "scores": SELF["a"]})
        await http.post(f"{base}/verifications", json={"unit_id": "a", "verified_by": "Tổ thẩm định"})
        twice = await http.post(f"{base}/verifications", json={"unit_id": "a", "verified_by": "Tổ thẩm định"})
        await http.post(f"{base}/self-assessments", json={"unit_id": "a", "scores": {"C1": 56, "B1": 5}})
        await http.post(f"{base}/self-assessments", json={"unit_id": "b", "scores": SELF["b"]})
        board = (await http.get(f"{base}/scoreboard")).json()
    assert twice.status_code == 409
    assert "latest self-assessment was verified on" in twice.json()["message"]
    assert board["self_assessments"]["a"]["verified_on"] is None, "the new submission is not verified yet"
    assert board["missing"]["verifications"] == ["a", "b"]
    assert board["missing"]["self"] == ["c"]


async def test_scoring_refuses_what_the_registry_does_not_know_and_says_what_to_fix(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    async with running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap) as scoring, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, scoring.province) as registry:
        await _registry_with_bloc_k(registry, ("a", "b"))
        base = f"{scoring.base}/blocs/k/years/2025"
        await _knows(scoring, base, 2)
        async with scoring.client(await scoring.token("admin"), language="en") as http:
            unknown_bloc = await http.post(f"{scoring.base}/blocs/khoi-x/years/2025/window", json=WINDOW)
            before_the_bloc = await http.post(f"{scoring.base}/blocs/k/years/2021/table", json=TABLE)
            unknown_unit = await http.post(f"{base}/scores", json={"unit_id": "nobody", "breakdown": {"C1": 5}})
            input_first = await http.post(f"{base}/scores", json={"unit_id": "nobody", "breakdown": {}})
            outside = await http.post(f"{base}/scores", json={"unit_id": "z", "breakdown": {"C1": 5}})
        async with scoring.client(await scoring.token("admin")) as http:
            in_vietnamese = await http.post(f"{scoring.base}/blocs/k/years/2021/finals")
    assert (unknown_bloc.status_code, unknown_bloc.json()["error"]) == (404, "registry.unknown_bloc")
    assert "establish it in the registry first" in unknown_bloc.json()["message"]
    assert (before_the_bloc.status_code, before_the_bloc.json()["error"]) == (404, "registry.unknown_year")
    assert "no member unit in bloc k during 2021. Check the year" in before_the_bloc.json()["message"]
    assert (unknown_unit.status_code, unknown_unit.json()["error"]) == (422, "registry.unknown_unit")
    assert "The registry has no unit nobody. Check the unit's code" in unknown_unit.json()["message"]
    assert (input_first.status_code, input_first.json()["error"]) == (422, "score.empty_breakdown")
    assert (outside.status_code, outside.json()["error"]) == (409, "score.not_member")
    assert "khối k không có đơn vị thành viên nào trong năm 2021" in in_vietnamese.json()["message"]


async def test_the_trimmed_mean_sets_aside_the_extremes_over_http(tmp_path: Path, kafka_bootstrap: str) -> None:
    async with running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap) as scoring, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, scoring.province) as registry:
        await _registry_with_bloc_k(registry, ("a", "b", "c", "d"))
        base = f"{scoring.base}/blocs/k/years/2025"
        await _knows(scoring, base, 4)
        async with scoring.client(await scoring.token("bloc_secretary", bloc_id="k")) as http:
            table = {"method": "trimmed_mean", "criteria": [TABLE["criteria"][0]]}
            assert (await http.post(f"{base}/table", json=table)).status_code == 201
            await http.post(f"{base}/window", json=WINDOW)
            given = {"a": (20, 50, 52), "b": (40, 44, 48), "c": (30, 30, 60), "d": (10, 59, 60)}
            for unit_id, received in given.items():
                assessors = [other for other in ("a", "b", "c", "d") if other != unit_id]
                for assessor, c1 in zip(assessors, received, strict=True):
                    sent = await http.post(f"{base}/cross-assessments", json={
                        "assessor_unit_id": assessor, "unit_id": unit_id, "scores": {"C1": c1}})
                    assert sent.status_code == 201, sent.text
            assert (await http.post(f"{base}/finals")).status_code == 201
            board = (await http.get(f"{base}/scoreboard")).json()
    assert {s["unit_id"]: (s["total"], s["method"]) for s in board["scores"]} == {
        "a": (50.0, "trimmed_mean"), "b": (44.0, "trimmed_mean"), "c": (30.0, "trimmed_mean"),
        "d": (59.0, "trimmed_mean")}
    assert board["table"]["method"] == "trimmed_mean"
