"""``thidua audit as-of TIME --bloc B --year Y``: a bloc-year as it stood at a moment, folded from the logs alone.

Only the events recorded (``recorded_at``) by ``TIME`` count: the bloc's members and leaders (registry), its scoring
table, final scores and ranking (scoring), its honouring votes by their tallies, its proposals and their states, and
the decisions on them (awards). Names too are those the logs held then.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

import typer

from thidua_cli.audit_logs import (
    LANGUAGES,
    LogRecord,
    Logs,
    Names,
    day,
    local_time,
    names_from,
    points,
    read_logs,
    service_urls,
)
from thidua_shared.clock import province_zone

_LOCAL = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_moment(text: str) -> datetime:
    """``dd/mm/yyyy[ HH:MM[:SS]]`` in Viet Nam's time (a day alone means its end), or ISO 8601 (Viet Nam's time
    when it names no offset)."""
    found = _LOCAL.match(text.strip())
    if found:
        day_, month, year, hour, minute, second = found.groups()
        if hour is None:
            start = datetime(int(year), int(month), int(day_), tzinfo=province_zone())
            return start + timedelta(days=1) - timedelta(microseconds=1)
        return datetime(int(year), int(month), int(day_), int(hour), int(minute), int(second or 0),
                        tzinfo=province_zone())
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=province_zone())


@dataclass
class _Proposal:
    filed: LogRecord
    state: str = "proposed"
    frozen: bool = False
    decision: dict[str, Any] | None = None
    revocation: dict[str, Any] | None = None
    council: dict[str, Any] | None = None


def fold(logs: Logs, bloc_id: str, year: int, names: Names) -> dict[str, Any]:
    """The bloc-year's state from the events of ``logs`` (already cut at the moment asked)."""
    registry, scoring, awards = logs.of("registry"), logs.of("scoring"), logs.of("awards")
    members: dict[str, dict[str, Any]] = {}
    leaders: dict[tuple[int, str], dict[str, Any]] = {}
    supervisor: dict[str, Any] | None = None
    handovers: list[dict[str, Any]] = []
    for event in registry:
        payload = event.payload
        if payload.get("bloc_id") != bloc_id:
            continue
        if event.type == "UnitJoinedBloc":
            members[payload["unit_id"]] = {"unit_id": payload["unit_id"], "unit": names.unit(payload["unit_id"]),
                                           "joined_on": payload["effective_on"], "left_on": None}
        elif event.type == "UnitLeftBloc" and payload["unit_id"] in members:
            members[payload["unit_id"]]["left_on"] = payload["effective_on"]
        elif event.type in ("ChairElected", "ViceChairElected") and payload["year"] in (year, year + 1):
            role = "chair" if event.type == "ChairElected" else "vice_chair"
            leaders[(payload["year"], role)] = {
                "year": payload["year"], "role": role, "unit_id": payload["unit_id"],
                "unit": names.unit(payload["unit_id"]), "votes_for": payload["votes_for"],
                "votes_cast": payload["votes_cast"], "members": payload["members"], "elected_on": payload["elected_on"],
                "confirmed": None}
        elif event.type == "LeaderElectionConfirmed" and (payload["year"], payload["role"]) in leaders \
                and leaders[(payload["year"], payload["role"])]["unit_id"] == payload["unit_id"]:
            leaders[(payload["year"], payload["role"])]["confirmed"] = {
                "on": payload["confirmed_on"], "decision_ref": payload["decision_ref"]}
        elif event.type == "ChairHandedOver" and payload["handed_over_on"][:4] in (str(year), str(year + 1)):
            handovers.append({"from_unit": names.unit(payload["from_unit_id"]),
                              "to_unit": names.unit(payload["to_unit_id"]), **payload})
        elif event.type == "BlocSupervisorAssigned" and payload["year"] in (year, year + 1):
            supervisor = {"person_name": payload["person_name"], "title": payload["title"], "year": payload["year"]}

    in_year = [event for event in scoring if event.payload.get("bloc_id") == bloc_id
               and event.payload.get("year") == year]
    table = next((event.payload for event in reversed(in_year) if event.type == "ScoringTableAdopted"), None)
    scores: dict[str, dict[str, Any]] = {}
    ranking: dict[str, Any] | None = None
    for event in in_year:
        if event.type == "UnitScored":
            scores[event.payload["unit_id"]] = {"unit_id": event.payload["unit_id"],
                                                "unit": names.unit(event.payload["unit_id"]),
                                                "total": event.payload["total"], "band": event.payload.get("band")}
        elif event.type == "RankingPublished":
            ranking = {"version": event.payload.get("version", 1), "published_at": event.envelope["recorded_at"],
                       "ranking": [{**row, "unit": names.unit(row["unit_id"])} for row in event.payload["ranking"]]}

    votes: dict[str, dict[str, Any]] = {}
    proposals: dict[str, _Proposal] = {}
    for event in awards:
        payload = event.payload
        if event.type == "HonoringVoteOpened" and payload["bloc_id"] == bloc_id and payload["year"] == year:
            votes[payload["vote_id"]] = {"vote_id": payload["vote_id"], "award_code": payload["award_code"],
                                         "award": names.form(payload["award_code"]), "state": "open",
                                         "candidates": payload.get("candidates", []), "members": payload["members"],
                                         "ballots_cast": 0, "results": [], "honoured": [],
                                         "rule_version": payload.get("rule_version")}
        elif event.type == "BallotCast" and payload["vote_id"] in votes:
            votes[payload["vote_id"]]["ballots_cast"] += 1
        elif event.type == "HonoringVoteClosed" and payload["vote_id"] in votes:
            votes[payload["vote_id"]].update(state="closed", ballots_cast=payload["ballots_cast"],
                                             results=payload.get("results", []), honoured=payload.get("honoured", []))
        elif event.type == "AwardProposed" and payload.get("bloc_id") == bloc_id and payload["year"] == year:
            proposals[payload["proposal_id"]] = _Proposal(event)
        elif payload.get("proposal_id") in proposals:
            _advance(proposals[payload["proposal_id"]], event)

    return {
        "bloc_id": bloc_id, "bloc": names.bloc(bloc_id), "year": year,
        "members": sorted((member for member in members.values() if _in_year(member, year)),
                          key=lambda member: str(member["unit"])),
        "leaders": [leaders[key] for key in sorted(leaders)], "supervisor": supervisor,
        "handovers": handovers,
        "scoring_table": table,
        "scores": sorted(scores.values(), key=lambda score: -float(score["total"])),
        "ranking": ranking, "votes": list(votes.values()),
        "proposals": [_shown(proposal, names) for proposal in proposals.values()],
    }


