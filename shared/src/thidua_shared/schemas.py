"""JSON Schema of the envelope and of every event's payload, for subscribers of other systems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from thidua_shared.contracts import EVENT_MODELS
from thidua_shared.envelope import Envelope


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
