"""An auditor with only a token and the services' URLs explains an award and tells a bloc-year as it stood at a moment,
from the logs alone: the whole system plays the seed year once, then ``thidua audit explain`` and ``thidua audit
as-of`` run against it; they change nothing, and each of their reads is recorded."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from typer.testing import CliRunner

from thidua_cli import demo
from thidua_cli.audit_chain import build_chain
from thidua_cli.audit_logs import instant, names_from, read_logs
from thidua_cli.main import app
from thidua_cli.system import LocalSystem
from thidua_shared.clock import VIETNAM
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events

PROPOSAL = "khoi-ban-dang-2023-gov-flag"
READ = ("registry", "scoring", "awards")


async def _hashes(system: LocalSystem, service: str) -> dict[int, str]:
    """The log's hashes by position, read from the service's database (not through the API the CLI used)."""
    engine = create_engine(system.database_url(service))
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(events.c.position, events.c.hash))
            return {int(row.position): str(row.hash) for row in rows}
    finally:
        await engine.dispose()


async def _heads(system: LocalSystem, admin: str) -> dict[str, tuple[int, str]]:
    heads = {}
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {admin}"}, timeout=30) as http:
        for service in READ:
            page = (await http.get(f"{system.urls[service]}/provinces/HNM/log", params={"limit": 1})).json()
            heads[service] = (page["head_position"], page["head_hash"])
    return heads


async def _reads(system: LocalSystem, admin: str) -> dict[str, list[dict[str, Any]]]:
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {admin}"}, timeout=30) as http:
        return {service: (await http.get(f"{system.urls[service]}/provinces/HNM/audit-reads")).json()
                for service in READ}


async def test_an_auditor_explains_the_government_flag_and_tells_the_bloc_year_before_and_after_its_decision(
        system: LocalSystem) -> None:
    admin = await system.issue_token("admin")
    await demo.play(system, admin)
    auditor = await system.issue_token("auditor")
    heads_before = await _heads(system, admin)
    assert all(not reads for reads in (await _reads(system, admin)).values()), "no auditor has read yet"
    urls = [argument for service in READ for argument in ("--url", system.urls[service])]

    def thidua(*arguments: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["audit", *arguments, "--province", "HNM", "--token", auditor, *urls])
        return result.exit_code, result.output

    code, told = await asyncio.to_thread(thidua, "explain", PROPOSAL, "--json")
    assert code == 0, told
    chain = json.loads(told)
    assert chain["complete"] is True, chain["missing"]
    steps = chain["steps"]
    assert {step["service"] for step in steps} == set(READ), "the chain runs across the three services"
    kinds = [step["step"] for step in steps]
    for kind in ("unit", "bloc", "membership", "score", "ranking", "vote_opened", "vote_closed", "AwardProposed",
                 "CouncilVoteRecorded", "ForwardedToCentral", "AwardDecided"):
        assert kind in kinds, kind
    assert kinds.index("ranking") < kinds.index("vote_closed") < kinds.index("AwardProposed") \
        < kinds.index("CouncilVoteRecorded") < kinds.index("ForwardedToCentral") < kinds.index("AwardDecided")
    for service in READ:
        stored = await _hashes(system, service)
        for step in steps:
            if step["service"] == service:
                assert step["hash"] == stored[step["position"]], (service, step["position"])
    assert all(log["chain_intact"] for log in chain["logs"].values())
    [ranking] = [step for step in steps if step["step"] == "ranking"]
    assert (ranking["rank"], ranking["total"], ranking["matches_basis"]) == (1, 95.0, True)
    [tally] = [step for step in steps if step["step"] == "vote_closed"]
    assert (tally["honoured"], tally["ballots_cast"], tally["ballots_logged"]) == (["van-phong"], 8, 8)
    [decided] = [step for step in steps if step["step"] == "AwardDecided"]
    assert (decided["decision_no"], decided["rule_version"]) == ("500/QĐ-TTg (mẫu)", "VN-98-2023")
    async with httpx.AsyncClient(base_url=system.urls["awards"], timeout=30,
                                 headers={"Authorization": f"Bearer {admin}"}) as http:
        service_says = (await http.get(f"/provinces/HNM/proposals/{PROPOSAL}/explanation")).json()
    theirs = {(step["event_type"], step["hash"]) for step in service_says["steps"]
              if step["event_type"] != "BallotCast"}
    assert theirs <= {(step["event_type"], step["hash"]) for step in steps}, "the awards service's explanation agrees"
    assert "voter_unit_id" not in told, "ballots are secret: the tally only"
    assert "BallotCast" not in told

    code, vietnamese = await asyncio.to_thread(thidua, "explain", PROPOSAL)
    assert code == 0, vietnamese
    assert "Văn phòng Tỉnh ủy → Cờ thi đua của Chính phủ, năm 2023, Khối thi đua các Ban xây dựng Đảng" in vietnamese
    assert "Quyết định số 500/QĐ-TTg (mẫu) ngày 10/05/2024 của Thủ tướng Chính phủ" in vietnamese
    assert "Kiểm phiếu: 8 phiếu" in vietnamese
    assert f"băm {decided['hash']}" in vietnamese
    assert "Chuỗi đầy đủ" in vietnamese
    assert "van-phong" not in vietnamese, "people read names, not ids"
    assert "GOV_FLAG" not in vietnamese, "nor codes"
    code, english = await asyncio.to_thread(thidua, "explain", PROPOSAL, "--lang", "en")
    assert "Decision No. 500/QĐ-TTg (mẫu) of 10/05/2024 by Thủ tướng Chính phủ" in english
    assert "The chain is complete" in english
    code, unknown = await asyncio.to_thread(thidua, "explain", "khong-co")
    assert code == 1
    assert "Không có đề nghị khong-co" in unknown

    proposed, decision = instant(steps[kinds.index("AwardProposed")]["recorded_at"]), instant(decided["recorded_at"])
    # filed, not yet before the council: a moment picked between filing and decision could fall after the council's
    # vote, which the demo records a few milliseconds after the filing
    between = instant(steps[kinds.index("CouncilVoteRecorded")]["recorded_at"]) - timedelta(microseconds=1)
    logs = await read_logs([system.urls[service] for service in READ], auditor, "HNM", "vi")
    names = names_from(logs, "vi")
    undecided = build_chain(logs.until(decision - timedelta(microseconds=1)), PROPOSAL, names)
    filed = build_chain(logs.until(proposed), PROPOSAL, names)
    assert undecided.missing == ["decision"], "a step missing from the chain is named"
    assert filed.missing == ["council_vote", "forwarding", "decision"]

    def as_of(moment: datetime | str, *more: str) -> tuple[int, str]:
        when = moment.isoformat() if isinstance(moment, datetime) else moment
        return thidua("as-of", when, "--bloc", "khoi-ban-dang", "--year", "2023", *more)

    before = json.loads((await asyncio.to_thread(as_of, between, "--json"))[1])
    after = json.loads((await asyncio.to_thread(as_of, decision, "--json"))[1])
    today = json.loads((await asyncio.to_thread(as_of, datetime.now(VIETNAM).strftime("%d/%m/%Y"), "--json"))[1])
    nothing = json.loads((await asyncio.to_thread(as_of, "01/01/2020 07:00", "--json"))[1])
    flag_before, flag_after = ({row["proposal_id"]: row for row in state["proposals"]}[PROPOSAL]
                               for state in (before, after))
    assert (flag_before["state"], flag_before["decision"]) == ("proposed", None)
    assert (flag_after["state"], flag_after["decision"]["decision_no"]) == ("decided", "500/QĐ-TTg (mẫu)")
    assert len(before["members"]) == 8
    assert [row["unit_id"] for row in before["ranking"]["ranking"][:2]] == ["van-phong", "ban-to-chuc"]
    assert {vote["vote_id"]: vote["honoured"] for vote in before["votes"]}[PROPOSAL] == ["van-phong"]
    assert {row["state"] for row in today["proposals"]} == {"decided"}
    assert {(row["year"], row["role"]): row["unit_id"] for row in today["leaders"]} == {
        (2023, "chair"): "ban-to-chuc", (2024, "chair"): "ubkt", (2024, "vice_chair"): "du-khoi-doanh-nghiep"}
    assert [(row["from_unit_id"], row["to_unit_id"]) for row in today["handovers"]] == [("ban-to-chuc", "ubkt")]
    assert (nothing["members"], nothing["scores"], nothing["ranking"], nothing["proposals"]) == ([], [], None, [])
    code, shown = await asyncio.to_thread(as_of, between)
    assert code == 0, shown
    assert "Văn phòng Tỉnh ủy → Cờ thi đua của Chính phủ: đã đề nghị" in shown
    assert "1. Văn phòng Tỉnh ủy: 95 điểm" in shown
    code, shown = await asyncio.to_thread(as_of, decision, "--lang", "en")
    assert "Văn phòng Tỉnh ủy → the Government's Emulation Flag: decided" in shown
    assert "Decision No. 500/QĐ-TTg (mẫu) of 10/05/2024" in shown
    code, refused = await asyncio.to_thread(as_of, "31/02/2024")
    assert code == 2, refused

    assert await _heads(system, admin) == heads_before, "the auditor changed nothing"
    reads = await _reads(system, admin)
    for service in READ:
        assert any(read["path"] == "/provinces/HNM/log" and read["method"] == "GET" for read in reads[service]), \
            f"{service} recorded the auditor's reads"
