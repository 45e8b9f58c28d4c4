"""The causation chain of an award, built from the services' logs alone (see :mod:`thidua_cli.audit_explain`).

Steps are linked by the ids their payloads name (``proposal_id``, ``basis.vote_id``, bloc, year and unit) and by
``causation_id``/``correlation_id`` where the envelopes carry them; what the chain should hold and the logs lack is
listed in :attr:`Chain.missing`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from thidua_cli.audit_logs import TRUSTED_SERVICES, LogRecord, Logs, Names

FREEZES = ("AwardFrozen", "AwardUnfrozen")
PROPOSAL_STEPS = ("AwardProposed", "ProposalReturned", "ProposalResubmitted", "CouncilVoteRecorded",
                  "ForwardedToCentral", "AwardDecided", "AwardRejected", "AwardRevoked", *FREEZES)
CENTRAL_FORMS = ("GOV_FLAG",)
"""Forms the province forwards to the central level before they are decided."""


@dataclass
class Step:
    kind: str
    """What the step is in the chain: ``unit``, ``bloc``, ``membership``, ``score``, ``ranking``, ``vote_opened``,
    ``vote_closed``, ``rulebook`` or the proposal event's own type."""
    event: LogRecord
    linked_by: str
    facts: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        payload = self.event.payload
        rule_version = payload.get("rule_version") or (payload.get("basis") or {}).get("rule_version")
        return {"step": self.kind, **self.event.reference(), "rule_version": rule_version,
                "linked_by": self.linked_by, **self.facts}


@dataclass
class Chain:
    proposal_id: str
    steps: list[Step]
    missing: list[str]
    subject: dict[str, Any]


def _with(events: list[LogRecord], *types: str, **fields: Any) -> list[LogRecord]:
    return [event for event in events if event.type in types
            and all(event.payload.get(name) == value for name, value in fields.items())]


def build_chain(logs: Logs, proposal_id: str, names: Names) -> Chain:
    """The causation chain of an award, in the order it happened, from the logs."""
    registry, scoring, awards = logs.of("registry"), logs.of("scoring"), logs.of("awards")
    proposed = _with(awards, "AwardProposed", proposal_id=proposal_id)
    if not proposed:
        return Chain(proposal_id, [], ["proposal"], {})
    filing = proposed[0]
    facts = filing.payload
    unit_id, bloc_id, year, code = facts["unit_id"], facts.get("bloc_id"), facts["year"], facts["award_code"]
    basis = facts.get("basis") or {}
    subject = {"proposal_id": proposal_id, "unit_id": unit_id, "unit": names.unit(unit_id), "bloc_id": bloc_id,
               "bloc": names.bloc(bloc_id), "year": year, "award_code": code, "award": names.form(code),
               "rule_version": basis.get("rule_version")}
    steps: list[Step] = []
    missing = [f"log:{service}" for service in TRUSTED_SERVICES if service not in logs.by_service]

    registered = _with(registry, "UnitRegistered", "UnitRenamed", unit_id=unit_id)
    steps += [Step("unit", event, "unit_id", {"name": event.payload["name"]}) for event in registered]
    if not registered:
        missing.append("unit")
    if bloc_id:
        established = _with(registry, "BlocEstablished", bloc_id=bloc_id)
        steps += [Step("bloc", event, "bloc_id", {"name": event.payload["name"]}) for event in established]
        joined = _with(registry, "UnitJoinedBloc", "UnitLeftBloc", bloc_id=bloc_id, unit_id=unit_id)
        steps += [Step("membership", event, "bloc_id+unit_id") for event in joined]
        if not established:
            missing.append("bloc")
        if not joined:
            missing.append("membership")

    scored = [event for event in _with(scoring, "UnitScored", "ScoreAdjusted", bloc_id=bloc_id, unit_id=unit_id)
              if event.payload.get("year") == year and event.recorded_at <= filing.recorded_at]
    steps += [Step("score", event, "bloc_id+year+unit_id", {"total": event.payload.get("total")})
              for event in scored]
    if not any(event.type == "UnitScored" for event in scored):
        missing.append("score")
    rankings = [event for event in _with(scoring, "RankingPublished", bloc_id=bloc_id)
                if event.payload.get("year") == year]
    used = [event for event in rankings if event.recorded_at <= filing.recorded_at]
    if used:
        steps.append(Step("ranking", used[-1], "bloc_id+year", _ranking_facts(used[-1], unit_id, basis)))
    else:
        missing.append("ranking")
    steps += [Step("ranking_corrected", event, "bloc_id+year", _ranking_facts(event, unit_id, basis))
              for event in rankings if event.recorded_at > filing.recorded_at]

    steps += _vote_steps(awards, basis.get("vote_id"), unit_id, missing)
    rule_version = basis.get("rule_version")
    if rule_version in names.rulebooks:
        steps.append(Step("rulebook", names.rulebooks[rule_version], "basis.rule_version"))

    trail = [event for event in awards if event.type in PROPOSAL_STEPS and (
        event.payload.get("proposal_id") == proposal_id or _freezes_unit(event, unit_id))]
    steps += [Step(event.type, event, "proposal_id" if event.payload.get("proposal_id") else "unit_id",
                   _proposal_facts(event)) for event in trail]
    steps += [Step("AwardFlagged", event, "rests_on") for event in _with(awards, "AwardFlagged", rests_on=proposal_id)]
    kinds = {step.kind for step in steps}
    if "CouncilVoteRecorded" not in kinds:
        missing.append("council_vote")
    if code in CENTRAL_FORMS and "ForwardedToCentral" not in kinds:
        missing.append("forwarding")
    if not kinds & {"AwardDecided", "AwardRejected"}:
        missing.append("decision")
    steps.sort(key=lambda step: (step.event.recorded_at, step.event.service, step.event.position))
    _link_by_envelope(steps)
    return Chain(proposal_id, steps, missing, subject)


