"""A bloc-year's table, window and assessments over HTTP, with membership learnt from the registry."""

from __future__ import annotations

import hashlib
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.clock import province_today
from thidua_shared.testing import ApiUnderTest, running_service, within

CRITERIA = [
    {"code": "C1", "group": "Nhiệm vụ chính trị", "title": "Hoàn thành nhiệm vụ", "max_points": 60},
    {"code": "C2", "group": "Xây dựng Đảng", "title": "Công tác Đảng", "max_points": 30},
    {"code": "B1", "group": "Điểm thưởng", "title": "Sáng kiến", "max_points": 10, "kind": "bonus"},
]
TODAY = province_today()


@dataclass
class Bloc:
    scoring: ApiUnderTest
    secretary: str
    base: str


@pytest.fixture
async def bloc(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[Bloc]:
    """Scoring, after the registry of its province put units a, b, c in bloc k since 2022."""
    async with running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap) as scoring, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, scoring.province) as registry:
        async with registry.client(await registry.token("admin")) as http:
            await http.post(f"{registry.base}/blocs", json={"bloc_id": "k", "name": "Khối", "kind": "khoi",
                                                            "decision_ref": "1"})
            for unit_id in ("a", "b", "c"):
                await http.post(f"{registry.base}/units", json={"unit_id": unit_id, "name": f"Đơn vị {unit_id}"})
                await http.post(f"{registry.base}/blocs/k/members", json={
                    "unit_id": unit_id, "effective_on": "2022-01-01", "decision_ref": "2"})
        base = f"{scoring.base}/blocs/k/years/2025"

        async def members_known() -> bool:
            async with scoring.client(await scoring.token("auditor")) as http:
                return len((await http.get(f"{base}/scoreboard")).json()["members"]) == 3

        await within(60, members_known)
        yield Bloc(scoring, await scoring.token("bloc_secretary", bloc_id="k"), base)


async def _open(bloc: Bloc, opens_on: date = TODAY - timedelta(days=1),
                closes_on: date = TODAY + timedelta(days=1)) -> None:
    async with bloc.scoring.client(bloc.secretary) as http:
        assert (await http.post(f"{bloc.base}/table", json={"criteria": CRITERIA})).status_code == 201
        window = await http.post(f"{bloc.base}/window", json={"opens_on": opens_on.isoformat(),
                                                              "closes_on": closes_on.isoformat()})
        assert window.status_code == 201, window.text


async def test_a_self_assessment_needs_a_table_and_an_open_window(bloc: Bloc) -> None:
    officer = await bloc.scoring.token("unit_officer", unit_id="a")
    score = {"unit_id": "a", "scores": {"C1": 50, "C2": 25, "B1": 5}}
    async with bloc.scoring.client(officer, language="en") as http:
        no_table = await http.post(f"{bloc.base}/self-assessments", json=score)
    await _open(bloc, TODAY - timedelta(days=10), TODAY - timedelta(days=2))
    async with bloc.scoring.client(officer, language="en") as http:
        closed = await http.post(f"{bloc.base}/self-assessments", json=score)
    assert no_table.status_code == 409
    assert "has no scoring table for 2025" in no_table.json()["message"]
    assert closed.status_code == 409
    window = f"({TODAY - timedelta(days=10):%d/%m/%Y} to {TODAY - timedelta(days=2):%d/%m/%Y})"
    assert f"is outside the scoring window {window}" in closed.json()["message"]

    on_the_day = {**score, "submitted_on": (TODAY - timedelta(days=5)).isoformat()}
    async with bloc.scoring.client(officer, language="en") as http:
        backdated_by_unit = await http.post(f"{bloc.base}/self-assessments", json=on_the_day)
    async with bloc.scoring.client(await bloc.scoring.token("admin"), language="en") as http:
        recorded_by_staff = await http.post(f"{bloc.base}/self-assessments", json=on_the_day)
    assert backdated_by_unit.status_code == 409
    assert "Only the province's staff or the bloc's secretariat record a submission" in \
        backdated_by_unit.json()["message"]
    assert recorded_by_staff.status_code == 201, "a paper submission of the window's days, entered after it closed"


