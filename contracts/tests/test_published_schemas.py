"""The contract keeps what the last release published (``shared/published-schemas``, written by
``tools/publish_schemas.py``): a breaking change needs a new schema_version and an upcaster, no published event
type leaves, and the envelope stays compatible."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, ClassVar

import pytest
from jsonschema import Draft202012Validator

from thidua_contracts import EVENT_MODELS, upcasting
from thidua_contracts.registry import RegistryEvent
from thidua_contracts.release import broken_promises, publish, read_published
from thidua_contracts.schemas import envelope_schema, event_schemas

PUBLISHED = Path(__file__).resolve().parents[2] / "shared" / "published-schemas"


def test_the_contract_keeps_every_schema_the_last_release_published() -> None:
    problems = broken_promises(PUBLISHED)
    assert not problems, "the contract breaks the published schemas (shared/published-schemas):\n" + "\n".join(
        problems)


def test_the_release_is_there_and_each_file_is_a_schema_named_as_it_says() -> None:
    published = read_published(PUBLISHED)
    assert (PUBLISHED / "Envelope.json").is_file()
    assert {"AwardDecided", "UnitScored", "NotificationSent"} <= {event_type for event_type, _ in published}
    for (event_type, version), schema in published.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"urn:thidua:schema:{event_type}:v{version}"
        assert schema["x-schema-version"] == version


class UnitRenamedWithoutRef(RegistryEvent):
    """UnitRenamed as a careless change would leave it: ``decision_ref`` dropped, ``reason`` required."""

    unit_id: str
    name: str
    effective_on: str
    reason: str


class UnitRenamedV2(UnitRenamedWithoutRef):
    """The same change done right: a new schema version (and, in the test that wants it, an upcaster)."""

    schema_version: ClassVar[int] = 2


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A copy of the published schemas to change."""
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED, folder)
    return folder


@pytest.fixture
def upcasters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Upcasters registered by the test are gone after it."""
    monkeypatch.setattr(upcasting, "_UPCASTERS", dict(upcasting._UPCASTERS))


def renamed_unit_as(monkeypatch: pytest.MonkeyPatch, model: type[RegistryEvent]) -> None:
    monkeypatch.setitem(EVENT_MODELS, "UnitRenamed", model)


def test_a_breaking_change_without_a_new_version_says_what_broke_and_what_to_do(
        release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed_unit_as(monkeypatch, UnitRenamedWithoutRef)
    assert broken_promises(release) == [
        f"UnitRenamed v1 field {change}: bump UnitRenamed's schema_version to 2 and add an upcaster from 1 "
        "(@upcaster('UnitRenamed', 1) in thidua_contracts/upcasters.py)"
        for change in ("effective_on: type changed from string:date to string", "decision_ref: removed (or renamed)",
                       "reason: added as required, without a default: events stored without it no longer read")]


@pytest.mark.usefixtures("upcasters")
def test_a_breaking_change_with_a_new_version_needs_an_upcaster_from_the_published_one(
        release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed_unit_as(monkeypatch, UnitRenamedV2)
    assert broken_promises(release) == [
        "UnitRenamed v1 was published and has no upcaster to v2: add @upcaster('UnitRenamed', 1) in "
        "thidua_contracts/upcasters.py"]

    @upcasting.upcaster("UnitRenamed", 1)
    def unit_renamed_v2(payload: dict[str, Any]) -> dict[str, Any]:
        return {**payload, "reason": payload.get("decision_ref") or "không rõ"}

    assert broken_promises(release) == []


@pytest.mark.usefixtures("upcasters")
def test_a_release_publishes_the_new_version_and_keeps_the_old_one(
        release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed_unit_as(monkeypatch, UnitRenamedWithoutRef)
    with pytest.raises(ValueError, match="UnitRenamed v1 field decision_ref: removed"):
        publish(release)
    assert "decision_ref" in json.loads((release / "UnitRenamed.v1.json").read_text())["properties"]

    renamed_unit_as(monkeypatch, UnitRenamedV2)
    upcasting.upcaster("UnitRenamed", 1)(lambda payload: {**payload, "reason": "không rõ"})
    publish(release)
    assert {version for event_type, version in read_published(release) if event_type == "UnitRenamed"} == {1, 2}
    assert "reason" in json.loads((release / "UnitRenamed.v2.json").read_text())["required"]


def test_a_published_event_type_may_not_leave_the_contract(release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(EVENT_MODELS, "BallotCast")
    assert broken_promises(release) == [
        "BallotCast was published (v1) and is gone from the contract: events stored with it must stay readable "
        "forever; keep its model in the catalogue"]


def test_a_schema_version_never_goes_back(release: Path) -> None:
    schema = event_schemas()["UnitScored"]
    (release / "UnitScored.v3.json").write_text(json.dumps({**schema, "x-schema-version": 3}))
    assert broken_promises(release) == [
        "UnitScored v3 was published and the model is at v2: a schema_version never goes back; restore v3"]


def test_a_breaking_change_to_the_envelope_is_refused(release: Path) -> None:
    published = envelope_schema()
    published["properties"]["tenant"] = {"type": "string"}
    (release / "Envelope.json").write_text(json.dumps(published))
    assert broken_promises(release) == [
        "Envelope field tenant: removed (or renamed): the envelope has no schema_version, so no upcaster can carry "
        "the change, and every subscriber validates it; keep it compatible"]


def test_a_compatible_change_passes_without_a_new_version(release: Path) -> None:
    published = json.loads((release / "UnitRenamed.v1.json").read_text())
    del published["properties"]["decision_ref"]  # as if decision_ref were added since the release
    (release / "UnitRenamed.v1.json").write_text(json.dumps(published))
    assert broken_promises(release) == []
