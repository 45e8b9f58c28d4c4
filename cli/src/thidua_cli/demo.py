"""The demo: the Hà Nam bloc of the seed report, played through the services' HTTP APIs."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from thidua_cli.client import Api
from thidua_cli.loopback import Mailbox, WebhookReceiver
from thidua_cli.system import LocalSystem
from thidua_contracts.documentation import EVENT_DOCS

HEARD_BY_THE_PORTAL = ["RankingPublished", "AwardDecided", "ChairElected", "ViceChairElected"]
"""What the demo's webhook receiver (a provincial portal, say) subscribes to."""
STAFF_EMAIL = "tdkt@snv.hanam.example.vn"


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


async def play(system: LocalSystem, token: str, mailbox: Mailbox | None = None,
               webhooks: WebhookReceiver | None = None) -> dict[str, Any]:
    """Play the scenario; the read models of the four services at the end (with what the mailbox and the
    webhook receiver got, when there are some)."""
    data = seed()
    province, bloc = data["province"], data["bloc"]
    apis = {name: Api(url, token) for name, url in system.urls.items()}
    registry, scoring, awards, notifications = (
        apis["registry"], apis["scoring"], apis["awards"], apis["notifications"])
    base = f"/provinces/{province}"
    try:
        if mailbox is not None:
            await notifications.call("PUT", f"{base}/notification-settings", {"staff_emails": [STAFF_EMAIL]})
        if webhooks is not None:
            await subscribe(system, base, webhooks)
        print("1. Đăng ký: tỉnh, rồi các khối thi đua và đơn vị nhập từ tệp "
              f"{data['registry_file']}", flush=True)
        await registry.post(f"{base}/registration", {"name": data["province_name"]})
        imported = await registry.upload(f"{base}/imports", seed_file(data["registry_file"]), "text/csv")
        units = int(imported["rows"])
        names = {unit["unit_id"]: unit["name"] for unit in await registry.get(f"{base}/units")}
        bloc_names = {each["bloc_id"]: each["name"] for each in await registry.get(f"{base}/blocs")}

        members = len(data["scores_2023"])

        async def scoring_knows_members() -> bool:
            board = await scoring.get(f"{base}/blocs/{bloc['bloc_id']}/years/2023/scoreboard")
            return len(board["members"]) == members

        await wait_for(f"Chấm điểm đã nhận danh sách thành viên {bloc_names[bloc['bloc_id']]}", scoring_knows_members)

        plan = data["awards"]
        standards = plan["standards"]
        print("2. Chấm điểm: chỉ tiêu và kết quả thực hiện của các đơn vị dẫn đầu; điểm tổng kết năm 2023; "
              "công bố (và khóa) bảng xếp hạng của từng khối", flush=True)
        finals = {bloc["bloc_id"]: data["scores_2023"],
                  **{bloc_id: {unit_id: standards["other_bloc_scores"]}
                     for bloc_id, unit_id in plan["leaders_elsewhere"].items()}}
        for bloc_id, scores in finals.items():
            if bloc_id != bloc["bloc_id"]:
                async def knows_member(bloc_id: str = bloc_id) -> bool:
                    board = await scoring.get(f"{base}/blocs/{bloc_id}/years/2023/scoreboard")
                    return len(board["members"]) == 1

                await wait_for(f"Chấm điểm đã nhận danh sách thành viên {bloc_names[bloc_id]}", knows_member)
            for unit_id in scores:
                if unit_id in standards["leaders"]:
                    await scoring.post(f"{base}/blocs/{bloc_id}/years/2023/targets",
                                       {"unit_id": unit_id, "targets": standards["targets"]})
                    await scoring.post(f"{base}/blocs/{bloc_id}/years/2023/target-results", {
                        "unit_id": unit_id, "results": standards["results"],
                        "recorded_on": standards["results_recorded_on"]})
            for unit_id, breakdown in scores.items():
                await scoring.post(f"{base}/blocs/{bloc_id}/years/2023/scores",
                                   {"unit_id": unit_id, "breakdown": breakdown})
            await scoring.post(f"{base}/blocs/{bloc_id}/years/2023/ranking", {"published_on": plan["opened_on"]})
        scored = sum(len(scores) for scores in finals.values())

        async def awards_knows_units_ranks_and_results() -> bool:
            ranked = [score for score in await awards.get(f"{base}/scores") if score["rank"] is not None]
            if len(await awards.get(f"{base}/units")) != units or len(ranked) != scored:
                return False
            verdict = await awards.get(f"{base}/eligibility", unit_id=standards["leaders"][-1], year=2023,
                                       award_code="PROV_FLAG")
            return any(check["rule"] == "exceeded_targets" and check["ok"] for check in verdict["checks"])

        await wait_for("Khen thưởng đã nhận các đơn vị, điểm tổng kết, bảng xếp hạng và kết quả thực hiện chỉ tiêu",
                       awards_knows_units_ranks_and_results)
        print("   Tỉnh xác nhận tiêu chuẩn của các đơn vị dẫn đầu: nội bộ đoàn kết, tổ chức Đảng hoàn thành xuất sắc "
              "nhiệm vụ", flush=True)
        forms = {form["code"]: form["name"] for book in (await awards.get(f"{base}/rulebooks"))["versions"]
                 for form in book["forms"]}
        for unit_id in standards["leaders"]:
            for fact, ref in standards["attested"].items():
                await awards.post(f"{base}/units/{unit_id}/years/2023/attestations",
                                  {"fact": fact, "ref": ref, "attested_on": standards["attested_on"]})
        honoured = await play_awards(system, awards, base, bloc["bloc_id"], list(data["scores_2023"]), plan,
                                     Names(names, forms))

        print("5. Đăng ký: hội nghị tổng kết bầu Trưởng khối và Phó khối năm 2024", flush=True)
        for election in data["elections"]:
            await registry.post(f"{base}/blocs/{bloc['bloc_id']}/elections", election)
        await registry.post(f"{base}/blocs/{bloc['bloc_id']}/supervisors", data["supervisor"])
        await registry.post(f"{base}/blocs/{bloc['bloc_id']}/handovers", data["handover"])

        votes = len(plan["leaders_elsewhere"]) + len(plan["votes"])
        proposed = sum(len(units) for units in honoured.values())
        expected = Counter({"ranking_published": len(finals), "vote_opened": votes, "vote_closed": votes,
                            "award_proposed": proposed, "award_decided": proposed,
                            "forwarded_to_central": len(honoured.get("GOV_FLAG", [])),
                            **Counter(f"{election['role']}_elected" for election in data["elections"])})

        async def everyone_notified() -> bool:
            """Every act the demo played was told of (its rankings, votes, proposals, decisions, elections)."""
            told = Counter(note["template"] for note in await notifications.get(f"{base}/notifications"))
            return all(told[kind] >= count for kind, count in expected.items())

        await wait_for("Đã gửi thông báo về các đề nghị, quyết định khen thưởng và kết quả bầu", everyone_notified)
        delivered = await all_delivered(notifications, base, mailbox, webhooks)
        return {
            **delivered,
            "registry": await registry.get(f"{base}/blocs/{bloc['bloc_id']}", on="2024-01-03"),
            "scoring": await scoring.get(f"{base}/blocs/{bloc['bloc_id']}/years/2023/scoreboard"),
            "awards": (await awards.get(f"{base}/proposals"))["proposals"],
            "explanation": await awards.get(f"{base}/proposals/{bloc['bloc_id']}-2023-gov-flag/explanation"),
            "notifications": await notifications.get(f"{base}/notifications"),
            "names": names,
            "forms": forms,
            "blocs": {listed["bloc_id"]: listed["name"] for listed in await registry.get(f"{base}/blocs")},
        }
    finally:
        for api in apis.values():
            await api.close()


