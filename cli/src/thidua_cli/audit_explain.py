"""``thidua audit explain PROPOSAL_ID``: why a unit got (or was proposed for) an award, told from the logs alone.

The chain runs across services: the unit and its bloc in the registry, its final scores and the ranking published
in scoring, then in awards the honouring vote (its tally only: ballots are secret), the proposal, the council's vote,
the forwarding to the central level, the decision, and any freeze or revocation. Steps are linked by the ids their
payloads name (``proposal_id``, ``basis.vote_id``, bloc, year and unit) and by ``causation_id``/``correlation_id``
where the envelopes carry them. A step the chain should have and the logs lack is said plainly.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import typer

from thidua_cli.audit_chain import Chain, Step, build_chain
from thidua_cli.audit_logs import (
    LANGUAGES,
    Logs,
    Names,
    actor_words,
    day,
    local_time,
    names_from,
    points,
    read_logs,
    service_urls,
)

WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Chuỗi căn cứ của đề nghị {proposal_id}: {unit} → {award}, năm {year}, {bloc}",
        "no_proposal": "Không có đề nghị {proposal_id} trong nhật ký của dịch vụ khen thưởng.",
        "rule": "Bộ quy tắc áp dụng: {rule_version}",
        "rule_logged": " (tỉnh ban hành, có trong nhật ký khen thưởng)",
        "rule_national": " (bộ quy tắc mặc định theo pháp luật, không ghi trong nhật ký của tỉnh)",
        "chain": "Nhật ký {service}: {events} sự kiện, đầu chuỗi ở vị trí {head_position}, {state}",
        "intact": "chuỗi băm toàn vẹn", "broken": "CHUỖI BĂM CÓ {problems} VẤN ĐỀ (chạy thidua audit verify)",
        "who": "     thực hiện: {actor}; xảy ra {occurred}; ghi nhận {recorded}",
        "where": "     sự kiện {event_id}, {service} vị trí {position}, băm {hash}",
        "link": "     liên kết qua {linked_by}{rule}",
        "rule_of": "; bộ quy tắc {rule_version}",
        "missing": "THIẾU trong chuỗi: {what}",
        "complete": "Chuỗi đầy đủ: không thiếu bước nào.",
        "unit": "Đơn vị {name} được đăng ký", "unit_renamed": "Đơn vị đổi tên thành {name}",
        "bloc": "Thành lập {name}", "membership": "{unit} vào {bloc} từ ngày {on}",
        "membership_left": "{unit} rời {bloc} từ ngày {on}",
        "score": "Điểm tổng kết năm {year} của {unit}: {total} điểm",
        "adjusted": "Điều chỉnh điểm tiêu chí {code} của {unit}: {from_points} → {to_points} ({reason})",
        "ranking": "Công bố xếp hạng (lần {version}): {unit} hạng {rank}/{units}, {total} điểm{match}",
        "ranking_corrected": "Xếp hạng công bố lại SAU khi nộp đề nghị (lần {version}): {unit} hạng {rank}/{units}, "
                             "{total} điểm{match}",
        "checks": "     {passed}/{count} điều kiện đạt{failed}", "failed_checks": "; KHÔNG đạt: {which}",
        "match": "; khớp căn cứ của đề nghị", "mismatch": "; KHÔNG khớp căn cứ của đề nghị",
        "vote_opened": "Mở bỏ phiếu suy tôn {award}: ứng cử {candidates}; {members} thành viên, {places} suất",
        "vote_closed": "Kiểm phiếu: {ballots} phiếu ({logged} lượt bỏ phiếu trong nhật ký, {invalid} không hợp lệ); "
                       "{results}; suy tôn {honoured}",
        "votes_for": "{unit} {votes} phiếu", "tied": "; hòa ở suất cuối: {units} (bỏ phiếu lại)",
        "runoff": " (vòng bỏ phiếu lại)",
        "rulebook": "Bộ quy tắc {version} có hiệu lực từ ngày {effective}",
        "AwardProposed": "Đề nghị {award} cho {unit} (nộp ngày {filed_on}; hạng {rank}, {total} điểm)",
        "ProposalReturned": "Trả hồ sơ ngày {returned_on}: {reason}",
        "ProposalResubmitted": "Nộp lại hồ sơ ngày {resubmitted_on}",
        "CouncilVoteRecorded": "Hội đồng Thi đua - Khen thưởng biểu quyết ngày {held_on}: {approve}/{members} tán "
                               "thành ({present} có mặt, {written_votes} bằng văn bản), cần {required}: {passed}",
        "passed": "thông qua", "failed": "không thông qua",
        "ForwardedToCentral": "Trình Trung ương: Tờ trình {dossier_ref} ngày {forwarded_on}",
        "AwardDecided": "Quyết định số {decision_no} ngày {decided_on} của {authority}",
        "AwardRejected": "Không khen thưởng ngày {rejected_on}: {reason}",
        "AwardRevoked": "Hủy bỏ bằng Quyết định số {decision_no} ngày {revoked_on}: {reason}",
        "AwardFrozen": "Tạm dừng xét khen thưởng ({ref}): {reason}",
        "AwardUnfrozen": "Tiếp tục xét khen thưởng ({ref}): {reason}",
        "AwardFlagged": "Được đánh dấu để xem xét lại vì dựa trên khen thưởng đã bị hủy",
    },
    "en": {
        "title": "The chain of proposal {proposal_id}: {unit} → {award}, year {year}, {bloc}",
        "no_proposal": "The awards log has no proposal {proposal_id}.",
        "rule": "Rule version applied: {rule_version}",
        "rule_logged": " (the province's own, in the awards log)",
        "rule_national": " (a national default set by law, not recorded in the province's log)",
        "chain": "{service} log: {events} events, head at position {head_position}, {state}",
        "intact": "hash chain intact", "broken": "HASH CHAIN HAS {problems} PROBLEMS (run thidua audit verify)",
        "who": "     by: {actor}; occurred {occurred}; recorded {recorded}",
        "where": "     event {event_id}, {service} position {position}, hash {hash}",
        "link": "     linked by {linked_by}{rule}",
        "rule_of": "; rule version {rule_version}",
        "missing": "MISSING from the chain: {what}",
        "complete": "The chain is complete: no step is missing.",
        "unit": "Unit {name} registered", "unit_renamed": "Unit renamed {name}",
        "bloc": "{name} established", "membership": "{unit} joined {bloc} from {on}",
        "membership_left": "{unit} left {bloc} from {on}",
        "score": "{unit}'s final score for {year}: {total} points",
        "adjusted": "{unit}'s criterion {code} adjusted: {from_points} → {to_points} ({reason})",
        "ranking": "Ranking published (version {version}): {unit} ranked {rank} of {units}, {total} points{match}",
        "ranking_corrected": "Ranking published again AFTER the proposal was filed (version {version}): {unit} ranked "
                             "{rank} of {units}, {total} points{match}",
        "checks": "     {passed} of {count} conditions met{failed}", "failed_checks": "; NOT met: {which}",
        "match": "; matches the proposal's basis", "mismatch": "; does NOT match the proposal's basis",
        "vote_opened": "Honouring vote for {award} opened: candidates {candidates}; {members} members, {places} places",
        "vote_closed": "Vote closed: {ballots} ballots ({logged} ballots cast in the log, {invalid} invalid); "
                       "{results}; honoured {honoured}",
        "votes_for": "{unit} {votes} votes", "tied": "; tied at the last place: {units} (a new round)",
        "runoff": " (a runoff)",
        "rulebook": "Rulebook {version} in force from {effective}",
        "AwardProposed": "{award} proposed for {unit} (filed {filed_on}; ranked {rank}, {total} points)",
        "ProposalReturned": "Dossier returned on {returned_on}: {reason}",
        "ProposalResubmitted": "Dossier resubmitted on {resubmitted_on}",
        "CouncilVoteRecorded": "Provincial council voted on {held_on}: {approve}/{members} for ({present} present, "
                               "{written_votes} in writing), {required} needed: {passed}",
        "passed": "passed", "failed": "not passed",
        "ForwardedToCentral": "Forwarded to the central level: submission {dossier_ref} of {forwarded_on}",
        "AwardDecided": "Decision No. {decision_no} of {decided_on} by {authority}",
        "AwardRejected": "Rejected on {rejected_on}: {reason}",
        "AwardRevoked": "Revoked by Decision No. {decision_no} of {revoked_on}: {reason}",
        "AwardFrozen": "Frozen ({ref}): {reason}",
        "AwardUnfrozen": "Unfrozen ({ref}): {reason}",
        "AwardFlagged": "Flagged for review: it rests on an award since revoked",
    },
}
LINKS = {
    "vi": {"unit_id": "mã đơn vị", "bloc_id": "mã khối", "bloc_id+unit_id": "khối và đơn vị",
           "bloc_id+year+unit_id": "khối, năm và đơn vị", "bloc_id+year": "khối và năm",
           "basis.vote_id": "cuộc bỏ phiếu ghi trong căn cứ của đề nghị",
           "basis.rule_version": "bộ quy tắc ghi trong căn cứ của đề nghị", "proposal_id": "mã đề nghị",
           "rests_on": "đề nghị mà nó dựa vào", "runoff_of": "cuộc bỏ phiếu mà vòng sau quyết định"},
    "en": {"unit_id": "the unit's id", "bloc_id": "the bloc's id", "bloc_id+unit_id": "bloc and unit",
           "bloc_id+year+unit_id": "bloc, year and unit", "bloc_id+year": "bloc and year",
           "basis.vote_id": "the vote named in the proposal's basis",
           "basis.rule_version": "the rule version named in the proposal's basis", "proposal_id": "the proposal's id",
           "rests_on": "the proposal it rests on", "runoff_of": "the vote whose tie the runoff decided"},
}
MISSING = {
    "vi": {"proposal": "đề nghị", "unit": "đăng ký đơn vị (sổ đăng ký)", "bloc": "thành lập khối (sổ đăng ký)",
           "membership": "đơn vị vào khối (sổ đăng ký)", "score": "điểm tổng kết (UnitScored)",
           "ranking": "không tìm thấy bảng xếp hạng đã công bố (RankingPublished)",
           "vote": "đề nghị không dựa trên cuộc bỏ phiếu suy tôn nào", "vote_opened": "mở bỏ phiếu suy tôn",
           "vote_closed": "kiểm phiếu suy tôn", "council_vote": "biểu quyết của Hội đồng",
           "forwarding": "trình Trung ương", "decision": "quyết định (chưa có quyết định nào)",
           "log:registry": "nhật ký của sổ đăng ký (không được đọc)",
           "log:scoring": "nhật ký chấm điểm (không được đọc)",
           "log:awards": "nhật ký khen thưởng (không được đọc)"},
    "en": {"proposal": "the proposal", "unit": "the unit's registration (registry)",
           "bloc": "the bloc's establishment (registry)", "membership": "the unit joining the bloc (registry)",
           "score": "the final score (UnitScored)", "ranking": "no published ranking found (RankingPublished)",
           "vote": "the proposal rests on no honouring vote", "vote_opened": "the honouring vote's opening",
           "vote_closed": "the honouring vote's tally", "council_vote": "the council's vote",
           "forwarding": "the forwarding to the central level", "decision": "a decision (none yet)",
           "log:registry": "the registry's log (not read)", "log:scoring": "the scoring log (not read)",
           "log:awards": "the awards log (not read)"},
}


def step_line(step: Step, names: Names, subject: dict[str, Any]) -> str:
    words = WORDS[names.language]
    payload, language = step.event.payload, names.language
    unit = names.unit(payload.get("unit_id"))
    if step.kind == "unit":
        return words["unit" if step.event.type == "UnitRegistered" else "unit_renamed"].format(name=payload["name"])
    if step.kind == "bloc":
        return words["bloc"].format(name=payload["name"])
    if step.kind == "membership":
        key = "membership" if step.event.type == "UnitJoinedBloc" else "membership_left"
        return words[key].format(unit=unit, bloc=names.bloc(payload["bloc_id"]), on=day(payload["effective_on"]))
    if step.kind == "score":
        if step.event.type == "ScoreAdjusted":
            return words["adjusted"].format(unit=unit, code=payload["code"], reason=payload["reason"],
                                            from_points=points(payload["from_points"], language),
                                            to_points=points(payload["to_points"], language))
        return words["score"].format(unit=unit, year=payload["year"], total=points(payload["total"], language))
    if step.kind in ("ranking", "ranking_corrected"):
        facts = step.facts
        return words[step.kind].format(version=facts["version"], unit=subject["unit"], rank=facts["rank"] or "-",
                                       units=facts["units"], total=points(facts["total"], language),
                                       match=words["match" if facts["matches_basis"] else "mismatch"])
    if step.kind == "vote_opened":
        return words["vote_opened"].format(award=names.form(payload.get("award_code")),
                                           candidates=names.units_of(payload.get("candidates", [])),
                                           members=payload.get("members"), places=payload.get("places") or "-") \
            + (words["runoff"] if payload.get("runoff_of") else "")
    if step.kind == "vote_closed":
        results = ", ".join(words["votes_for"].format(unit=names.unit(row["unit_id"]), votes=row["votes_for"])
                            for row in payload.get("results", []))
        tied = words["tied"].format(units=names.units_of(payload["tied"])) if payload.get("tied") else ""
        return words["vote_closed"].format(ballots=payload.get("ballots_cast"), logged=step.facts["ballots_logged"],
                                           invalid=payload.get("invalid_ballots", 0), results=results or "-",
                                           honoured=names.units_of(payload.get("honoured", []))) + tied
    if step.kind == "rulebook":
        return words["rulebook"].format(version=payload["version"], effective=day(payload["effective_from"]))
    if step.kind == "AwardProposed":
        basis = payload.get("basis") or {}
        return words["AwardProposed"].format(award=names.form(payload["award_code"]), unit=unit,
                                             filed_on=day(payload.get("filed_on")), rank=basis.get("rank") or "-",
                                             total=points(basis.get("total"), language))
    if step.kind == "CouncilVoteRecorded":
        return words["CouncilVoteRecorded"].format(
            held_on=day(payload.get("held_on")), approve=payload["approve"], members=payload["members"],
            present=payload["present"], written_votes=payload["written_votes"], required=payload.get("required", "-"),
            passed=words["passed" if payload.get("passed", True) else "failed"])
    template = words.get(step.kind)
    if template is None:
        return step.event.type
    values = {name: (day(value) if name.endswith("_on") or name == "on" else value)
              for name, value in payload.items()}
    return template.format_map(_Blank(values))


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "-"


def render(chain: Chain, logs: Logs, names: Names) -> list[str]:
    words = WORDS[names.language]
    if not chain.steps and "proposal" in chain.missing:
        return [words["no_proposal"].format(proposal_id=chain.proposal_id)]
    subject = chain.subject
    version = subject["rule_version"] or "-"
    where = words["rule_logged" if version in names.rulebooks else "rule_national"]
    lines = [words["title"].format(**subject), words["rule"].format(rule_version=version) + where]
    for service, head in logs.heads().items():
        state = words["intact"] if head["chain_intact"] else words["broken"].format(problems=head["problems"])
        lines.append(words["chain"].format(service=service, events=head["events"],
                                           head_position=head["head_position"], state=state))
    lines.append("")
    for number, step in enumerate(chain.steps, start=1):
        reference = step.event.reference()
        rule_version = step.as_json()["rule_version"]
        said = step_line(step, names, subject)
        lines.append(f"{number}. {said[:1].upper()}{said[1:]}")
        lines.append(words["who"].format(actor=actor_words(reference["actor"], names),
                                         occurred=local_time(reference["occurred_at"]),
                                         recorded=local_time(reference["recorded_at"])))
        lines.append(words["where"].format(event_id=reference["event_id"], service=reference["service"],
                                           position=reference["position"], hash=reference["hash"]))
        checks = step.facts.get("checks") or []
        if checks:
            failed = [check["citation_en" if names.language == "en" and check["citation_en"] else "citation"]
                      for check in checks if not check["ok"]]
            lines.append(words["checks"].format(
                passed=len(checks) - len(failed), count=len(checks),
                failed=words["failed_checks"].format(which="; ".join(failed)) if failed else ""))
        lines.append(words["link"].format(
            linked_by=LINKS[names.language].get(step.linked_by, step.linked_by),
            rule=words["rule_of"].format(rule_version=rule_version) if rule_version else ""))
    lines.append("")
    if chain.missing:
        lines += [words["missing"].format(what=MISSING[names.language].get(what, what)) for what in chain.missing]
    else:
        lines.append(words["complete"])
    return lines


def as_json(chain: Chain, logs: Logs) -> dict[str, Any]:
    return {"proposal": chain.subject or {"proposal_id": chain.proposal_id}, "logs": logs.heads(),
            "steps": [step.as_json() for step in chain.steps], "missing": chain.missing,
            "complete": not chain.missing}


def explain(
    proposal_id: Annotated[str, typer.Argument(help="the proposal's id, e.g. khoi-ban-dang-2023-gov-flag")],
    province: Annotated[str, typer.Option(help="the province audited, e.g. HNM")],
    token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN", help="an auditor token of the province")],
    url: Annotated[list[str] | None, typer.Option(
        help="a service's URL (repeatable); default: THIDUA_<SERVICE>_URL of registry, scoring and awards")] = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
    as_json_: Annotated[bool, typer.Option("--json", help="the chain as JSON, for machines")] = False,
) -> None:
    """Why a unit got an award, from the logs alone: scores, ranking, vote tally, proposal, council, decision.

    Exits 1 when the proposal is not in the awards log or a log's hash chain does not hold."""
    language = lang if lang in LANGUAGES else "vi"
    logs = asyncio.run(read_logs(service_urls(url), token, province, language))
    names = names_from(logs, language)
    chain = build_chain(logs, proposal_id, names)
    if as_json_:
        typer.echo(json.dumps(as_json(chain, logs), ensure_ascii=False, indent=2))
    else:
        for line in render(chain, logs, names):
            typer.echo(line)
    if "proposal" in chain.missing or not all(log.intact for log in logs.by_service.values()):
        raise typer.Exit(1)
