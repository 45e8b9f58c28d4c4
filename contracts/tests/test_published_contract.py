"""The published contract fits subscribers: a valid AsyncAPI 3.0 document with servers, Kafka bindings, a
described and exemplified message for every event, the dead-letter channels and thidua's ``send`` operations;
JSON Schemas that name their dialect and identity and tolerate added fields."""

from __future__ import annotations

import copy
import json
import re
import warnings
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from thidua_contracts import EVENT_MODELS, read_event
from thidua_contracts.documentation import EVENT_DOCS, canonical, example_envelope
from thidua_contracts.schemas import (
    DIALECT,
    ENVELOPE_ID,
    asyncapi_document,
    envelope_schema,
    event_schemas,
    schema_id,
)
from thidua_contracts.wire import wire

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the validator's models shadow a pydantic attribute; harmless
    from asyncapi3.models import AsyncAPI3

DOCUMENT_URI = "urn:test:asyncapi"


def published_registry() -> Registry[Any]:
    """The envelope's and every event's schema, found by their ``$id`` as a subscriber finds them."""
    resources = [envelope_schema(), *event_schemas().values()]
    return Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in resources)


def message_validator(event_type: str) -> Draft202012Validator:
    """A whole message of ``event_type``: the envelope, its payload by the event's own schema."""
    version = EVENT_MODELS[event_type].schema_version
    schema = {"allOf": [{"$ref": ENVELOPE_ID},
                        {"properties": {"payload": {"$ref": schema_id(event_type, version)}}}]}
    return Draft202012Validator(schema, registry=published_registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_asyncapi_document_validates_as_asyncapi_3() -> None:
    document = asyncapi_document()
    AsyncAPI3.model_validate(document)
    broken = copy.deepcopy(document)
    broken["operations"]["send_awards"]["action"] = "publish"  # AsyncAPI 2's word, not 3's
    with pytest.raises(ValueError, match="action"):
        AsyncAPI3.model_validate(broken)


def test_the_document_names_its_kafka_servers_production_and_embedded() -> None:
    servers = asyncapi_document()["servers"]
    assert set(servers) == {"production", "embedded"}
    assert {server["protocol"] for server in servers.values()} == {"kafka"}
    assert servers["production"]["variables"]["bootstrap"]["default"] == "kafka:9092"
    assert servers["embedded"]["host"].startswith("127.0.0.1:")
    assert all(server["description"] for server in servers.values())


def test_every_channel_is_a_topic_per_province_kept_forever_and_thidua_sends_on_each() -> None:
    document = asyncapi_document()
    channels, operations = document["channels"], document["operations"]
    for key, channel in channels.items():
        assert re.fullmatch(r"thidua\.\{province\}\.[a-z]+(\.dlq)?", channel["address"]), key
        assert channel["bindings"]["kafka"]["topicConfiguration"]["retention.ms"] == -1
    assert {op["channel"]["$ref"] for op in operations.values()} == {f"#/channels/{key}" for key in channels}
    assert {op["action"] for op in operations.values()} == {"send"}
    awards = operations["send_awards"]
    assert {"$ref": "#/channels/awards/messages/AwardDecided"} in awards["messages"]


def test_the_dead_letter_channels_carry_the_refused_message_and_the_reason() -> None:
    document = asyncapi_document()
    dead = {channel["address"] for key, channel in document["channels"].items() if key.endswith("_dead_letters")}
    assert dead == {"thidua.{province}.scoring.dlq", "thidua.{province}.awards.dlq",
                    "thidua.{province}.notifications.dlq"}
    message = document["components"]["messages"]["DeadLetter"]
    assert set(message["headers"]["required"]) == {"dlq-reason", "dlq-consumer", "dlq-source"}
    refused = message["examples"][0]["payload"]
    body = canonical({name: value for name, value in refused.items() if name != "hash"})
    with pytest.raises(ValueError, match="hash does not match"):
        read_event(wire(body, refused["hash"]))


def test_every_event_message_is_described_keyed_by_stream_id_and_has_an_example_that_reads() -> None:
    document = asyncapi_document()
    messages = document["components"]["messages"]
    registry = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(document))
    for name in EVENT_MODELS:
        message = messages[name]
        assert message["description"], name
        assert message["title"], name
        assert message["bindings"]["kafka"]["key"]["description"] == "the envelope's stream_id"
        (example,) = message["examples"]
        envelope = example["payload"]
        assert example["headers"]["event_type"] == name == envelope["event_type"]
        assert message["bindings"]["kafka"]["key"]["examples"] == [envelope["stream_id"]]
        body = canonical({key: value for key, value in envelope.items() if key != "hash"})
        _, payload = read_event(wire(body, envelope["hash"]))  # the contract's own reader accepts it
        assert type(payload).__name__ == name
        Draft202012Validator({"$ref": f"{DOCUMENT_URI}#/components/messages/{name}/payload"},
                             registry=registry).validate(envelope)
        message_validator(name).validate(envelope)


def test_the_examples_are_real_looking_vietnamese_records() -> None:
    decided = example_envelope("AwardDecided")["payload"]
    assert decided["decision_no"] == "300/QĐ-UBND"
    assert decided["decided_on"] == "2024-02-20"
    assert decided["authority"] == "Ủy ban nhân dân tỉnh Hà Nam"
    assert EVENT_DOCS["UnitRegistered"].payload["name"] == "Văn phòng Tỉnh ủy"
    assert "Khối thi đua" in EVENT_DOCS["BlocEstablished"].payload["name"]
    assert all(set(doc.payload) == set(EVENT_MODELS[name].model_fields) for name, doc in EVENT_DOCS.items()), \
        "an example shows every field of its event"


def test_every_json_schema_names_its_dialect_and_identity() -> None:
    schemas = [envelope_schema(), *event_schemas().values()]
    assert {schema["$schema"] for schema in schemas} == {DIALECT}
    ids = [schema["$id"] for schema in schemas]
    assert len(set(ids)) == len(ids)
    assert event_schemas()["UnitScored"]["$id"] == "urn:thidua:schema:UnitScored:v2"
    for schema in schemas:
        Draft202012Validator.check_schema(schema)


def test_the_published_schemas_and_document_never_forbid_added_fields() -> None:
    published = json.dumps([envelope_schema(), event_schemas(), asyncapi_document()])
    assert '"additionalProperties": false' not in published
    assert '"additionalProperties": true' in published


def test_an_envelope_with_added_fields_validates_and_a_broken_one_does_not() -> None:
    validator = message_validator("AwardDecided")
    envelope = example_envelope("AwardDecided")
    newer = {**envelope, "trace_id": "4bf92f3577b34da6", "actor": {**envelope["actor"], "ip": "10.0.0.8"},
             "payload": {**envelope["payload"], "decision_url": "https://hanam.gov.vn/qd/300"}}
    validator.validate(newer)
    with pytest.raises(ValidationError, match="'event_id' is a required property"):
        validator.validate({key: value for key, value in envelope.items() if key != "event_id"})
    with pytest.raises(ValidationError, match="'20/02/2024' is not a 'date'"):
        validator.validate({**envelope, "payload": {**envelope["payload"], "decided_on": "20/02/2024"}})
    with pytest.raises(ValidationError, match="'300' is not valid under any of the given schemas"):
        validator.validate({**envelope, "payload": {**envelope["payload"], "reward_vnd": "300"}})