async def subscribe(system: LocalSystem, base: str, webhooks: WebhookReceiver) -> None:
    """Another system (the province's portal) subscribes its endpoint; it keeps the secret shown once."""
    portal = Api(system.urls["notifications"], await system.issue_token("subscriber"))
    try:
        created = await portal.post(f"{base}/subscriptions", {
            "subscription_id": "cong-thong-tin-tinh", "url": webhooks.url, "event_types": HEARD_BY_THE_PORTAL})
    finally:
        await portal.close()
    webhooks.secret = created["secret"]
    print("   Cổng thông tin của tỉnh đăng ký nhận webhook: xếp hạng, quyết định khen thưởng, kết quả bầu", flush=True)


async def all_delivered(notifications: Api, base: str, mailbox: Mailbox | None,
                        webhooks: WebhookReceiver | None) -> dict[str, Any]:
    """Wait until nothing waits in the delivery queue and the mailbox and receiver hold what was delivered."""
    if mailbox is None and webhooks is None:
        return {}

    async def done() -> bool:
        queue = await notifications.get(f"{base}/deliveries", limit=1000)
        if any(row["status"] == "pending" for row in queue):
            return False
        sent = Counter(row["channel"] for row in queue if row["status"] == "delivered")
        return ((mailbox is None or len(mailbox.received) == sent["email"])
                and (webhooks is None or sum(hook.verified for hook in webhooks.received) == sent["webhook"]))

    await wait_for("Thư điện tử và webhook đã đến nơi nhận", done)
    return {"mails": [{"to": mail.to, "subject": mail.subject} for mail in mailbox.received] if mailbox else [],
            "webhooks": [{"event_type": hook.event["event_type"], "payload": hook.event["payload"],
                          "verified": hook.verified} for hook in webhooks.received] if webhooks else []}


