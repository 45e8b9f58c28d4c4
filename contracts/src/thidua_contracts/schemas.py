"""The published contract: JSON Schema of the envelope and of every event's payload, and the AsyncAPI document
of the topics, for the systems that subscribe.

The schemas are the pydantic models' own, published open: every object allows added fields
(``additionalProperties: true``), since the contract may add fields and consumers must tolerate them. The
models stay strict for the services that write the events. Each schema names its dialect (``$schema``) and its
identity (``$id``): ``urn:thidua:schema:Envelope`` and ``urn:thidua:schema:<EventType>:v<schema_version>``, so
a subscriber resolves a message's payload schema from its ``event_type`` and ``schema_version``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from thidua_contracts.catalog import EVENT_MODELS
from thidua_contracts.documentation import EVENT_DOCS, example_envelope
from thidua_contracts.envelope import Envelope

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_ID = "urn:thidua:schema:Envelope"
KAFKA_BINDING = "0.5.0"
PARTITIONS = 4
DEAD_LETTER_CONSUMERS = ("scoring", "awards", "notifications")
"""The services that consume other services' topics, so set aside what breaks the contract on their own
dead-letter topic (``thidua.<province>.<consumer>.dlq``)."""


def schema_id(event_type: str, schema_version: int) -> str:
    """The ``$id`` of the payload schema of ``event_type`` at ``schema_version``."""
    return f"urn:thidua:schema:{event_type}:v{schema_version}"


def open_schema(node: Any) -> Any:
    """``node`` with every ``additionalProperties: false`` made ``true``: consumers tolerate added fields."""
    if isinstance(node, dict):
        return {key: True if key == "additionalProperties" and value is False else open_schema(value)
                for key, value in node.items()}
    if isinstance(node, list):
        return [open_schema(item) for item in node]
    return node


def envelope_schema() -> dict[str, Any]:
    """The JSON Schema of every published message: the envelope, its payload an object."""
    schema = open_schema(Envelope.model_json_schema())
    return {"$schema": DIALECT, "$id": ENVELOPE_ID, **schema,
            "description": "One published event: the envelope of the public contract. Deduplicate on event_id."}


def event_schemas() -> dict[str, dict[str, Any]]:
    """``{event_type: schema}`` of every event's payload; each names its source service and schema version."""
    schemas: dict[str, dict[str, Any]] = {}
    for name, model in EVENT_MODELS.items():
        schema = open_schema(model.model_json_schema())
        schemas[name] = {"$schema": DIALECT, "$id": schema_id(name, model.schema_version), **schema,
                         "description": EVENT_DOCS[name].description,
                         "x-source": model.source, "x-schema-version": model.schema_version}
    return schemas


def _json_file(schema: dict[str, Any]) -> str:
    """A schema as a file: indented, Vietnamese left as written (UTF-8, whatever the locale), a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write the envelope's schema (``Envelope.json``) and each event's at its current version
    (``<EventType>.v<N>.json``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "Envelope.json"]
    written[0].write_text(_json_file(envelope_schema()), encoding="utf-8")
    for name, schema in event_schemas().items():
        path = folder / f"{name}.v{schema['x-schema-version']}.json"
        path.write_text(_json_file(schema), encoding="utf-8")
        written.append(path)
    return written


COMPONENT_REF = "#/components/schemas/{model}"


def _component(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    """The model's open schema with its nested models moved to ``components.schemas`` (AsyncAPI refs)."""
    schema = open_schema(model.model_json_schema(ref_template=COMPONENT_REF))
    schemas.update(schema.pop("$defs", {}))
    return dict(schema)


HEADERS: dict[str, Any] = {
    "event_type": {"type": "string", "description": "the event's type, as in the envelope: filter without parsing"},
    "thidua-epoch": {"type": "string", "description": "the relay's epoch: a new one on a partition means the "
                                                      "service published its whole log again; re-read it"},
}

