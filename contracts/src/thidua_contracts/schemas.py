"""JSON Schema of the envelope and of every event's payload, for subscribers of other systems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from thidua_contracts.catalog import EVENT_MODELS
from thidua_contracts.envelope import Envelope


def event_schemas() -> dict[str, dict[str, Any]]:
    """``{event_type: schema}``; each names its source service and schema version."""
    schemas: dict[str, dict[str, Any]] = {}
    for name, model in EVENT_MODELS.items():
        schema = model.model_json_schema()
        schema["x-source"] = model.source
        schema["x-schema-version"] = model.schema_version
        schemas[name] = schema
    return schemas


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "Envelope.json"]
    written[0].write_text(json.dumps(Envelope.model_json_schema(), indent=2, ensure_ascii=False))
    for name, schema in event_schemas().items():
        path = folder / f"{name}.v{schema['x-schema-version']}.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False))
        written.append(path)
    return written


COMPONENT_REF = "#/components/schemas/{model}"


def _component(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    """The model's schema with its nested models moved to ``components.schemas`` (AsyncAPI refs)."""
    schema = model.model_json_schema(ref_template=COMPONENT_REF)
    schemas.update(schema.pop("$defs", {}))
    return schema


def asyncapi_document() -> dict[str, Any]:
    """An AsyncAPI 3.0 document of the public topics: one channel per service, its events as messages."""
    schemas: dict[str, Any] = {}
    schemas["Envelope"] = _component(Envelope, schemas)
    messages: dict[str, Any] = {}
    by_source: dict[str, list[str]] = {}
    for name, model in EVENT_MODELS.items():
        by_source.setdefault(model.source, []).append(name)
        schemas[name] = {**_component(model, schemas), "x-source": model.source,
                         "x-schema-version": model.schema_version}
        messages[name] = {
            "name": name,
            "title": name,
            "contentType": "application/json",
            "headers": {"type": "object", "properties": {
                "event_type": {"type": "string", "const": name},
                "thidua-epoch": {"type": "string", "description": "relay epoch; a new one means re-read"},
            }},
            "payload": {"allOf": [
                {"$ref": COMPONENT_REF.format(model="Envelope")},
                {"type": "object", "properties": {
                    "event_type": {"const": name},
                    "schema_version": {"const": model.schema_version},
                    "payload": {"$ref": COMPONENT_REF.format(model=name)},
                }},
            ]},
        }
    channels = {
        source: {
            "address": "thidua.{province}." + source,
            "description": f"Events of the {source} service for one province, keyed by stream_id.",
            "parameters": {"province": {"description": "the province code in lower case, e.g. hnm"}},
            "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in sorted(names)},
        }
        for source, names in sorted(by_source.items())
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "thidua public events", "version": "1.0.0",
                 "description": "Delivery is at least once, in order per stream_id; deduplicate on event_id."},
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": {
            f"receive_{source}": {"action": "receive", "channel": {"$ref": f"#/channels/{source}"}}
            for source in channels
        },
        "components": {"schemas": schemas, "messages": messages},
    }