def _in_year(member: dict[str, Any], year: int) -> bool:
    """A membership that overlaps the year (joined by its end, not left before its start)."""
    return str(member["joined_on"]) <= f"{year}-12-31" and (member["left_on"] is None
                                                             or str(member["left_on"]) >= f"{year}-01-01")


def _advance(proposal: _Proposal, event: LogRecord) -> None:
    payload = event.payload
    if event.type == "ProposalReturned":
        proposal.state = "returned"
    elif event.type == "ProposalResubmitted":
        proposal.state = "proposed"
    elif event.type == "CouncilVoteRecorded":
        proposal.council = {name: payload.get(name) for name in ("approve", "members", "required", "passed", "held_on")}
        proposal.state = "approved" if payload.get("passed", True) else "council_rejected"
    elif event.type == "ForwardedToCentral":
        proposal.state = "forwarded"
    elif event.type == "AwardDecided":
        proposal.state = "decided"
        proposal.decision = {name: payload.get(name) for name in (
            "decision_no", "decided_on", "authority", "rule_version", "reward_vnd")}
    elif event.type == "AwardRejected":
        proposal.state = "rejected"
    elif event.type == "AwardRevoked":
        proposal.state = "revoked"
        proposal.revocation = {name: payload.get(name) for name in ("decision_no", "revoked_on", "reason")}
    elif event.type in ("AwardFrozen", "AwardUnfrozen"):
        proposal.frozen = event.type == "AwardFrozen"


def _shown(proposal: _Proposal, names: Names) -> dict[str, Any]:
    filed = proposal.filed.payload
    return {"proposal_id": filed["proposal_id"], "unit_id": filed["unit_id"], "unit": names.unit(filed["unit_id"]),
            "award_code": filed["award_code"], "award": names.form(filed["award_code"]),
            "rule_version": (filed.get("basis") or {}).get("rule_version"), "filed_on": filed.get("filed_on"),
            "state": proposal.state, "frozen": proposal.frozen, "council": proposal.council,
            "decision": proposal.decision, "revocation": proposal.revocation}


