"""How ``thidua audit explain`` and ``as-of`` read logs, over small logs made here: what a chain lacks is named,
freezes and revocations join it, names come from the logs, ballots stay secret, and TIME reads as people write it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from thidua_cli.audit_asof import fold, parse_moment
from thidua_cli.audit_asof import render as render_state
from thidua_cli.audit_chain import build_chain
from thidua_cli.audit_explain import render
from thidua_cli.audit_logs import LogRecord, Logs, ServiceLog, names_from
from thidua_shared.clock import VIETNAM

START = datetime(2024, 1, 2, 1, 0, tzinfo=UTC)


class _Log:
    """Events appended one a second, each service's positions from 1."""

    def __init__(self) -> None:
        self.events: dict[str, list[LogRecord]] = {"registry": [], "scoring": [], "awards": []}
        self.clock = START

    def add(self, service: str, event_type: str, **payload: Any) -> LogRecord:
        self.clock += timedelta(seconds=1)
        position = len(self.events[service]) + 1
        at = self.clock.isoformat().replace("+00:00", "Z")
        event = LogRecord(service, position, f"{service}-hash-{position}", {
            "event_id": f"{service}-{position}", "event_type": event_type, "stream_id": f"s:{service}",
            "stream_version": position, "occurred_at": at, "recorded_at": at, "province": "HNM",
            "actor": {"id": "staff-1", "role": "admin", "unit_id": None}, "correlation_id": f"c-{service}-{position}",
            "causation_id": None, "prev_hash": f"{service}-hash-{position - 1}", "payload": payload})
        self.events[service].append(event)
        return event

    def logs(self) -> Logs:
        return Logs({name: ServiceLog(name, events, len(events), events[-1].hash if events else "", True, 0)
                     for name, events in self.events.items()})


def _year(ranking: bool = True) -> _Log:
    log = _Log()
    log.add("registry", "UnitRegistered", unit_id="u1", name="Ban Tổ chức", short_name="BTC", kind="party_board")
    log.add("registry", "UnitRegistered", unit_id="u2", name="Văn phòng", short_name="VP", kind="party_board")
    log.add("registry", "UnitRenamed", unit_id="u1", name="Ban Tổ chức Tỉnh ủy", effective_on="2023-06-01")
    log.add("registry", "BlocEstablished", bloc_id="b", name="Khối Đảng", kind="khoi", decision_ref="QĐ 1")
    for unit in ("u1", "u2"):
        log.add("registry", "UnitJoinedBloc", bloc_id="b", unit_id=unit, effective_on="2023-01-01",
                decision_ref="QĐ 1")
    log.add("awards", "RulebookAdopted", version="HNM-1", effective_from="2023-01-01", legal_basis=["QĐ 9"],
            forms=[{"code": "FLAG", "name": "Cờ thi đua của tỉnh", "decided_by": "Chủ tịch", "rules": {}}])
    log.add("scoring", "UnitScored", bloc_id="b", year=2023, unit_id="u1", total=90.5, breakdown={}, method="m")
    log.add("scoring", "UnitScored", bloc_id="b", year=2023, unit_id="u2", total=80.0, breakdown={}, method="m")
    if ranking:
        log.add("scoring", "RankingPublished", bloc_id="b", year=2023, ranking=[
            {"unit_id": "u1", "rank": 1, "total": 90.5}, {"unit_id": "u2", "rank": 2, "total": 80.0}])
    log.add("awards", "HonoringVoteOpened", vote_id="v", bloc_id="b", year=2023, award_code="FLAG",
            candidates=["u1"], members=2, threshold=0.5, rule_version="HNM-1")
    log.add("awards", "BallotCast", vote_id="v", voter_unit_id="u2")
    log.add("awards", "BallotCast", vote_id="v", voter_unit_id="u1")
    log.add("awards", "HonoringVoteClosed", vote_id="v", ballots_cast=2, results=[{"unit_id": "u1", "votes_for": 2}],
            honoured=["u1"])
    log.add("awards", "AwardProposed", proposal_id="p", bloc_id="b", year=2023, unit_id="u1", award_code="FLAG",
            basis={"rank": 1, "total": 90.5, "vote_id": "v", "rule_version": "HNM-1"}, filed_on="2024-01-05")
    return log