@pytest.mark.parametrize(("scores", "words"), [
    ({"C1": 61, "C2": 25, "B1": 5}, "Criterion C1: 61.0 points is outside 0 to 60.0"),
    ({"C1": 50, "C2": 25}, "Score these criteria too: B1"),
    ({"C1": 50, "C2": 25, "B1": 5, "X9": 1}, "The scoring table has no criteria: X9"),
])
async def test_a_self_assessment_scores_every_criterion_within_its_points(bloc: Bloc, scores: dict[str, float],
                                                                          words: str) -> None:
    await _open(bloc)
    officer = await bloc.scoring.token("unit_officer", unit_id="a")
    async with bloc.scoring.client(officer, language="en") as http:
        answer = await http.post(f"{bloc.base}/self-assessments", json={"unit_id": "a", "scores": scores})
    assert answer.status_code == 422
    assert words in answer.json()["message"]


async def test_units_assess_themselves_and_each_other_and_the_secretariat_sees_who_is_missing(bloc: Bloc) -> None:
    await _open(bloc)
    a = await bloc.scoring.token("unit_officer", unit_id="a")
    async with bloc.scoring.client(a, language="en") as http:
        first = await http.post(f"{bloc.base}/self-assessments", json={
            "unit_id": "a", "scores": {"C1": 50, "C2": 25, "B1": 5}, "evidence": ["https://hanam.gov.vn/bc-2025"]})
        second = await http.post(f"{bloc.base}/self-assessments", json={
            "unit_id": "a", "scores": {"C1": 55, "C2": 25, "B1": 5}})
        for_b = await http.post(f"{bloc.base}/self-assessments", json={
            "unit_id": "b", "scores": {"C1": 55, "C2": 25, "B1": 5}})
        itself = await http.post(f"{bloc.base}/cross-assessments", json={
            "assessor_unit_id": "a", "unit_id": "a", "scores": {"C1": 1, "C2": 1, "B1": 1}})
        outsider = await http.post(f"{bloc.base}/cross-assessments", json={
            "assessor_unit_id": "a", "unit_id": "z", "scores": {"C1": 1, "C2": 1, "B1": 1}})
        cross = await http.post(f"{bloc.base}/cross-assessments", json={
            "assessor_unit_id": "a", "unit_id": "b", "scores": {"C1": 40, "C2": 20, "B1": 0}, "comments": "Tốt"})
        board = (await http.get(f"{bloc.base}/scoreboard")).json()
    async with bloc.scoring.client(bloc.secretary, language="en") as http:
        amend = await http.post(f"{bloc.base}/table", json={"criteria": CRITERIA, "reason": "late"})

    assert (first.status_code, second.status_code) == (201, 201)
    assert for_b.status_code == 403, "a unit officer submits only for its own unit"
    assert itself.status_code == 422
    assert "cannot cross-assess itself" in itself.json()["message"]
    assert outsider.status_code == 422
    assert "The registry has no unit z" in outsider.json()["message"]
    assert cross.status_code == 201
    assert board["self_assessments"]["a"]["submissions"] == 2
    assert board["self_assessments"]["a"]["scores"]["C1"] == 55
    assert board["missing"]["self"] == ["b", "c"]
    assert {"assessor_unit_id": "a", "unit_id": "b"} not in board["missing"]["cross"]
    assert len(board["missing"]["cross"]) == 5
    assert amend.status_code == 409
    assert "can no longer change" in amend.json()["message"]


async def test_amending_a_table_before_scoring_needs_a_reason(bloc: Bloc) -> None:
    async with bloc.scoring.client(bloc.secretary, language="en") as http:
        await http.post(f"{bloc.base}/table", json={"criteria": CRITERIA})
        silent = await http.post(f"{bloc.base}/table", json={"criteria": CRITERIA[:2]})
        reasoned = await http.post(f"{bloc.base}/table", json={"criteria": CRITERIA[:2], "reason": "B1 dropped"})
        board = (await http.get(f"{bloc.base}/scoreboard")).json()
        other_bloc = await http.post(f"{bloc.scoring.base}/blocs/other/years/2025/table", json={"criteria": CRITERIA})
    assert silent.status_code == 422
    assert "needs a reason" in silent.json()["message"]
    assert reasoned.status_code == 201
    assert board["table"]["table_version"] == 2
    assert [c["code"] for c in board["table"]["criteria"]] == ["C1", "C2"]
    assert other_bloc.status_code == 403


