"""The public contract: every event of EVENTS.md has a model and a schema; old versions stay readable."""

from __future__ import annotations

from typing import ClassVar

import pytest

from thidua_contracts import EVENT_MODELS, upcasting
from thidua_contracts.registry import RegistryEvent
from thidua_contracts.schemas import asyncapi_document, event_schemas

CONTRACT = {
    "registry": ["ProvinceRegistered", "ProvinceMergerConsented", "ProvincesMerged", "UnitRegistered",
                 "UnitRenamed", "UnitsMerged", "UnitDissolved", "BlocEstablished", "UnitJoinedBloc", "UnitLeftBloc",
                 "BlocSupervisorAssigned", "ChairElected", "ViceChairElected", "ChairHandedOver"],
    "scoring": ["ScoringTableAdopted", "TargetsRegistered", "SelfAssessmentSubmitted",
                "CrossAssessmentSubmitted", "ScoreAdjusted", "UnitScored", "RankingPublished",
                "SelfAssessmentVerified", "TargetResultsRecorded", "RankingTieResolved"],
    "awards": ["RulebookAdopted", "HonoringVoteOpened", "BallotCast", "HonoringVoteClosed", "AwardProposed",
               "ProposalReturned", "ProposalResubmitted", "CouncilVoteRecorded", "AwardDecided", "AwardRejected",
               "ForwardedToCentral", "AwardFrozen", "AwardUnfrozen", "AwardRevoked"],
    "notifications": ["NotificationSent", "NotificationFailed", "SubscriptionCreated", "SubscriptionRevoked"],
}


def test_every_event_of_the_contract_has_a_model_owned_by_its_service() -> None:
    for source, names in CONTRACT.items():
        for name in names:
            assert EVENT_MODELS[name].source == source, name


def test_no_event_is_a_kind_of_another_so_a_handler_is_found_by_the_exact_class() -> None:
    for name, model in EVENT_MODELS.items():
        assert not [other for other in EVENT_MODELS.values() if other is not model and issubclass(model, other)], name


def test_every_event_has_a_json_schema_with_its_version_and_source() -> None:
    schemas = event_schemas()
    assert set(schemas) == set(EVENT_MODELS)
    assert schemas["UnitScored"]["x-source"] == "scoring"
    assert schemas["UnitScored"]["x-schema-version"] == 2
    assert set(schemas["UnitScored"]["required"]) >= {"bloc_id", "year", "unit_id", "total", "breakdown"}


class UnitNicknamed(RegistryEvent):
    """A test event at version 2: version 1 called the field ``nick``."""

    schema_version: ClassVar[int] = 2
    unit_id: str
    nickname: str


@pytest.fixture
def nicknamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EVENT_MODELS, "UnitNicknamed", UnitNicknamed)
    monkeypatch.setattr(upcasting, "_UPCASTERS", dict(upcasting._UPCASTERS))

    @upcasting.upcaster("UnitNicknamed", 1)
    def rename_nick(payload: dict[str, object]) -> dict[str, object]:
        return {"unit_id": payload["unit_id"], "nickname": payload["nick"]}


@pytest.mark.usefixtures("nicknamed")
def test_an_event_stored_at_an_old_version_is_read_through_its_upcaster() -> None:
    event = upcasting.read_payload("UnitNicknamed", 1, {"unit_id": "u", "nick": "BTC"})
    assert event == UnitNicknamed(unit_id="u", nickname="BTC")


@pytest.mark.usefixtures("nicknamed")
def test_an_event_newer_than_the_code_or_without_an_upcaster_is_refused_clearly() -> None:
    with pytest.raises(upcasting.UnreadableEvent, match="newer than this code"):
        upcasting.read_payload("UnitNicknamed", 3, {})
    with pytest.raises(upcasting.UnreadableEvent, match="no upcaster"):
        upcasting.read_payload("UnitNicknamed", 0, {})


def test_the_asyncapi_document_lists_every_event_on_its_services_channel() -> None:
    document = asyncapi_document()
    assert document["asyncapi"] == "3.0.0"
    for source, names in CONTRACT.items():
        channel = document["channels"][source]
        assert channel["address"] == f"thidua.{{province}}.{source}"
        assert set(channel["messages"]) >= set(names)
    components = document["components"]["schemas"]
    envelope, own = document["components"]["messages"]["UnitScored"]["payload"]["allOf"]
    assert envelope == {"$ref": "#/components/schemas/Envelope"}
    assert own["properties"]["payload"] == {"$ref": "#/components/schemas/UnitScored"}
    assert "breakdown" in components["UnitScored"]["properties"]

    def refs(node: object) -> list[str]:
        if isinstance(node, dict):
            return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in refs(v)]
        return [r for v in node for r in refs(v)] if isinstance(node, list) else []

    for ref in refs(document):
        node: object = document
        for part in ref.removeprefix("#/").split("/"):
            assert isinstance(node, dict), f"{ref} does not resolve"
            assert part in node, f"{ref} does not resolve"
            node = node[part]
