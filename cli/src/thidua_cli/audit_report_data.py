"""What ``thidua audit report`` tells, gathered from the services' logs alone: each service's verification and its
signed checkpoints (:mod:`thidua_cli.audit`), each bloc-year's proposals and their states (:func:`fold` of
:mod:`thidua_cli.audit_asof`), and the causation chain of each award decided, revoked or frozen
(:func:`build_chain`), every value already in the words and formats people read (names, dd/mm/yyyy, Viet Nam's
time); ids and hashes are kept only as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from thidua_cli.audit import ServiceAudit, report_lines
from thidua_cli.audit_asof import WORDS as STATE_WORDS
from thidua_cli.audit_asof import fold
from thidua_cli.audit_chain import Step, build_chain
from thidua_cli.audit_explain import MISSING, step_line
from thidua_cli.audit_explain import WORDS as CHAIN_WORDS
from thidua_cli.audit_logs import ROLES, TRUSTED_SERVICES, Logs, Names, day, local_time, names_from, service_log
from thidua_shared.audit_verify import first_of
from thidua_shared.checkpoints import Checkpoint
from thidua_shared.clock import province_zone

SERVICE_NAMES = {
    "vi": {"registry": "Sổ đăng ký", "scoring": "Chấm điểm", "awards": "Khen thưởng", "notifications": "Thông báo"},
    "en": {"registry": "Registry", "scoring": "Scoring", "awards": "Awards", "notifications": "Notifications"},
}
TOLD = ("decided", "revoked")
"""The states whose chains the report tells (and every proposal frozen now)."""


@dataclass(frozen=True)
class ServiceResult:
    service: str
    name: str
    events: int
    checkpoints: int
    passed: bool
    lines: list[str]
    """As ``thidua audit verify`` says it."""


@dataclass(frozen=True)
class CheckpointRow:
    service: str
    name: str
    position: int
    hash: str
    signed_at: str
    key_id: str
    signature_valid: bool


@dataclass(frozen=True)
class ChainRow:
    number: int
    said: str
    checks: str
    service: str
    service_name: str
    position: int
    actor: str
    actor_id: str
    occurred: str
    recorded: str
    event_id: str
    hash: str
    rule_version: str
    citations: list[str]


@dataclass(frozen=True)
class AwardChain:
    proposal_id: str
    unit: str
    award: str
    state: str
    decision: str
    rows: list[ChainRow]
    verdict: list[str]
    """What the chain lacks, or that it is complete."""
    complete: bool


@dataclass(frozen=True)
class ProposalRow:
    proposal_id: str
    unit: str
    award: str
    state: str
    frozen: bool
    filed_on: str
    council: str
    decision: str
    rule_version: str


@dataclass
class BlocSection:
    bloc_id: str
    name: str
    proposals: list[ProposalRow] = field(default_factory=list)
    chains: list[AwardChain] = field(default_factory=list)


@dataclass
class AuditReport:
    language: str
    province: str
    province_name: str
    year: int
    bloc_id: str | None
    """None: the whole province-year."""
    subject: str
    generated_at: str
    auditor: str
    token_fingerprint: str
    services: list[ServiceResult]
    checkpoints: list[CheckpointRow]
    blocs: list[BlocSection]

    @property
    def passed(self) -> bool:
        return all(service.passed for service in self.services)


class UnknownBloc(ValueError):
    """The logs hold no bloc by that id or name."""


def logs_of(audits: list[ServiceAudit], province: str) -> Logs:
    """The logs the award's story is told from, as the verification downloaded them."""
    return Logs({audit.service: service_log(audit.service, province, audit.entries, audit.head_position,
                                            audit.head_hash)
                 for audit in audits if audit.service in TRUSTED_SERVICES})


def blocs_of(logs: Logs, names: Names, subject: str, province: str, year: int) -> tuple[str | None, list[str]]:
    """The bloc ``subject`` names (its id or its name), or, when ``subject`` is the province's code, every bloc of the
    year: those the registry established by its end, and any other bloc the year's scores or proposals name."""
    if subject.upper() != province.upper():
        wanted = subject.strip().casefold()
        found = [bloc_id for bloc_id, name in names.blocs.items() if wanted in (bloc_id.casefold(), name.casefold())]
        if not found:
            raise UnknownBloc(subject)
        return found[0], found[:1]
    established = [event.payload for event in logs.of("registry") if event.type == "BlocEstablished"]
    blocs = [payload["bloc_id"] for payload in established
             if not payload.get("established_on") or date.fromisoformat(payload["established_on"]).year <= year]
    for service in ("scoring", "awards"):
        blocs += [str(event.payload["bloc_id"]) for event in logs.of(service)
                  if event.payload.get("year") == year and event.payload.get("bloc_id")]
    return None, list(dict.fromkeys(blocs))


