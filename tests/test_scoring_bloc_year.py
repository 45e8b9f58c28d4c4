"""A whole bloc-year over the real broker: 10 units, 20 criteria, self- and cross-assessments, final
scores and the ranking checked against a hand computation, a tie shown as one and then resolved by the bloc's
vote; awards receives the scores and each version of the ranking."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from awards.bootstrap import create_app as awards_app
from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.clock import province_today
from thidua_shared.testing import running_service, within

UNITS = [f"u{i}" for i in range(10)]
CRITERIA = [
    *({"code": f"C{k:02}", "group": "Nhiệm vụ", "title": f"Tiêu chí {k}", "max_points": 5} for k in range(1, 19)),
    {"code": "B19", "group": "Thưởng", "title": "Sáng kiến", "max_points": 5, "kind": "bonus"},
    {"code": "P20", "group": "Trừ điểm", "title": "Vi phạm", "max_points": 10, "kind": "penalty"},
]


def points_for(i: int, assessor: int) -> dict[str, float]:
    """What ``assessor`` gives unit i: 5 - 0.25·i on each base criterion, ±0.5 on C01 from alternate
    assessors for units u5..u9 (so the mean is exact only if every assessment counts), a bonus and a
    penalty; u3 and u4 tie on the total (u4's bonus makes up its lower base)."""
    base = {f"C{k:02}": 5 - 0.25 * i for k in range(2, 19)}
    swing = 0.5 if assessor % 2 else -0.5
    c01 = 5 - 0.25 * i + (swing if i >= 5 else 0.0)
    bonus = {4: 4.5}.get(i, float(i % 3))
    return {"C01": c01, **base, "B19": bonus, "P20": 1.0 if i == 2 else 0.0}


# Hand computation: 18 base criteria × (5 − 0.25·i) = 90 − 4.5·i, plus the bonus, minus the penalty.
# C01's swing averages to zero only for units assessed by as many odd as even assessors; for i ≥ 5 the
# nine assessors are u0..u9 without u_i: i even leaves 5 odd and 4 even (+0.5·1/9), i odd 4 odd, 5 even.
def expected_total(i: int) -> float:
    swing = 0.0 if i < 5 else (0.5 / 9 if i % 2 == 0 else -0.5 / 9)
    bonus = {4: 4.5}.get(i, float(i % 3))
    return round(90 - 4.5 * i + swing + bonus - (1.0 if i == 2 else 0.0), 4)


async def test_a_full_bloc_year_ranks_as_computed_by_hand_and_awards_receives_it(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    async with running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap) as scoring, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, scoring.province) as registry, \
            running_service(awards_app, tmp_path / "awards", kafka_bootstrap, scoring.province) as awards:
        province = scoring.province
        async with registry.client(await registry.token("admin")) as http:
            await http.post(f"/provinces/{province}/blocs", json={"bloc_id": "k", "name": "Khối", "kind": "khoi",
                                                                   "decision_ref": "1"})
            for unit_id in UNITS:
                await http.post(f"/provinces/{province}/units", json={"unit_id": unit_id, "name": unit_id.upper()})
                await http.post(f"/provinces/{province}/blocs/k/members", json={
                    "unit_id": unit_id, "effective_on": "2024-01-01", "decision_ref": "2"})
        base = f"/provinces/{province}/blocs/k/years/2025"
        auditor = await scoring.token("auditor")

        async def scoring_knows_the_members() -> bool:
            async with scoring.client(auditor) as http:
                return len((await http.get(f"{base}/scoreboard")).json()["members"]) == 10

        await within(60, scoring_knows_the_members)
        async with scoring.client(await scoring.token("bloc_secretary", bloc_id="k")) as http:
            assert (await http.post(f"{base}/table", json={"criteria": CRITERIA})).status_code == 201
            window = {"opens_on": (province_today() - timedelta(days=1)).isoformat(),
                      "closes_on": (province_today() + timedelta(days=1)).isoformat()}
            assert (await http.post(f"{base}/window", json=window)).status_code == 201
            for i, unit_id in enumerate(UNITS):
                own = await http.post(f"{base}/self-assessments", json={"unit_id": unit_id,
                                                                        "scores": points_for(i, i)})
                assert own.status_code == 201, own.text
                for j, assessor in enumerate(UNITS):
                    if assessor != unit_id:
                        sent = await http.post(f"{base}/cross-assessments", json={
                            "assessor_unit_id": assessor, "unit_id": unit_id, "scores": points_for(i, j)})
                        assert sent.status_code == 201, sent.text
            assert (await http.post(f"{base}/finals")).status_code == 201
            assert (await http.post(f"{base}/ranking")).status_code == 201
            board = (await http.get(f"{base}/scoreboard")).json()

        expected = sorted(range(10), key=lambda i: (-expected_total(i), UNITS[i]))
        ranking = board["ranking"]["ranking"]
        assert [entry["unit_id"] for entry in ranking] == [UNITS[i] for i in expected]
        assert [entry["total"] for entry in ranking] == [expected_total(i) for i in expected]
        assert ranking[3]["total"] == ranking[4]["total"] == 76.5, "u3 and u4 tie on the total…"
        assert [(entry["rank"], entry["tied"]) for entry in ranking[3:5]] == [(4, True), (4, True)], \
            "…and share the 4th place, though u3 has more base points"
        assert [(entry["rank"], entry["tied"]) for entry in ranking[5:6]] == [(6, False)]
        assert board["missing"] == {"targets": UNITS, "target_results": UNITS, "self": [], "verifications": [],
                                    "cross": []}

        async def awards_has(ranks: list[tuple[str, int]]) -> bool:
            async with awards.client(await awards.token("auditor")) as http:
                known = (await http.get(f"/provinces/{province}/scores")).json()
            return sorted((s["unit_id"], s["rank"]) for s in known) == sorted(ranks)

        async def awards_has_the_tied_ranking() -> bool:
            return await awards_has([(entry["unit_id"], entry["rank"]) for entry in ranking])

        await within(60, awards_has_the_tied_ranking)

        async with scoring.client(await scoring.token("bloc_secretary", bloc_id="k")) as http:
            resolved = await http.post(f"{base}/tie-resolutions", json={
                "order": ["u4", "u3"], "ground": "vote", "reference": "suy-ton-2025-01"})
            assert resolved.status_code == 201, resolved.text
            board = (await http.get(f"{base}/scoreboard")).json()
        assert [event["event_type"] for event in resolved.json()["events"]] == ["RankingTieResolved",
                                                                                "RankingPublished"]
        second = board["ranking"]
        assert second["version"] == 2
        assert [(e["unit_id"], e["rank"]) for e in second["ranking"][3:5]] == [("u4", 4), ("u3", 5)]
        assert second["resolved_ties"] == [{"total": 76.5, "order": ["u4", "u3"], "ground": "vote",
                                            "reference": "suy-ton-2025-01"}]

        async def awards_has_the_resolved_ranking() -> bool:
            return await awards_has([(entry["unit_id"], entry["rank"]) for entry in second["ranking"]])

        await within(60, awards_has_the_resolved_ranking)