@dataclass(frozen=True)
class Person:
    """An account the demo creates for the console, with the password shown once."""

    username: str
    role_vi: str
    password: str


async def create_people(system: LocalSystem, token: str) -> list[Person]:
    """Accounts for the console: the province's admin, the seed bloc's secretariat, an auditor, and an officer
    of each member unit (each with a new random password)."""
    data = seed()
    province, bloc_id = data["province"], data["bloc"]["bloc_id"]
    registry = Api(system.urls["registry"], token)
    people: list[Person] = []
    try:
        names = {unit["unit_id"]: unit["name"] for unit in await registry.get(f"/provinces/{province}/units")}
        wanted = [("quantri", "Quản trị của tỉnh", "admin", None, None),
                  ("thuky", "Thư ký khối", "bloc_secretary", None, bloc_id),
                  ("thanhtra", "Thanh tra, kiểm toán", "auditor", None, None)]
        wanted += [(f"cb.{unit_id}", f"Cán bộ {names[unit_id]}", "unit_officer", unit_id, None)
                   for unit_id in data["scores_2023"]]
        for username, title, role, unit_id, bloc in wanted:
            password = secrets.token_urlsafe(9)
            await registry.post(f"/provinces/{province}/accounts", {
                "username": username, "full_name": title, "role": role, "unit_id": unit_id, "bloc_id": bloc,
                "password": password})
            people.append(Person(username, title if role != "unit_officer" else "Cán bộ đơn vị", password))
    finally:
        await registry.close()
    return people


@dataclass(frozen=True)
class Names:
    """What people call the units and the award forms the narration speaks of."""

    units: dict[str, str]
    forms: dict[str, str]

    def of(self, unit_ids: list[str]) -> str:
        return ", ".join(self.units.get(unit_id, unit_id) for unit_id in unit_ids)


async def play_awards(system: LocalSystem, staff: Api, base: str, bloc_id: str, members: list[str],
                      plan: dict[str, Any], names: Names) -> dict[str, list[str]]:
    """The year-end conference votes (suy tôn), one form per unit; the bloc proposes; the other blocs honour
    their leaders; the council and the deciders decide. The units each form's vote honoured."""
    url = system.urls["awards"]
    secretary = Api(url, await system.issue_token("bloc_secretary", bloc_id=bloc_id))
    officers = {unit_id: Api(url, await system.issue_token("unit_officer", unit_id=unit_id))
                for unit_id in (*members, *plan["leaders_elsewhere"].values())}
    try:
        print("3. Khen thưởng: hội nghị tổng kết của các khối bỏ phiếu suy tôn, mỗi đơn vị thành viên bỏ một phiếu "
              "kín; đơn vị đã được đề nghị một hình thức không ứng cử hình thức khác", flush=True)
        for other_bloc, leader in plan["leaders_elsewhere"].items():
            other = Api(url, await system.issue_token("bloc_secretary", bloc_id=other_bloc))
            try:
                await _vote(other, officers, base, other_bloc, {
                    "vote_id": f"{other_bloc}-2023-prov-flag", "award_code": "PROV_FLAG", "places": 1,
                    "candidates": [leader], "choose": [leader]}, plan["opened_on"], [leader])
            finally:
                await other.close()
        print(f"   các khối khác suy tôn đơn vị dẫn đầu: {names.of(list(plan['leaders_elsewhere'].values()))}",
              flush=True)
        honoured: dict[str, list[str]] = {}
        for vote in plan["votes"]:
            tally = await _vote(secretary, officers, base, bloc_id, vote, plan["opened_on"], members)
            honoured[vote["award_code"]] = tally["honoured"]
            form = names.forms.get(vote["award_code"], vote["award_code"])
            print(f"   {form}: ứng cử {names.of(tally['candidates'])}; "
                  + "; ".join(f"{names.of([row['unit_id']])} {row['votes_for']}/{tally['members']} phiếu"
                              for row in tally["results"])
                  + f" → suy tôn {names.of(tally['honoured'])}", flush=True)
            for unit_id in tally["honoured"]:
                code = vote["award_code"]
                await secretary.post(f"{base}/proposals", {
                    "proposal_id": proposal_id(bloc_id, code, unit_id), "unit_id": unit_id, "year": 2023,
                    "award_code": code, "bloc_id": bloc_id, "filed_on": plan["filed_on"],
                    "documents": [{"kind": kind, "ref": ref} for kind, ref in plan["documents"][code]]})
        print("4. Khen thưởng: Hội đồng Thi đua - Khen thưởng tỉnh biểu quyết; Chủ tịch UBND tỉnh quyết định; "
              "Cờ thi đua của Chính phủ trình Thủ tướng trong hạn mức 20% số đơn vị dẫn đầu đạt tiêu chuẩn", flush=True)
        for code, units in honoured.items():
            for unit_id in units:
                proposal = f"{base}/proposals/{proposal_id(bloc_id, code, unit_id)}"
                await staff.post(f"{proposal}/council-votes", plan["council"])
                if code == "GOV_FLAG":
                    await staff.post(f"{proposal}/forwarding", plan["forwarding"])
                await staff.post(f"{proposal}/decision", plan["decisions"][code])
        return honoured
    finally:
        for api in (secretary, *officers.values()):
            await api.close()