def test_a_complete_chain_names_units_and_forms_from_the_logs_and_keeps_ballots_secret() -> None:
    log = _year()
    log.add("awards", "CouncilVoteRecorded", proposal_id="p", members=20, present=18, approve=17, reject=1,
            written_votes=2, held_on="2024-02-05", required=16, passed=True, rule_version="HNM-1")
    log.add("awards", "AwardDecided", proposal_id="p", unit_id="u1", award_code="FLAG", decision_no="300/QĐ-UBND",
            decided_on="2024-02-20", authority="Chủ tịch UBND tỉnh", rule_version="HNM-1")
    logs = log.logs()
    names = names_from(logs, "vi")
    chain = build_chain(logs, "p", names)
    said = "\n".join(render(chain, logs, names))

    assert chain.missing == []
    assert [step.kind for step in chain.steps if step.event.service == "awards"] == [
        "rulebook", "vote_opened", "vote_closed", "AwardProposed", "CouncilVoteRecorded", "AwardDecided"]
    assert "Ban Tổ chức Tỉnh ủy → Cờ thi đua của tỉnh, năm 2023, Khối Đảng" in said, "the latest name, the logged form"
    assert "(tỉnh ban hành, có trong nhật ký khen thưởng)" in said
    assert "Quyết định số 300/QĐ-UBND ngày 20/02/2024 của Chủ tịch UBND tỉnh" in said
    assert "xảy ra 02/01/2024 08:00:07" in said, "times in Viet Nam's time, dd/mm/yyyy"
    assert "90,5 điểm" in said
    assert "voter_unit_id" not in str([step.as_json() for step in chain.steps])
    assert "u1" not in said.replace("-", " ").split(), "no unit id where a name is known"


def test_what_the_chain_lacks_is_said_and_freezes_and_revocations_join_it() -> None:
    log = _year(ranking=False)
    log.add("awards", "AwardFrozen", unit_id="u1", reason="đang thanh tra", ref="QĐ TTr 1")
    log.add("awards", "AwardFrozen", unit_id="u2", reason="another unit's", ref="QĐ TTr 2")
    log.add("awards", "AwardRevoked", proposal_id="p", decision_no="9/QĐ-UBND", reason="khai man",
            revoked_on="2024-06-01")
    log.add("scoring", "RankingPublished", bloc_id="b", year=2023, version=2, reason="sửa điểm", ranking=[
        {"unit_id": "u2", "rank": 1, "total": 91.0}, {"unit_id": "u1", "rank": 2, "total": 90.5}])
    logs = log.logs()
    names = names_from(logs, "en")
    chain = build_chain(logs, "p", names)
    said = "\n".join(render(chain, logs, names))

    assert chain.missing == ["ranking", "council_vote", "decision"]
    assert [step.kind for step in chain.steps][-3:] == ["AwardFrozen", "AwardRevoked", "ranking_corrected"], \
        "only the unit's own freeze; a ranking published after the filing is shown, not taken as its basis"
    assert "AFTER the proposal was filed (version 2): Ban Tổ chức Tỉnh ủy ranked 2 of 2, 90.5 points; does NOT " \
           "match the proposal's basis" in said
    del logs.by_service["scoring"]
    assert build_chain(logs, "p", names).missing[:3] == ["log:scoring", "score", "ranking"]
    assert "MISSING from the chain: no published ranking found (RankingPublished)" in said
    assert "Revoked by Decision No. 9/QĐ-UBND of 01/06/2024: khai man" in said
    assert build_chain(logs, "nothing", names).missing == ["proposal"]


def test_a_bloc_year_as_of_a_moment_folds_only_what_was_recorded_by_then() -> None:
    log = _year()
    log.add("awards", "ProposalReturned", proposal_id="p", reason="thiếu biên bản", missing=["minutes"])
    returned = log.clock
    log.add("awards", "ProposalResubmitted", proposal_id="p", documents=[], resubmitted_on="2024-01-10")
    log.add("awards", "AwardDecided", proposal_id="p", unit_id="u1", award_code="FLAG", decision_no="300/QĐ-UBND",
            decided_on="2024-02-20", authority="Chủ tịch UBND tỉnh", rule_version="HNM-1")
    logs = log.logs()

    def state(moment: datetime) -> dict[str, Any]:
        cut = logs.until(moment)
        return fold(cut, "b", 2023, names_from(cut, "vi"))

    during_vote = state(START + timedelta(seconds=12))
    at_return, later = state(returned), state(log.clock)
    assert [(vote["state"], vote["ballots_cast"]) for vote in during_vote["votes"]] == [("open", 1)]
    assert during_vote["proposals"] == []
    assert [(row["state"], row["decision"]) for row in at_return["proposals"]] == [("returned", None)]
    assert later["proposals"][0]["state"] == "decided"
    assert [member["unit"] for member in later["members"]] == ["Ban Tổ chức Tỉnh ủy", "Văn phòng"]
    shown = "\n".join(render_state(later, log.clock, names_from(logs, "vi")))
    assert "Ban Tổ chức Tỉnh ủy → Cờ thi đua của tỉnh: đã quyết định (bộ quy tắc HNM-1)" in shown
    assert "  1. Ban Tổ chức Tỉnh ủy: 90,5 điểm" in shown


