"""Scoring learns membership over time from the registry's events, over the real broker."""

from __future__ import annotations

from pathlib import Path

from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.testing import running_service, within


async def test_a_unit_that_left_its_bloc_is_scored_for_the_years_it_was_a_member_only(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    async with running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap) as scoring, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, scoring.province) as registry:
        base = registry.base
        async with registry.client(await registry.token("admin")) as http:
            for body in ({"unit_id": "a", "name": "Đơn vị A"}, {"unit_id": "b", "name": "Đơn vị B"}):
                assert (await http.post(f"{base}/units", json=body)).status_code == 201
            assert (await http.post(f"{base}/blocs", json={"bloc_id": "k", "name": "Khối", "kind": "khoi",
                                                           "decision_ref": "1"})).status_code == 201
            for unit_id in ("a", "b"):
                joined = await http.post(f"{base}/blocs/k/members", json={
                    "unit_id": unit_id, "effective_on": "2022-01-01", "decision_ref": "2"})
                assert joined.status_code == 201
            left = await http.post(f"{base}/blocs/k/departures", json={
                "unit_id": "a", "effective_on": "2024-01-01", "decision_ref": "3"})
            assert left.status_code == 201
            renamed = await http.post(f"{base}/units/b/renaming", json={"name": "Đơn vị B mới",
                                                                         "effective_on": "2024-01-01",
                                                                         "decision_ref": "4"})
            assert renamed.status_code == 201

        admin = await scoring.token("admin")
        async with scoring.client(admin, language="en") as http:
            async def scoring_knows_the_departure_and_the_name() -> bool:
                members = (await http.get(f"{base}/blocs/k/years/2023/scoreboard")).json()["members"]
                by_unit = {m["unit_id"]: m for m in members}
                return bool(by_unit.get("a", {}).get("left_on") == "2024-01-01"
                            and by_unit.get("b", {}).get("name") == "Đơn vị B mới")

            await within(60, scoring_knows_the_departure_and_the_name)
            score = {"unit_id": "a", "breakdown": {"C1": 5}}
            in_2023 = await http.post(f"{base}/blocs/k/years/2023/scores", json=score)
            in_2024 = await http.post(f"{base}/blocs/k/years/2024/scores", json=score)
    assert in_2023.status_code == 201
    assert in_2024.status_code == 409
    assert "is not a member of bloc k in 2024" in in_2024.json()["message"]


async def test_a_merged_units_scores_follow_it_into_the_unit_it_merged_into(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    async with running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap) as scoring, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, scoring.province) as registry:
        base = registry.base
        async with registry.client(await registry.token("admin")) as http:
            await http.post(f"{base}/blocs", json={"bloc_id": "k", "name": "Khối", "kind": "khoi", "decision_ref": "1"})
            for unit_id in ("x", "y", "z"):
                await http.post(f"{base}/units", json={"unit_id": unit_id, "name": unit_id.upper()})
            for unit_id in ("x", "y"):
                await http.post(f"{base}/blocs/k/members", json={
                    "unit_id": unit_id, "effective_on": "2022-01-01", "decision_ref": "2"})
        async with scoring.client(await scoring.token("admin")) as http:
            async def members_known() -> bool:
                return len((await http.get(f"{base}/blocs/k/years/2023/scoreboard")).json()["members"]) == 2

            await within(60, members_known)
            for unit_id, points in (("x", 80), ("y", 90)):
                await http.post(f"{base}/blocs/k/years/2023/scores", json={"unit_id": unit_id,
                                                                            "breakdown": {"C1": points}})
            assert (await http.post(f"{base}/blocs/k/years/2023/ranking")).status_code == 201
        async with registry.client(await registry.token("admin")) as http:
            merged = await http.post(f"{base}/mergers", json={
                "from_unit_ids": ["x", "y"], "into_unit_id": "z", "effective_on": "2024-06-01", "decision_ref": "3"})
            assert merged.status_code == 201
        async with scoring.client(await scoring.token("auditor")) as http:
            async def lineage_known() -> bool:
                return len((await http.get(f"{base}/units/z/scores")).json()["years"]) == 2

            await within(60, lineage_known)
            history = (await http.get(f"{base}/units/z/scores")).json()
    assert sorted(history["lineage"]) == ["x", "y", "z"]
    assert [(y["unit_id"], y["year"], y["total"], y["rank"]) for y in history["years"]] == [
        ("x", 2023, 80.0, 2), ("y", 2023, 90.0, 1)]