async def _vote(secretary: Api, officers: dict[str, Api], base: str, bloc_id: str, vote: dict[str, Any],
                opened_on: str, voters: list[str]) -> dict[str, Any]:
    """Open the vote, let each member cast its ballot for the seed's choice, close it: the tally."""
    opened = {"vote_id": vote["vote_id"], "bloc_id": bloc_id, "year": 2023, "award_code": vote["award_code"],
              "opened_on": opened_on, "places": vote["places"]}
    if "candidates" in vote:
        opened["candidates"] = vote["candidates"]
    await secretary.post(f"{base}/votes", opened)
    for unit_id in voters:
        await officers[unit_id].post(f"{base}/votes/{vote['vote_id']}/ballots",
                                     {"voter_unit_id": unit_id, "choices": vote["choose"]})
    await secretary.post(f"{base}/votes/{vote['vote_id']}/closing", {"closed_on": opened_on})
    tally: dict[str, Any] = await secretary.get(f"{base}/votes/{vote['vote_id']}")
    return tally


def proposal_id(bloc_id: str, code: str, unit_id: str) -> str:
    short = {"GOV_FLAG": "gov-flag", "PROV_FLAG": "prov-flag"}.get(code, f"merit-{unit_id}")
    return f"{bloc_id}-2023-{short}"


STEPS = {"HonoringVoteOpened": "Khối mở bỏ phiếu suy tôn", "HonoringVoteClosed": "Khối kiểm phiếu",
         "AwardProposed": "Đề nghị khen thưởng", "ProposalReturned": "Trả hồ sơ để bổ sung",
         "ProposalResubmitted": "Nộp lại hồ sơ", "CouncilVoteRecorded": "Hội đồng Thi đua - Khen thưởng biểu quyết",
         "ForwardedToCentral": "Trình Trung ương", "AwardDecided": "Quyết định khen thưởng",
         "AwardRejected": "Không khen thưởng", "AwardRevoked": "Hủy bỏ quyết định"}


def step_detail(event_type: str, payload: dict[str, Any], unit: Callable[[str], str] = str) -> str:
    """One line on what a step of an award's trail recorded."""
    if event_type == "HonoringVoteClosed":
        return f"{payload['ballots_cast']} phiếu; suy tôn {'; '.join(unit(u) for u in payload['honoured'])}"
    if event_type == "CouncilVoteRecorded":
        return f"{payload['approve']}/{payload['members']} thành viên tán thành, cần {payload['required']}"
    if event_type == "ForwardedToCentral":
        return f"Tờ trình {payload['dossier_ref']} ngày {_day(payload['forwarded_on'])}"
    if event_type == "AwardDecided":
        return (f"Quyết định số {payload['decision_no']} ngày {_day(payload['decided_on'])} "
                f"của {payload['authority']}, theo bộ quy tắc {payload['rule_version']}")
    return ""


STATES = {"proposed": "đã đề nghị", "returned": "trả lại bổ sung", "approved": "Hội đồng đã thông qua",
          "forwarded": "đã trình Trung ương", "decided": "đã quyết định", "rejected": "không được khen thưởng",
          "revoked": "đã hủy bỏ"}