CROSS = {  # (assessor, assessed): C1, C2, B1 — hand-computed means below
    ("a", "b"): (50, 20, 4), ("c", "b"): (54, 26, 6),   # b: 52, 23, 5 -> 80
    ("b", "a"): (58, 28, 8), ("c", "a"): (56, 26, 6),   # a: 57, 27, 7 -> 91
    ("a", "c"): (60, 25, 0), ("b", "c"): (54, 21, 10),  # c: 57, 23, 5 -> 85
}


async def test_final_scores_are_the_mean_of_the_cross_assessments_and_the_ranking_locks_the_year(
    bloc: Bloc,
) -> None:
    await _open(bloc)
    admin = await bloc.scoring.token("admin")
    async with bloc.scoring.client(bloc.secretary, language="en") as http:
        early = await http.post(f"{bloc.base}/finals")
        for (assessor, assessed), (c1, c2, b1) in CROSS.items():
            sent = await http.post(f"{bloc.base}/cross-assessments", json={
                "assessor_unit_id": assessor, "unit_id": assessed, "scores": {"C1": c1, "C2": c2, "B1": b1}})
            assert sent.status_code == 201, sent.text
        finals = await http.post(f"{bloc.base}/finals")
        published = await http.post(f"{bloc.base}/ranking")
        locked = await http.post(f"{bloc.base}/adjustments", json={
            "unit_id": "b", "code": "C1", "to_points": 60, "reason": "late evidence"})
        board = (await http.get(f"{bloc.base}/scoreboard")).json()
    assert early.status_code == 409
    assert "units a, b, c are not assessed (mean_of_cross)" in early.json()["message"]
    assert finals.status_code == 201
    assert published.status_code == 201
    assert [(r["unit_id"], r["rank"], r["total"]) for r in board["ranking"]["ranking"]] == [
        ("a", 1, 91.0), ("c", 2, 85.0), ("b", 3, 80.0)]
    assert board["ranking"]["locked"] is True
    assert locked.status_code == 409
    assert "is published (version 1) and locked" in locked.json()["message"]

    async with bloc.scoring.client(admin, language="en") as http:
        corrected = await http.post(f"{bloc.base}/corrections", json={"reason": "b's evidence arrived late"})
    async with bloc.scoring.client(bloc.secretary, language="en") as http:
        adjusted = await http.post(f"{bloc.base}/adjustments", json={
            "unit_id": "b", "code": "C1", "to_points": 60, "reason": "late evidence accepted"})
        await http.post(f"{bloc.base}/finals")
        republished = await http.post(f"{bloc.base}/ranking")
        board = (await http.get(f"{bloc.base}/scoreboard")).json()
        history = (await http.get(f"{bloc.base}/history")).json()
    assert corrected.status_code == adjusted.status_code == republished.status_code == 201
    assert [(r["unit_id"], r["total"]) for r in board["ranking"]["ranking"]] == [("a", 91.0), ("b", 88.0), ("c", 85.0)]
    assert (board["ranking"]["version"], board["ranking"]["reason"]) == (2, "b's evidence arrived late")
    adjustment = next(e for e in history if e["event_type"] == "ScoreAdjusted")
    assert adjustment["payload"] == {"bloc_id": "k", "year": 2025, "unit_id": "b", "code": "C1",
                                     "from_points": 52.0, "to_points": 60.0, "reason": "late evidence accepted"}


async def test_equal_totals_are_published_as_a_tie_whatever_their_base_points(bloc: Bloc) -> None:
    async with bloc.scoring.client(bloc.secretary) as http:
        for unit_id, breakdown in (("c", {"C1": 50, "B1": 10}), ("a", {"C1": 55, "B1": 5}), ("b", {"C1": 55, "B1": 5})):
            assert (await http.post(f"{bloc.base}/scores", json={"unit_id": unit_id, "breakdown": breakdown})
                    ).status_code == 201
        await http.post(f"{bloc.base}/table", json={"criteria": CRITERIA})
        published_on = (province_today() - timedelta(days=3)).isoformat()
        published = await http.post(f"{bloc.base}/ranking", json={"published_on": published_on})
        board = (await http.get(f"{bloc.base}/scoreboard")).json()
    assert published.status_code == 201
    assert board["ranking"]["published_on"] == published_on, "the day the bloc published it, not the recording's"
    assert [(r["rank"], r["tied"]) for r in board["ranking"]["ranking"]] == [(1, True)] * 3
    assert [score["tied"] for score in board["scores"]] == [True] * 3