DESCRIPTION = """\
The events of thidua, the system of emulation and commendation work (thi đua, khen thưởng) of Vietnamese
provinces, as its four services publish them on Kafka. This document is the contract.

- **Topics.** One per province and service: `thidua.<province>.<service>`, the province code in lower case
  (`thidua.hnm.awards`). A subscriber of every province's awards uses the pattern `thidua\\..*\\.awards`.
- **Messages.** The value is the event's envelope in JSON (UTF-8), its `hash` as the last member: the SHA-256
  of the bytes before it (with `}` closing them) chains the service's log, so an auditor proves nothing was
  altered. The key is the envelope's `stream_id`; the header `event_type` repeats the type.
- **Delivery.** At least once, in order per `stream_id`. Deduplicate on `event_id`. Topics keep their messages
  forever: a new consumer group reads every event from the start.
- **Evolution.** Fields and event types may be added (tolerate them: the schemas allow added properties;
  skip unknown types). Renaming or removing a field makes a new `schema_version`; old versions stay readable.
- **Dead letters.** A thidua service that consumes a message breaking the contract sets it aside on
  `thidua.<province>.<consumer>.dlq` with the reason, and goes on.
- **Webhooks.** The notifications service also delivers events to subscribed URLs by the Standard Webhooks
  specification (`webhook-id`, `webhook-timestamp`, `webhook-signature`); the body is the envelope exactly as
  on Kafka.
- Python subscribers can install the `thidua-contracts` package (models, upcasters, `read_event`); reference
  subscribers are in the repository's `examples/`.
"""


def _message(name: str) -> dict[str, Any]:
    model, doc = EVENT_MODELS[name], EVENT_DOCS[name]
    example = example_envelope(name)
    return {
        "name": name,
        "title": doc.title_vi,
        "summary": f"{name} (v{model.schema_version}) from the {model.source} service",
        "description": doc.description,
        "contentType": "application/json",
        "correlationId": {"location": "$message.payload#/correlation_id"},
        "headers": {"type": "object", "required": ["event_type", "thidua-epoch"], "properties": {
            **HEADERS, "event_type": {**HEADERS["event_type"], "const": name}}},
        "payload": {"allOf": [
            {"$ref": COMPONENT_REF.format(model="Envelope")},
            {"type": "object", "properties": {
                "event_type": {"const": name},
                "schema_version": {"const": model.schema_version},
                "source": {"const": model.source},
                "payload": {"$ref": COMPONENT_REF.format(model=name)},
            }},
        ]},
        "bindings": {"kafka": {"key": {"type": "string", "description": "the envelope's stream_id",
                                       "examples": [doc.stream]},
                               "bindingVersion": KAFKA_BINDING}},
        "examples": [{"name": f"{name}-example", "summary": f"{doc.title_vi}; key {doc.stream}",
                      "headers": {"event_type": name, "thidua-epoch": "3f6b2a9e-1c4d-4e8f-9a7b-5d2c1e0f4a6b"},
                      "payload": example}],
    }


def _dead_letter_message() -> dict[str, Any]:
    tampered = example_envelope("AwardDecided")
    tampered["payload"] = {**tampered["payload"], "decision_no": "301/QĐ-UBND"}
    return {
        "name": "DeadLetter",
        "title": "Thông điệp không đúng hợp đồng sự kiện",
        "summary": "A message a thidua service could not accept, set aside with the reason",
        "description": "The message exactly as the consuming service received it (value, key and headers), with "
                       "three headers added: why it was refused, which consumer refused it, and where it was "
                       "read (`topic/partition/offset`). The value may be anything; usually an envelope.",
        "contentType": "application/octet-stream",
        "headers": {"type": "object", "required": ["dlq-reason", "dlq-consumer", "dlq-source"], "properties": {
            **HEADERS,
            "dlq-reason": {"type": "string", "description": "why the message breaks the contract"},
            "dlq-consumer": {"type": "string", "description": "the consuming subscription, "
                                                              "`<service>.from.<source>`"},
            "dlq-source": {"type": "string", "description": "`<topic>/<partition>/<offset>` it was read at"},
        }},
        "payload": {"description": "the refused message's value, byte for byte"},
        "bindings": {"kafka": {"key": {"type": "string", "description": "the refused message's key"},
                               "bindingVersion": KAFKA_BINDING}},
        "examples": [{"name": "altered-decision", "summary": "an AwardDecided whose decision number was altered",
                      "headers": {"event_type": "AwardDecided", "thidua-epoch": "3f6b2a9e-1c4d-4e8f-9a7b-5d2c1e0f4a6b",
                                  "dlq-reason": "hash does not match the event",
                                  "dlq-consumer": "notifications.from.awards",
                                  "dlq-source": "thidua.hnm.awards/2/1187"},
                      "payload": tampered}],
    }


