"""A subscriber checks a published event with the contracts package alone: its hash, its envelope, its payload."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from thidua_contracts import (
    InvalidEvent,
    UnknownEventType,
    digest,
    read_envelope,
    read_event,
    read_payload,
    split_body,
    wire,
)
from thidua_contracts.registry import ProvinceSettingsChanged, UnitRenamed


def body_of(**changes: Any) -> bytes:
    document: dict[str, Any] = {
        "event_id": "0192d6a0-7f4e-7c3a-9b1e-2f6d8c0a1b2c",
        "event_type": "UnitRenamed",
        "schema_version": 1,
        "province": "HNM",
        "source": "registry",
        "stream_id": "unit-hnm-so-noi-vu",
        "stream_version": 2,
        "position": 7,
        "occurred_at": "2024-03-01T00:00:00.000000Z",
        "recorded_at": "2024-03-01T08:15:00.123456Z",
        "actor": {"id": "token-1", "role": "admin", "unit_id": None},
        "correlation_id": "req-1",
        "causation_id": None,
        "prev_hash": "0" * 64,
        "payload": {"unit_id": "hnm-so-noi-vu", "name": "Sở Nội vụ tỉnh Hà Nam", "effective_on": "2024-03-01"},
        **changes,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def published(body: bytes) -> bytes:
    return wire(body, digest(body))


def test_an_intact_event_is_read_with_its_typed_current_payload() -> None:
    envelope, payload = read_event(published(body_of()))
    assert envelope.event_type == "UnitRenamed"
    assert envelope.province == "HNM"
    assert envelope.hash == digest(body_of())
    assert payload == UnitRenamed(unit_id="hnm-so-noi-vu", name="Sở Nội vụ tỉnh Hà Nam",
                                  effective_on=date(2024, 3, 1))
    assert read_envelope(published(body_of())) == envelope


def test_the_body_is_the_message_without_its_trailing_hash() -> None:
    body = body_of()
    assert split_body(published(body)) == (body, digest(body))


def test_an_altered_body_is_refused_by_its_hash() -> None:
    value = published(body_of()).replace("Hà Nam".encode(), "Hà Nội".encode())
    with pytest.raises(InvalidEvent, match="hash does not match"):
        read_envelope(value)


@pytest.mark.parametrize("value", [
    b"", b"not json", b'{"hash":"' + b"0" * 64 + b'"}x', b"[1,2]",
    b'{"event_type":"UnitRenamed"}',
])
def test_a_message_that_is_no_published_event_is_refused(value: bytes) -> None:
    with pytest.raises(InvalidEvent):
        read_envelope(value)


@pytest.mark.parametrize("body", [
    body_of(extra_field=1),
    body_of(schema_version=0),
    body_of(province="hnm"),
    body_of(payload={"unit_id": "hnm-so-noi-vu"}),
    body_of(payload={"unit_id": "x", "name": "n", "effective_on": "2024-03-01", "nickname": "n"}),
    body_of(source="awards"),
    body_of(schema_version=9),
    body_of(hash="f" * 64),
])
def test_an_intact_event_that_breaks_the_contract_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidEvent):
        read_envelope(published(body))


def test_an_event_type_of_a_newer_contract_can_be_told_apart_and_skipped() -> None:
    with pytest.raises(UnknownEventType, match="UnitNicknamed"):
        read_envelope(published(body_of(event_type="UnitNicknamed")))


def test_json_constants_that_are_not_json_are_refused() -> None:
    body = body_of().replace(b'"stream_version":2', b'"stream_version":NaN')
    with pytest.raises(InvalidEvent, match="not JSON"):
        read_envelope(published(body))


@pytest.mark.parametrize(("consecutive", "rest"), [(True, 0), (False, 1)])
def test_a_province_settings_event_of_version_1_reads_as_the_current_version(consecutive: bool, rest: int) -> None:
    stored = {"code": "HNM", "chair_may_serve_consecutive_years": consecutive}
    payload = read_payload("ProvinceSettingsChanged", 1, stored)
    assert payload == ProvinceSettingsChanged(code="HNM", chair_rest_years=rest, election_majority_percent=50,
                                              outgoing_vice_chair_preferred=False)
