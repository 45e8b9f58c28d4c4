"""The demo: the Hà Nam bloc of the seed report, played through the services' HTTP APIs."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from thidua_cli.client import Api
from thidua_cli.system import LocalSystem


def seed_file(name: str) -> bytes:
    return resources.files("thidua_cli").joinpath(f"seed/{name}").read_bytes()


def seed() -> dict[str, Any]:
    text = resources.files("thidua_cli").joinpath("seed/hanam-2023.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


async def wait_for(what: str, check: Callable[[], Awaitable[bool]], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)
    print(f"  ✓ {what}", flush=True)


async def play(system: LocalSystem, token: str) -> dict[str, Any]:
    """Play the scenario; the read models of the four services at the end."""
    data = seed()
    province, bloc = data["province"], data["bloc"]
    apis = {name: Api(url, token) for name, url in system.urls.items()}
    registry, scoring, awards, notifications = (
        apis["registry"], apis["scoring"], apis["awards"], apis["notifications"])
    base = f"/provinces/{province}"
    try:
        print("1. Registry: the province, then its bloc and units imported from "
              f"{data['registry_file']}", flush=True)
        await registry.post(f"{base}/registration", {"name": data["province_name"]})
        imported = await registry.upload(f"{base}/imports", seed_file(data["registry_file"]), "text/csv")
        units = int(imported["rows"])

        async def scoring_knows_members() -> bool:
            board = await scoring.get(f"{base}/blocs/{bloc['bloc_id']}/years/2023/scoreboard")
            return len(board["members"]) == units

        await wait_for("scoring received the bloc's members from the registry", scoring_knows_members)

        print("2. Scoring: final scores of 2023, then the ranking is published (and locked)", flush=True)
        for unit_id, breakdown in data["scores_2023"].items():
            await scoring.post(f"{base}/blocs/{bloc['bloc_id']}/years/2023/scores",
                               {"unit_id": unit_id, "breakdown": breakdown})

        await scoring.post(f"{base}/blocs/{bloc['bloc_id']}/years/2023/ranking", {})

        async def awards_knows_units_and_ranks() -> bool:
            ranked = [score for score in await awards.get(f"{base}/scores") if score["rank"] is not None]
            return len(await awards.get(f"{base}/units")) == units and len(ranked) == len(data["scores_2023"])

        await wait_for("awards received the units, the final scores and the ranking", awards_knows_units_and_ranks)

        print("3. Awards: the bloc proposes its leader for the provincial flag", flush=True)
        board = await scoring.get(f"{base}/blocs/{bloc['bloc_id']}/years/2023/scoreboard")
        leader = board["scores"][0]["unit_id"]
        await awards.post(f"{base}/proposals", {
            "proposal_id": f"{bloc['bloc_id']}-2023-prov-flag", "unit_id": leader, "year": 2023,
            "award_code": "PROV_FLAG", "bloc_id": bloc["bloc_id"]})

        print("4. Registry: the year-end conference elects the 2024 chair and vice-chair", flush=True)
        for election in data["elections"]:
            await registry.post(f"{base}/blocs/{bloc['bloc_id']}/elections", election)
        await registry.post(f"{base}/blocs/{bloc['bloc_id']}/supervisors", data["supervisor"])
        await registry.post(f"{base}/blocs/{bloc['bloc_id']}/handovers", data["handover"])

        expected = 1 + len(data["elections"])

        async def everyone_notified() -> bool:
            return len(await notifications.get(f"{base}/notifications")) >= expected

        await wait_for("notifications sent for the proposal and the elections", everyone_notified)
        return {
            "registry": await registry.get(f"{base}/blocs/{bloc['bloc_id']}", on="2024-01-03"),
            "scoring": await scoring.get(f"{base}/blocs/{bloc['bloc_id']}/years/2023/scoreboard"),
            "awards": await awards.get(f"{base}/proposals"),
            "notifications": await notifications.get(f"{base}/notifications"),
        }
    finally:
        for api in apis.values():
            await api.close()


def show(views: dict[str, Any]) -> None:
    bloc = views["registry"]
    print(f"\n== registry: {bloc['name']} ({bloc['kind']}), as of {bloc['as_of']}")
    print(f"   members: {', '.join(m['unit_id'] for m in bloc['members'])}")
    supervisor = bloc["supervisor"]
    if supervisor:
        print(f"   supervisor {supervisor['year']}: {supervisor['person_name']}, {supervisor['title']}")
    for handover in bloc["handovers"]:
        print(f"   handover {handover['handed_over_on']}: {handover['from_unit_id']} → {handover['to_unit_id']}")
    for leader in bloc["leadership"]:
        print(f"   {leader['year']} {leader['role']:<10} {leader['unit_id']} "
              f"({leader['votes_for']}/{leader['votes_cast']} of {leader['members']})")
    board = views["scoring"]
    print(f"\n== scoring: scoreboard {board['year']}")
    for rank, score in enumerate(board["scores"], start=1):
        print(f"   {rank}. {score['unit_id']:<22} {score['total']:>6}  {score['breakdown']}")
    print("\n== awards: proposals")
    for proposal in views["awards"]:
        print(f"   {proposal['proposal_id']}: {proposal['unit_id']} → {proposal['award_code']} "
              f"({proposal['state']}, rank {proposal['rank']}, total {proposal['total']}, "
              f"rules {proposal['rule_version']})")
    print("\n== notifications")
    for note in views["notifications"]:
        print(f"   [{note['channel']}] {note['recipient']}: {note['text_vi']}")