WORDS = {
    "vi": {"title": "{bloc}, năm {year}, như nhật ký ghi đến {moment} (giờ Việt Nam)",
           "members": "Thành viên ({count}):", "member": "  • {unit} (từ {joined}{left})", "left": ", rời {on}",
           "leaders": "Lãnh đạo khối:", "no_leaders": "Lãnh đạo khối: chưa bầu",
           "leader": "  • {role} năm {year}: {unit} ({votes_for}/{votes_cast} phiếu, bầu ngày {on}){confirmed}",
           "confirmed": "; tỉnh công nhận ngày {on}, {decision_ref}",
           "chair": "Trưởng khối", "vice_chair": "Phó khối",
           "supervisor": "Lãnh đạo phụ trách năm {year}: {person_name}, {title}",
           "handover": "Bàn giao Trưởng khối ngày {on}: {from_unit} → {to_unit}",
           "table": "Bảng chấm điểm: phiên bản {version}, {criteria} tiêu chí, cách tính {method}",
           "no_table": "Bảng chấm điểm: không có trong nhật ký",
           "scores": "Điểm tổng kết:", "no_scores": "Điểm tổng kết: chưa có",
           "score": "  • {unit}: {total} điểm",
           "ranking": "Xếp hạng đã công bố (lần {version}, lúc {at}):", "no_ranking": "Xếp hạng: chưa công bố",
           "rank": "  {rank}. {unit}: {total} điểm",
           "votes": "Bỏ phiếu suy tôn:", "no_votes": "Bỏ phiếu suy tôn: chưa có",
           "vote_open": "  • {award}: đang mở, {ballots} phiếu đã bỏ ({members} thành viên)",
           "vote_closed": "  • {award}: {ballots} phiếu; {results}; suy tôn {honoured}",
           "votes_for": "{unit} {votes}", "proposals": "Đề nghị khen thưởng:", "no_proposals": "Đề nghị: chưa có",
           "proposal": "  • {unit} → {award}: {state}{frozen} (bộ quy tắc {rule_version})",
           "frozen": ", đang tạm dừng",
           "decision": "      Quyết định số {decision_no} ngày {decided_on} của {authority}",
           "revocation": "      Hủy bỏ bằng Quyết định số {decision_no} ngày {revoked_on}: {reason}",
           "states": {"proposed": "đã đề nghị", "returned": "trả lại bổ sung", "approved": "Hội đồng đã thông qua",
                      "council_rejected": "Hội đồng không thông qua", "forwarded": "đã trình Trung ương",
                      "decided": "đã quyết định", "rejected": "không được khen thưởng", "revoked": "đã hủy bỏ"}},
    "en": {"title": "{bloc}, year {year}, as the logs stood at {moment} (Viet Nam time)",
           "members": "Members ({count}):", "member": "  • {unit} (from {joined}{left})", "left": ", left {on}",
           "leaders": "Leaders:", "no_leaders": "Leaders: none elected",
           "leader": "  • {role} for {year}: {unit} ({votes_for}/{votes_cast} votes, elected on {on}){confirmed}",
           "confirmed": "; confirmed by the province on {on}, {decision_ref}",
           "chair": "Chair", "vice_chair": "Vice-chair",
           "supervisor": "Supervisor for {year}: {person_name}, {title}",
           "handover": "Chair handed over on {on}: {from_unit} → {to_unit}",
           "table": "Scoring table: version {version}, {criteria} criteria, method {method}",
           "no_table": "Scoring table: none in the log",
           "scores": "Final scores:", "no_scores": "Final scores: none yet",
           "score": "  • {unit}: {total} points",
           "ranking": "Ranking published (version {version}, at {at}):", "no_ranking": "Ranking: not published",
           "rank": "  {rank}. {unit}: {total} points",
           "votes": "Honouring votes:", "no_votes": "Honouring votes: none",
           "vote_open": "  • {award}: open, {ballots} ballots cast ({members} members)",
           "vote_closed": "  • {award}: {ballots} ballots; {results}; honoured {honoured}",
           "votes_for": "{unit} {votes}", "proposals": "Award proposals:", "no_proposals": "Proposals: none",
           "proposal": "  • {unit} → {award}: {state}{frozen} (rule version {rule_version})",
           "frozen": ", frozen",
           "decision": "      Decision No. {decision_no} of {decided_on} by {authority}",
           "revocation": "      Revoked by Decision No. {decision_no} of {revoked_on}: {reason}",
           "states": {"proposed": "proposed", "returned": "returned for completion",
                      "approved": "passed by the council",
                      "council_rejected": "not passed by the council", "forwarded": "forwarded to the central level",
                      "decided": "decided", "rejected": "rejected", "revoked": "revoked"}},
}


def _confirmation(leader: dict[str, Any], words: dict[str, Any]) -> str:
    confirmed = leader.get("confirmed")
    if not confirmed:  # a province need not confirm its blocs' elections
        return ""
    return str(words["confirmed"].format(on=day(confirmed["on"]), decision_ref=confirmed["decision_ref"]))


