"""The schemas of the last release, kept as published, and what the contract owes them.

A release writes the JSON Schema of the envelope (``Envelope.json``) and of every event type at its current
schema version (``<EventType>.v<N>.json``) into a folder that is committed (the repository's
``shared/published-schemas``). Files of older versions stay: each one is a promise to the events stored at
that version. :func:`broken_promises` says, for the contract as the code now has it, which promises it breaks:

- an event type published at version N whose model is still at N must be compatible with the published
  schema (:mod:`thidua_contracts.compatibility`); a breaking change needs version N+1 and an upcaster from N;
- every published version below the model's must have an upcaster to the next one (old events stay
  readable forever), and no model may go back below a published version;
- no published event type may leave the contract (EVENTS.md: old events stay readable forever; subscribers
  tolerate added types, not removed ones);
- the envelope is not versioned: it must stay compatible with the published one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from thidua_contracts.catalog import EVENT_MODELS
from thidua_contracts.compatibility import incompatibilities
from thidua_contracts.schemas import envelope_schema, event_schemas, write_schemas
from thidua_contracts.upcasting import has_upcaster

ENVELOPE_FILE = "Envelope.json"
_EVENT_FILE = re.compile(r"(?P<event_type>[A-Za-z]+)\.v(?P<version>[1-9][0-9]*)\.json")


def read_published(folder: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """``{(event_type, schema_version): schema}`` of every event schema in ``folder``."""
    published: dict[tuple[str, int], dict[str, Any]] = {}
    for path in sorted(folder.glob("*.v*.json")):
        match = _EVENT_FILE.fullmatch(path.name)
        if match is None:
            raise ValueError(f"{path.name} is not named <EventType>.v<N>.json")
        published[match["event_type"], int(match["version"])] = json.loads(path.read_text(encoding="utf-8"))
    return published


def _bump(event_type: str, version: int) -> str:
    return (f"bump {event_type}'s schema_version to {version + 1} and add an upcaster from {version} "
            f"(@upcaster({event_type!r}, {version}) in thidua_contracts/upcasters.py)")


def broken_promises(folder: Path) -> list[str]:
    """What the current contract breaks of the release published in ``folder``, each with what to do."""
    problems: list[str] = []
    envelope_file = folder / ENVELOPE_FILE
    if envelope_file.exists():
        published_envelope = json.loads(envelope_file.read_text(encoding="utf-8"))
        problems += [f"Envelope {change}: the envelope has no schema_version, so no upcaster can carry the "
                     "change, and every subscriber validates it; keep it compatible"
                     for change in incompatibilities(published_envelope, envelope_schema())]
    current = event_schemas()
    for (event_type, version), schema in sorted(read_published(folder).items()):
        model = EVENT_MODELS.get(event_type)
        if model is None:
            problems.append(f"{event_type} was published (v{version}) and is gone from the contract: events "
                            "stored with it must stay readable forever; keep its model in the catalogue")
        elif version > model.schema_version:
            problems.append(f"{event_type} v{version} was published and the model is at v{model.schema_version}: "
                            f"a schema_version never goes back; restore v{version}")
        elif version == model.schema_version:
            problems += [f"{event_type} v{version} {change}: {_bump(event_type, version)}"
                         for change in incompatibilities(schema, current[event_type])]
        else:
            problems += [f"{event_type} v{step} was published and has no upcaster to v{step + 1}: add "
                         f"@upcaster({event_type!r}, {step}) in thidua_contracts/upcasters.py"
                         for step in range(version, model.schema_version) if not has_upcaster(event_type, step)]
    return problems


def publish(folder: Path) -> list[Path]:
    """Write the envelope's and every event type's current schema into ``folder``, keeping the files of older
    versions; refuse (``ValueError``, every reason) if the contract breaks what ``folder`` already holds."""
    problems = broken_promises(folder) if folder.exists() else []
    if problems:
        raise ValueError("the contract breaks the published schemas:\n" + "\n".join(problems))
    return write_schemas(folder)