def test_time_reads_as_people_of_the_province_write_it() -> None:
    assert parse_moment("05/01/2024") == datetime(2024, 1, 6, tzinfo=VIETNAM) - timedelta(microseconds=1)
    assert parse_moment("5/1/2024 08:30") == datetime(2024, 1, 5, 8, 30, tzinfo=VIETNAM)
    assert parse_moment("2024-01-05T08:30:00") == datetime(2024, 1, 5, 8, 30, tzinfo=VIETNAM)
    assert parse_moment("2024-01-05T01:30:00Z") == datetime(2024, 1, 5, 8, 30, tzinfo=VIETNAM)


def test_a_runoff_brings_in_the_tied_vote_it_decided() -> None:
    log = _year()
    log.add("awards", "HonoringVoteOpened", vote_id="v0", bloc_id="b", year=2023, award_code="FLAG",
            candidates=["u1", "u2"], members=2, threshold=0.5, places=1)
    log.add("awards", "HonoringVoteClosed", vote_id="v0", ballots_cast=2, honoured=[], tied=["u1", "u2"],
            places_left=1, results=[{"unit_id": "u1", "votes_for": 1}, {"unit_id": "u2", "votes_for": 1}])
    runoff = log.events["awards"][1]
    log.events["awards"][1] = LogRecord("awards", runoff.position, runoff.hash, {
        **runoff.envelope, "payload": {**runoff.payload, "runoff_of": "v0"}})
    logs = log.logs()
    names = names_from(logs, "vi")
    chain = build_chain(logs, "p", names)
    said = "\n".join(render(chain, logs, names))

    assert [(step.kind, step.linked_by, step.facts.get("vote_id")) for step in chain.steps
            if step.kind.startswith("vote")] == [("vote_opened", "basis.vote_id", "v"),
                                                 ("vote_closed", "basis.vote_id", "v"),
                                                 ("vote_opened", "runoff_of", "v0"), ("vote_closed", "runoff_of", "v0")]
    assert "hòa ở suất cuối: Ban Tổ chức Tỉnh ủy; Văn phòng (bỏ phiếu lại)" in said
    assert "(vòng bỏ phiếu lại)" in said


def test_a_bloc_year_has_the_members_of_that_year_and_its_leaders_confirmations() -> None:
    log = _year()
    log.add("registry", "UnitRegistered", unit_id="u3", name="Sở cũ", short_name="SC", kind="department")
    log.add("registry", "UnitJoinedBloc", bloc_id="b", unit_id="u3", effective_on="2020-01-01", decision_ref="QĐ 0")
    log.add("registry", "UnitLeftBloc", bloc_id="b", unit_id="u3", effective_on="2022-12-31", decision_ref="QĐ 2")
    log.add("registry", "ChairElected", bloc_id="b", year=2024, unit_id="u2", votes_for=2, votes_cast=2, members=2,
            elected_on="2024-01-03")
    log.add("registry", "ViceChairElected", bloc_id="b", year=2024, unit_id="u1", votes_for=2, votes_cast=2,
            members=2, elected_on="2024-01-03")
    elected = log.clock
    log.add("registry", "LeaderElectionConfirmed", bloc_id="b", role="chair", year=2024, unit_id="u2",
            confirmed_on="2024-01-15", decision_ref="QĐ 15/QĐ-UBND")
    logs = log.logs()
    before, after = logs.until(elected), logs
    state = fold(after, "b", 2023, names_from(after, "vi"))
    assert [member["unit"] for member in state["members"]] == ["Ban Tổ chức Tỉnh ủy", "Văn phòng"], \
        "a unit that left the bloc before the year is no member of the bloc-year"
    assert [member["unit"] for member in fold(after, "b", 2022, names_from(after, "vi"))["members"]] == ["Sở cũ"]
    shown = "\n".join(render_state(state, log.clock, names_from(after, "vi")))
    assert "Trưởng khối năm 2024: Văn phòng (2/2 phiếu, bầu ngày 03/01/2024); tỉnh công nhận ngày 15/01/2024, " \
           "QĐ 15/QĐ-UBND" in shown
    assert "Phó khối năm 2024: Ban Tổ chức Tỉnh ủy (2/2 phiếu, bầu ngày 03/01/2024)\n" in shown, \
        "an election the province has not confirmed is shown as elected, nothing more"
    earlier = "\n".join(render_state(fold(before, "b", 2023, names_from(before, "vi")), elected,
                                     names_from(before, "vi")))
    assert "công nhận" not in earlier, "the confirmation was recorded after that moment"