def build_report(audits: list[ServiceAudit], province: str, subject: str, year: int, language: str,
                 auditor: str, token_fingerprint: str, now: datetime) -> AuditReport:
    logs = logs_of(audits, province)
    names = names_from(logs, language)
    bloc_id, blocs = blocs_of(logs, names, subject, province, year)
    province_name = names.provinces.get(province, province)
    return AuditReport(
        language=language, province=province, province_name=province_name, year=year, bloc_id=bloc_id,
        subject=names.bloc(bloc_id) if bloc_id else province_name,
        generated_at=now.astimezone(province_zone()).strftime("%d/%m/%Y %H:%M:%S"), auditor=auditor,
        token_fingerprint=token_fingerprint, services=[_result(audit, language) for audit in audits],
        checkpoints=[_checkpoint(audit, checkpoint, language) for audit in audits for checkpoint in audit.checkpoints],
        blocs=[bloc_section(logs, names, each, year) for each in blocs])


def _result(audit: ServiceAudit, language: str) -> ServiceResult:
    passed = first_of(audit.findings) is None and not audit.key_changed and not audit.topic_error
    return ServiceResult(audit.service, SERVICE_NAMES[language].get(audit.service, audit.service), audit.events,
                         len(audit.checkpoints), passed, report_lines(audit, language))


def _checkpoint(audit: ServiceAudit, checkpoint: Checkpoint, language: str) -> CheckpointRow:
    return CheckpointRow(audit.service, SERVICE_NAMES[language].get(audit.service, audit.service),
                         checkpoint.position, checkpoint.hash, local_time(checkpoint.signed_at), checkpoint.key_id,
                         checkpoint.verified_by(audit.public_key_pem))


def bloc_section(logs: Logs, names: Names, bloc_id: str, year: int) -> BlocSection:
    """The bloc-year's proposals with their states, and the chain of each one decided, revoked or frozen."""
    state = fold(logs, bloc_id, year, names)
    section = BlocSection(bloc_id, names.bloc(bloc_id))
    for proposal in state["proposals"]:
        section.proposals.append(_proposal_row(proposal, names.language))
        if proposal["state"] in TOLD or proposal["frozen"]:
            section.chains.append(_chain(logs, names, proposal))
    return section


def _state(proposal: dict[str, Any], language: str) -> str:
    words: dict[str, Any] = STATE_WORDS[language]
    state = str(words["states"].get(proposal["state"], proposal["state"]))
    return state + (str(words["frozen"]) if proposal["frozen"] else "")


def _decision(proposal: dict[str, Any], language: str) -> str:
    words = CHAIN_WORDS[language]
    decision, revocation = proposal["decision"], proposal["revocation"]
    said = []
    if decision:
        said.append(words["AwardDecided"].format(decision_no=decision["decision_no"],
                                                 decided_on=day(decision["decided_on"]),
                                                 authority=decision["authority"]))
    if revocation:
        said.append(words["AwardRevoked"].format(decision_no=revocation["decision_no"],
                                                 revoked_on=day(revocation["revoked_on"]),
                                                 reason=revocation["reason"]))
    return "; ".join(said)


def _proposal_row(proposal: dict[str, Any], language: str) -> ProposalRow:
    council = proposal["council"]
    said = ""
    if council:
        result = CHAIN_WORDS[language]["passed" if council.get("passed", True) else "failed"]
        said = f"{council['approve']}/{council['members']} ({day(council.get('held_on'))}): {result}"
    return ProposalRow(proposal["proposal_id"], proposal["unit"], proposal["award"], _state(proposal, language),
                       proposal["frozen"], day(proposal["filed_on"]), said, _decision(proposal, language),
                       proposal["rule_version"] or "-")


def _chain(logs: Logs, names: Names, proposal: dict[str, Any]) -> AwardChain:
    chain = build_chain(logs, proposal["proposal_id"], names)
    rows = [_row(number, step, names, chain.subject) for number, step in enumerate(chain.steps, start=1)]
    words = CHAIN_WORDS[names.language]
    missing = [words["missing"].format(what=MISSING[names.language].get(what, what)) for what in chain.missing]
    return AwardChain(proposal["proposal_id"], proposal["unit"], proposal["award"], _state(proposal, names.language),
                      _decision(proposal, names.language), rows, missing or [words["complete"]], not missing)


def _row(number: int, step: Step, names: Names, subject: dict[str, Any]) -> ChainRow:
    language = names.language
    reference = step.event.reference()
    said = step_line(step, names, subject)
    checks = step.facts.get("checks") or []
    cited = [str(check["citation_en"] if language == "en" and check["citation_en"] else check["citation"])
             for check in checks]
    failed = [cite for check, cite in zip(checks, cited, strict=True) if not check["ok"]]
    words = CHAIN_WORDS[language]
    summary = words["checks"].format(passed=len(checks) - len(failed), count=len(checks), failed=words[
        "failed_checks"].format(which="; ".join(failed)) if failed else "").strip() if checks else ""
    actor = reference["actor"]
    role = ROLES[language].get(str(actor.get("role")), str(actor.get("role")))
    return ChainRow(
        number=number, said=said[:1].upper() + said[1:], checks=summary, service=step.event.service,
        service_name=SERVICE_NAMES[language].get(step.event.service, step.event.service),
        position=step.event.position,
        actor=f"{role}, {names.unit(actor['unit_id'])}" if actor.get("unit_id") else role,
        actor_id=str(actor.get("id") or ""), occurred=local_time(reference["occurred_at"]),
        recorded=local_time(reference["recorded_at"]), event_id=str(reference["event_id"]), hash=step.event.hash,
        rule_version=str(step.as_json()["rule_version"] or ""), citations=list(dict.fromkeys(cited)))