def _ranking_facts(ranking: LogRecord, unit_id: str, basis: dict[str, Any]) -> dict[str, Any]:
    """Where the unit stands in a published ranking, and whether that is what the proposal rests on."""
    entry = next((row for row in ranking.payload["ranking"] if row["unit_id"] == unit_id), None)
    return {"rank": entry["rank"] if entry else None, "total": entry["total"] if entry else None,
            "version": ranking.payload.get("version", 1), "units": len(ranking.payload["ranking"]),
            "matches_basis": entry is not None and entry["rank"] == basis.get("rank")
            and entry["total"] == basis.get("total")}


def _freezes_unit(event: LogRecord, unit_id: str) -> bool:
    """A freeze (or its lifting) of the unit itself, which holds up every proposal of it (Decree 152 art. 4 cl. 4)."""
    return event.type in FREEZES and event.payload.get("unit_id") == unit_id and not event.payload.get("proposal_id")


def _vote_steps(awards: list[LogRecord], vote_id: str | None, unit_id: str, missing: list[str],
                linked_by: str = "basis.vote_id") -> list[Step]:
    """The vote's opening and tally (never a ballot's content); a runoff brings in the vote whose tie it decided."""
    if not vote_id:
        missing.append("vote")
        return []
    steps = []
    opened = _with(awards, "HonoringVoteOpened", vote_id=vote_id)
    closed = _with(awards, "HonoringVoteClosed", vote_id=vote_id)
    ballots = len(_with(awards, "BallotCast", vote_id=vote_id))
    for event in opened:
        steps.append(Step("vote_opened", event, linked_by, {
            "vote_id": vote_id, "candidates": event.payload.get("candidates", []),
            "members": event.payload.get("members"), "places": event.payload.get("places"),
            "threshold": event.payload.get("threshold"), "runoff_of": event.payload.get("runoff_of")}))
        if event.payload.get("runoff_of") and linked_by != "runoff_of":
            steps += _vote_steps(awards, event.payload["runoff_of"], unit_id, missing, "runoff_of")
    for event in closed:
        payload = event.payload
        steps.append(Step("vote_closed", event, linked_by, {
            "vote_id": vote_id, "ballots_cast": payload.get("ballots_cast"), "ballots_logged": ballots,
            "invalid_ballots": payload.get("invalid_ballots", 0), "results": payload.get("results", []),
            "honoured": payload.get("honoured", []), "tied": payload.get("tied", []),
            "unit_honoured": unit_id in payload.get("honoured", [])}))
    if not opened:
        missing.append("vote_opened")
    if not closed:
        missing.append("vote_closed")
    return steps


def _proposal_facts(event: LogRecord) -> dict[str, Any]:
    keep = ("filed_on", "reason", "missing", "returned_on", "resubmitted_on", "members", "present", "approve", "reject",
            "written_votes", "held_on", "required", "passed", "dossier_ref", "forwarded_on", "decision_no",
            "decided_on", "authority", "reward_vnd", "rejected_on", "by", "revoked_on", "ground", "ref", "on",
            "basis")
    facts = {name: event.payload[name] for name in keep if name in event.payload}
    if event.payload.get("checks"):
        facts["checks"] = [{"rule": check["rule"], "ok": check["ok"], "citation": check["citation"],
                            "citation_en": (check.get("cite") or {}).get("note_en")}
                           for check in event.payload["checks"]]
    return facts


def _link_by_envelope(steps: list[Step]) -> None:
    """Name, for each step, the steps its envelope says caused it or came from the same request."""
    by_id = {str(step.event.envelope["event_id"]): step for step in steps}
    for step in steps:
        cause = step.event.envelope.get("causation_id")
        if cause and str(cause) in by_id:
            step.facts["caused_by"] = str(cause)
        correlation = step.event.envelope.get("correlation_id")
        same = [str(other.event.envelope["event_id"]) for other in steps
                if other is not step and other.event.envelope.get("correlation_id") == correlation]
        if same and correlation:
            step.facts["same_request_as"] = same
