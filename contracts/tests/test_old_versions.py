"""Events recorded by older versions of the contract read as the current models, through the upcasters.

``fixtures/old-versions/<EventType>.v<N>.json`` holds, for the upcaster from version N of that event type, an
envelope as a service stored and published it at version N and cases of its payload, each with the payload
the current model must read it as. Each is read as a subscriber reads a message (:func:`read_event`, which
reads the payload with :func:`read_payload`, as the services' event stores and consumers do). Every
registered upcaster needs its file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from thidua_contracts import EVENT_MODELS, digest, read_event, wire
from thidua_contracts.documentation import canonical
from thidua_contracts.upcasting import registered_upcasters

FIXTURES = Path(__file__).parent / "fixtures" / "old-versions"
PUBLISHED = Path(__file__).resolve().parents[2] / "shared" / "published-schemas"


def recorded() -> dict[tuple[str, int], dict[str, Any]]:
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for path in sorted(FIXTURES.glob("*.json")):
        event_type, version = path.name.removesuffix(".json").split(".v")
        found[event_type, int(version)] = json.loads(path.read_text(encoding="utf-8"))
    return found


def published_message(envelope: dict[str, Any], payload: dict[str, Any]) -> bytes:
    body = canonical({**envelope, "payload": payload})
    return wire(body, digest(body))


def test_every_upcaster_has_recorded_events_of_the_version_it_reads() -> None:
    assert set(registered_upcasters()) == set(recorded()), (
        "each upcaster @upcaster(T, N) needs contracts/tests/fixtures/old-versions/T.vN.json: an event as stored "
        "at version N and the current payload it reads as")


@pytest.mark.parametrize(("event_type", "version"), sorted(recorded()))
def test_an_event_recorded_at_an_old_version_reads_as_the_current_model(event_type: str, version: int) -> None:
    fixture = recorded()[event_type, version]
    model = EVENT_MODELS[event_type]
    assert fixture["envelope"]["event_type"] == event_type
    assert fixture["envelope"]["schema_version"] == version
    assert version < model.schema_version
    for case in fixture["cases"]:
        envelope, payload = read_event(published_message(fixture["envelope"], case["stored"]))
        assert envelope.schema_version == version
        assert type(payload) is model
        assert payload.model_dump(mode="json") == case["reads_as"]


@pytest.mark.parametrize(("event_type", "version"), sorted(recorded()))
def test_the_recorded_events_are_valid_under_the_schema_published_for_their_version(event_type: str,
                                                                                    version: int) -> None:
    fixture = recorded()[event_type, version]
    schema = json.loads((PUBLISHED / f"{event_type}.v{version}.json").read_text(encoding="utf-8"))
    for case in fixture["cases"]:
        Draft202012Validator(schema).validate(case["stored"])