ROLES = {"chair": "Trưởng khối", "vice_chair": "Phó khối"}


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _hook_line(hook: dict[str, Any], unit: Callable[[str], str], forms: dict[str, str],
               blocs: dict[str, str]) -> str:
    """A webhook as a person reads it: what happened, to whom, in which bloc, by which decision."""
    doc = EVENT_DOCS.get(hook["event_type"])
    payload = hook["payload"]
    bloc = blocs.get(payload.get("bloc_id", ""), "")
    line = doc.title_vi if doc else hook["event_type"]
    if "award_code" in payload:
        line += f": {unit(payload['unit_id'])} → {forms.get(payload['award_code'], payload['award_code'])}"
        if payload.get("decision_no"):
            line += f", Quyết định số {payload['decision_no']} ngày {_day(payload['decided_on'])}"
    elif "elected_on" in payload:
        line += f": {unit(payload['unit_id'])}, {bloc or 'khối'} năm {payload['year']}"
    elif "ranking" in payload:
        line += f": {bloc or 'khối'} năm {payload['year']}" + (
            f", đứng đầu {unit(payload['ranking'][0]['unit_id'])}" if payload["ranking"] else "")
    return line + ("" if hook["verified"] else " (chữ ký KHÔNG hợp lệ)")


def show(views: dict[str, Any]) -> None:
    """What was recorded, as a provincial officer reads it: units, blocs and forms by name, dates as dd/mm/yyyy."""
    names: dict[str, str] = views["names"]
    forms: dict[str, str] = views["forms"]

    def unit(unit_id: str) -> str:
        return names.get(unit_id, unit_id)

    bloc = views["registry"]
    print(f"\n== Danh sách khối: {bloc['name']}, ngày {_day(bloc['as_of'])}")
    print(f"   Thành viên: {'; '.join(unit(m['unit_id']) for m in bloc['members'])}")
    supervisor = bloc["supervisor"]
    if supervisor:
        print(f"   Lãnh đạo phụ trách năm {supervisor['year']}: {supervisor['person_name']}, {supervisor['title']}")
    for handover in bloc["handovers"]:
        print(f"   Bàn giao ngày {_day(handover['handed_over_on'])}: {unit(handover['from_unit_id'])} → "
              f"{unit(handover['to_unit_id'])}")
    for leader in bloc["leadership"]:
        print(f"   {leader['year']} {ROLES.get(leader['role'], leader['role'])}: {unit(leader['unit_id'])} "
              f"({leader['votes_for']}/{leader['votes_cast']} phiếu, {leader['members']} thành viên)")
    board = views["scoring"]
    print(f"\n== Chấm điểm năm {board['year']}")
    for rank, score in enumerate(board["scores"], start=1):
        print(f"   {rank}. {unit(score['unit_id']):<32} {score['total']:>6} điểm")
    print("\n== Khen thưởng")
    for proposal in views["awards"]:
        decision = proposal.get("decision") or {}
        print(f"   {unit(proposal['unit_id'])} → {forms.get(proposal['award_code'], proposal['award_code'])} "
              f"({STATES.get(proposal['state'], proposal['state'])}; hạng {proposal['rank']}, {proposal['total']} điểm"
              + (f"; Quyết định số {decision['decision_no']} ngày {_day(decision['decided_on'])} của "
                 f"{decision['authority']}" if decision else "") + ")")
    why = views["explanation"]
    print(f"\n== Vì sao {unit(why['proposal']['unit_id'])} được đề nghị "
          f"{forms.get(why['proposal']['award_code'], why['proposal']['award_code'])}")
    leader = why["ranking"][0] if why["ranking"] else None
    if leader:
        print(f"   Xếp hạng năm {why['proposal']['year']}: {unit(leader['unit_id'])} đứng đầu với {leader['total']} "
              f"điểm (trong {len(why['ranking'])} đơn vị)")
    for step in why["steps"]:
        if step["event_type"] != "BallotCast":
            detail = step_detail(step["event_type"], step["payload"], unit)
            print(f"   {STEPS.get(step['event_type'], step['event_type'])}" + (f": {detail}" if detail else ""))
        for check in step.get("checks", []):
            print(f"     {'✓' if check['ok'] else '✗'} {check['message']} [{check['citation']}]")
    print("\n== Thông báo")
    for note in views["notifications"]:
        print(f"   • {note['text_vi']}")
    if views.get("mails"):
        print(f"\n== Thư điện tử đã gửi ({len(views['mails'])} thư, máy chủ SMTP thử trên máy này)")
        for mail in views["mails"]:
            print(f"   ✉ {mail['to']}: {mail['subject']}")
    if views.get("webhooks"):
        print(f"\n== Webhook đã gửi tới Cổng thông tin của tỉnh ({len(views['webhooks'])} lần, "
              f"{sum(hook['verified'] for hook in views['webhooks'])} có chữ ký hợp lệ)")
        for hook in views["webhooks"]:
            print(f"   ⇢ {_hook_line(hook, unit, forms, views['blocs'])}")