def render(state: dict[str, Any], moment: datetime, names: Names) -> list[str]:
    words: dict[str, Any] = WORDS[names.language]
    language = names.language
    lines = [words["title"].format(bloc=state["bloc"], year=state["year"],
                                   moment=local_time(moment.isoformat()))]
    lines.append(words["members"].format(count=len(state["members"])))
    lines += [words["member"].format(unit=member["unit"], joined=day(member["joined_on"]),
                                     left=words["left"].format(on=day(member["left_on"])) if member["left_on"] else "")
              for member in state["members"]]
    lines.append(words["leaders"] if state["leaders"] else words["no_leaders"])
    lines += [words["leader"].format(role=words[leader["role"]], year=leader["year"], unit=leader["unit"],
                                     votes_for=leader["votes_for"], votes_cast=leader["votes_cast"],
                                     on=day(leader["elected_on"]), confirmed=_confirmation(leader, words))
              for leader in state["leaders"]]
    if state["supervisor"]:
        lines.append(words["supervisor"].format(**state["supervisor"]))
    lines += [words["handover"].format(on=day(handover["handed_over_on"]), from_unit=handover["from_unit"],
                                       to_unit=handover["to_unit"]) for handover in state["handovers"]]
    table = state["scoring_table"]
    lines.append(words["table"].format(version=table["table_version"], criteria=len(table["criteria"]),
                                       method=table.get("method", "-")) if table else words["no_table"])
    lines.append(words["scores"] if state["scores"] else words["no_scores"])
    lines += [words["score"].format(unit=score["unit"], total=points(score["total"], language))
              for score in state["scores"]]
    ranking = state["ranking"]
    if ranking:
        lines.append(words["ranking"].format(version=ranking["version"], at=local_time(ranking["published_at"])))
        lines += [words["rank"].format(rank=row["rank"], unit=row["unit"], total=points(row["total"], language))
                  for row in ranking["ranking"]]
    else:
        lines.append(words["no_ranking"])
    lines.append(words["votes"] if state["votes"] else words["no_votes"])
    for vote in state["votes"]:
        if vote["state"] == "open":
            lines.append(words["vote_open"].format(award=vote["award"], ballots=vote["ballots_cast"],
                                                   members=vote["members"]))
        else:
            results = ", ".join(words["votes_for"].format(unit=names.unit(row["unit_id"]), votes=row["votes_for"])
                                for row in vote["results"])
            lines.append(words["vote_closed"].format(award=vote["award"], ballots=vote["ballots_cast"],
                                                     results=results or "-",
                                                     honoured=names.units_of(vote["honoured"])))
    lines.append(words["proposals"] if state["proposals"] else words["no_proposals"])
    for proposal in state["proposals"]:
        lines.append(words["proposal"].format(unit=proposal["unit"], award=proposal["award"],
                                              state=words["states"].get(proposal["state"], proposal["state"]),
                                              frozen=words["frozen"] if proposal["frozen"] else "",
                                              rule_version=proposal["rule_version"] or "-"))
        if proposal["decision"]:
            decision = proposal["decision"]
            lines.append(words["decision"].format(decision_no=decision["decision_no"],
                                                  decided_on=day(decision["decided_on"]),
                                                  authority=decision["authority"]))
        if proposal["revocation"]:
            revocation = proposal["revocation"]
            lines.append(words["revocation"].format(decision_no=revocation["decision_no"],
                                                    revoked_on=day(revocation["revoked_on"]),
                                                    reason=revocation["reason"]))
    return lines


def as_of(
    moment: Annotated[str, typer.Argument(
        metavar="TIME", help="dd/mm/yyyy[ HH:MM] in Viet Nam's time (a day alone: its end), or ISO 8601")],
    bloc: Annotated[str, typer.Option(help="the bloc's id")],
    year: Annotated[int, typer.Option(help="the year of the bloc's emulation")],
    province: Annotated[str, typer.Option(help="the province audited, e.g. HNM")],
    token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN", help="an auditor token of the province")],
    url: Annotated[list[str] | None, typer.Option(
        help="a service's URL (repeatable); default: THIDUA_<SERVICE>_URL of registry, scoring and awards")] = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
    as_json_: Annotated[bool, typer.Option("--json", help="the state as JSON, for machines")] = False,
) -> None:
    """A bloc-year as it was at TIME: members, leaders, scores, ranking, vote tallies, proposals and decisions."""
    language = lang if lang in LANGUAGES else "vi"
    try:
        when = parse_moment(moment)
    except ValueError as error:
        raise typer.BadParameter(f"TIME: dd/mm/yyyy[ HH:MM] or ISO 8601 ({error})") from error
    logs = asyncio.run(read_logs(service_urls(url), token, province, language)).until(when)
    names = names_from(logs, language)
    state = fold(logs, bloc, year, names)
    if as_json_:
        typer.echo(json.dumps({"as_of": when.isoformat(), "logs": logs.heads(), **state}, ensure_ascii=False,
                              indent=2))
    else:
        for line in render(state, when, names):
            typer.echo(line)