def _channel_bindings() -> dict[str, Any]:
    return {"kafka": {"partitions": PARTITIONS, "replicas": 1,
                      "topicConfiguration": {"retention.ms": -1, "retention.bytes": -1},
                      "bindingVersion": KAFKA_BINDING}}


PROVINCE = {"description": "the province code in lower case", "examples": ["hnm"]}


def asyncapi_document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the public topics: one channel per service, its events as messages, one
    dead-letter channel per consuming service, and the ``send`` operations of thidua."""
    schemas: dict[str, Any] = {}
    schemas["Envelope"] = _component(Envelope, schemas)
    messages: dict[str, Any] = {}
    by_source: dict[str, list[str]] = {}
    for name, model in EVENT_MODELS.items():
        by_source.setdefault(model.source, []).append(name)
        schemas[name] = {**_component(model, schemas), "x-source": model.source,
                         "x-schema-version": model.schema_version}
        messages[name] = _message(name)
    messages["DeadLetter"] = _dead_letter_message()
    channels: dict[str, Any] = {
        source: {
            "address": "thidua.{province}." + source,
            "title": f"thidua.<province>.{source}",
            "description": f"The events of the {source} service for one province, keyed by stream_id; "
                           "kept forever (a replay source).",
            "parameters": {"province": PROVINCE},
            "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in sorted(names)},
            "bindings": _channel_bindings(),
        }
        for source, names in sorted(by_source.items())
    }
    for consumer in DEAD_LETTER_CONSUMERS:
        channels[f"{consumer}_dead_letters"] = {
            "address": "thidua.{province}." + consumer + ".dlq",
            "title": f"thidua.<province>.{consumer}.dlq",
            "description": f"What the {consumer} service read from other services' topics and refused as "
                           "breaking the contract, with the reason; it went on past them.",
            "parameters": {"province": PROVINCE},
            "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
            "bindings": _channel_bindings(),
        }
    operations: dict[str, Any] = {}
    for key, channel in channels.items():
        dead = key.endswith("_dead_letters")
        operations[f"send_{key}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{key}"},
            "title": f"thidua publishes {channel['title']}",
            "summary": ("A consuming service sets a refused message aside" if dead
                        else f"The {key} service's relay publishes its log, in order per stream_id"),
            "messages": [{"$ref": f"#/channels/{key}/messages/{name}"} for name in channel["messages"]],
        }
    return {
        "asyncapi": "3.0.0",
        "id": "urn:thidua:events",
        "info": {"title": "thidua public events", "version": "1.1.0", "description": DESCRIPTION,
                 "tags": [{"name": "thi đua, khen thưởng"}]},
        "defaultContentType": "application/json",
        "servers": {
            "production": {
                "host": "{bootstrap}", "protocol": "kafka", "protocolVersion": "3.9",
                "title": "Apache Kafka of a thidua installation",
                "description": "The Kafka cluster the services publish to (KAFKA_BOOTSTRAP_SERVERS); in the "
                               "repository's docker compose it is `kafka:9092` inside the compose network.",
                "variables": {"bootstrap": {"default": "kafka:9092",
                                            "description": "host:port of a bootstrap broker"}},
                "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING}},
            },
            "embedded": {
                "host": "127.0.0.1:{port}", "protocol": "kafka",
                "title": "the embedded broker of `thidua up` and `thidua demo`",
                "description": "A Kafka-protocol broker (tansu) in memory on loopback, for development and "
                               "trials; `thidua up` prints `Kafka: 127.0.0.1:<port>`. It keeps nothing when "
                               "stopped (the services publish their logs again) and has no transactions.",
                "variables": {"port": {"description": "the port `thidua up` prints", "examples": ["39092"]}},
                "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING}},
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }
