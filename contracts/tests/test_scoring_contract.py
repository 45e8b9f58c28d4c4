"""Scoring's part of the contract: what a subscriber reads of scoring's events, old versions included."""

from __future__ import annotations

import json
from typing import Any

from thidua_contracts import digest, read_event, read_payload, wire
from thidua_contracts.scoring import (
    RankEntry,
    RankingPublished,
    ScoringTableAdopted,
    TargetResultsRecorded,
    UnitScored,
)

TABLE_V1 = {"bloc_id": "k", "year": 2024, "table_version": 1, "method": "verified_self",
            "criteria": [{"code": "C1", "group": "Nhiệm vụ", "title": "Hoàn thành", "max_points": 60, "kind": "base"}]}


def published(event_type: str, schema_version: int, payload: dict[str, Any]) -> bytes:
    document = {
        "event_id": "0192d6a0-7f4e-7c3a-9b1e-2f6d8c0a1b2d", "event_type": event_type,
        "schema_version": schema_version, "province": "HNM", "source": "scoring",
        "stream_id": "bloc-year:HNM:k:2024", "stream_version": 1, "position": 1,
        "occurred_at": "2025-01-03T00:00:00.000000Z", "recorded_at": "2025-01-03T08:00:00.000000Z",
        "actor": {"id": "token-1", "role": "bloc_secretary", "unit_id": None}, "correlation_id": "req-1",
        "causation_id": None, "prev_hash": "0" * 64, "payload": payload}
    body = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return wire(body, digest(body))


def test_a_table_of_version_1_saying_verified_self_reads_as_the_self_assessment_as_it_stands() -> None:
    envelope, table = read_event(published("ScoringTableAdopted", 1, TABLE_V1))
    assert envelope.schema_version == 1
    assert isinstance(table, ScoringTableAdopted)
    assert (table.method, table.bands, table.criteria[0].source) == ("adjusted_self", [], "assessment")
    for method in ("mean_of_cross", "verified_self"):
        assert read_payload("ScoringTableAdopted", 2, {**TABLE_V1, "method": method}).model_dump()["method"] == method
    assert read_payload("ScoringTableAdopted", 1, {**TABLE_V1, "method": "mean_of_cross"}).model_dump()["method"] \
        == "mean_of_cross"


def test_a_final_score_of_version_1_keeps_the_method_it_was_computed_by() -> None:
    final = {"bloc_id": "k", "year": 2024, "unit_id": "a", "total": 91.5, "breakdown": {"C1": 91.5}}
    old = read_payload("UnitScored", 1, {**final, "method": "verified_self"})
    assert old == UnitScored(**final, method="adjusted_self")
    assert read_payload("UnitScored", 1, {**final, "method": "secretariat"}) == UnitScored(**final,
                                                                                          method="secretariat")


def test_a_ranking_published_before_ties_and_bands_reads_with_none() -> None:
    ranking = {"bloc_id": "k", "year": 2023, "ranking": [{"unit_id": "a", "rank": 1, "total": 95.0}]}
    _, payload = read_event(published("RankingPublished", 1, ranking))
    assert payload == RankingPublished(bloc_id="k", year=2023, ranking=[RankEntry(unit_id="a", rank=1, total=95.0)])
    assert isinstance(payload, RankingPublished)
    assert (payload.ranking[0].tied, payload.ranking[0].band, payload.resolved_ties) == (False, None, [])


def test_target_results_carry_enough_to_judge_whether_a_unit_exceeded_its_targets() -> None:
    _, payload = read_event(published("TargetResultsRecorded", 1, {
        "bloc_id": "k", "year": 2025, "unit_id": "a", "recorded_on": "2025-12-20", "results": [
            {"code": "T1", "attained": True, "achieved": 1250.0, "planned": 1000.0, "percent": 125.0},
            {"code": "T2", "attained": True, "achieved": None, "planned": None, "percent": None}]}))
    assert isinstance(payload, TargetResultsRecorded)
    assert all(result.attained for result in payload.results)
    assert any((result.percent or 0) > 100 for result in payload.results)