async def test_members_register_targets_and_the_secretariat_sees_who_has_not(bloc: Bloc) -> None:
    officer = await bloc.scoring.token("unit_officer", unit_id="b")
    targets = [{"code": "T1", "text": "Hoàn thành 100% nhiệm vụ được giao", "measure": "100%"},
               {"code": "T2", "text": "Không có đảng viên vi phạm kỷ luật"}]
    async with bloc.scoring.client(officer, language="en") as http:
        registered = await http.post(f"{bloc.base}/targets", json={"unit_id": "b", "targets": targets})
        twice = await http.post(f"{bloc.base}/targets", json={"unit_id": "b", "targets": [targets[0], targets[0]]})
        for_other = await http.post(f"{bloc.base}/targets", json={"unit_id": "c", "targets": targets})
        board = (await http.get(f"{bloc.base}/scoreboard")).json()
    assert registered.status_code == 201
    assert twice.status_code == 422
    assert "Target code T1 appears twice" in twice.json()["message"]
    assert for_other.status_code == 403
    assert [t["code"] for t in board["targets"]["b"]] == ["T1", "T2"]
    assert board["missing"]["targets"] == ["a", "c"]


async def test_the_scoreboard_exports_to_csv_and_xlsx_in_ranking_order(bloc: Bloc) -> None:
    async with bloc.scoring.client(bloc.secretary) as http:
        for unit_id, c1 in (("a", 50), ("b", 58), ("c", 54)):
            await http.post(f"{bloc.base}/scores", json={"unit_id": unit_id, "breakdown": {"C1": c1, "C2": 20}})
        await http.post(f"{bloc.base}/ranking")
        as_csv = await http.get(f"{bloc.base}/export")
        as_xlsx = await http.get(f"{bloc.base}/export", params={"format": "xlsx"}, headers={"Accept-Language": "en"})
    lines = as_csv.content.decode("utf-8-sig").splitlines()
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert lines[0] == "Hạng,Mã đơn vị,Tên đơn vị,Tổng điểm,Xếp loại,C1,C2"
    assert lines[1:] == ["1,b,Đơn vị b,78.0,,58.0,20.0", "2,c,Đơn vị c,74.0,,54.0,20.0", "3,a,Đơn vị a,70.0,,50.0,20.0"]
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Rank", "Unit", "Name", "Total", "Band", "C1", "C2"]
    assert [row[1] for row in rows[1:]] == ["b", "c", "a"]


async def test_evidence_files_are_stored_once_by_their_hash_and_referenced_by_assessments(
    bloc: Bloc,
) -> None:
    await _open(bloc)
    officer = await bloc.scoring.token("unit_officer", unit_id="a")
    report = "Báo cáo tổng kết 2025".encode()
    scores = {"C1": 50, "C2": 25, "B1": 5}
    async with bloc.scoring.client(officer, language="en") as http:
        stored = await http.post(f"{bloc.scoring.base}/evidence", content=report,
                                 headers={"Content-Type": "text/plain", "X-Filename": "bao-cao.txt"})
        again = await http.post(f"{bloc.scoring.base}/evidence", content=report)
        ref = stored.json()["ref"]
        fetched = await http.get(f"{bloc.scoring.base}/evidence/{ref}")
        unknown = await http.post(f"{bloc.base}/self-assessments", json={
            "unit_id": "a", "scores": scores, "evidence": ["sha256:" + "0" * 64]})
        bad = await http.post(f"{bloc.base}/self-assessments", json={
            "unit_id": "a", "scores": scores, "evidence": ["see the drawer"]})
        accepted = await http.post(f"{bloc.base}/self-assessments", json={
            "unit_id": "a", "scores": scores, "evidence": [ref, "https://hanam.gov.vn/tin-tuc"]})
    assert stored.status_code == 201
    assert ref == "sha256:" + hashlib.sha256(report).hexdigest()
    assert (again.json()["ref"], again.json()["stored_before"]) == (ref, True)
    assert fetched.content == report
    assert fetched.headers["content-type"].startswith("text/plain")
    assert unknown.status_code == 422
    assert "No such evidence files" in unknown.json()["message"]
    assert bad.status_code == 422
    assert accepted.status_code == 201
