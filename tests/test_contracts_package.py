"""The contracts package installs alone in a fresh virtual environment and validates the demo's events.

A subscribing system installs only ``thidua-contracts``: its one dependency is pydantic. The events are
``tests/fixtures/demo_events.jsonl``: every event of one run of ``thidua demo`` (98 events of 18 types
from the four services), in the form published on Kafka, one per line, recorded by
``python tools/record_demo_events.py`` (run it again when the demo or the contract changes).

The test builds the venv and installs the package from a copy of ``contracts/`` (pip fetches pydantic
and the build backend from the package index, or its cache); about 20 s.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "demo_events.jsonl"
INSTALLER = {"pip", "setuptools", "wheel"}

INSTALLED = r"""
import json, re
from importlib.metadata import distribution, distributions

def name(text):
    return re.split(r"[\s;<>=!~\[(]", text.strip(), maxsplit=1)[0].lower().replace("_", "-")

def needs(dist_name):
    return [name(req) for req in distribution(dist_name).requires or [] if "extra ==" not in req]

closure, todo = set(), ["thidua-contracts"]
while todo:
    current = todo.pop()
    if current not in closure:
        closure.add(current)
        todo += needs(current)
print(json.dumps({
    "installed": sorted(name(d.metadata["Name"]) for d in distributions()),
    "requires": needs("thidua-contracts"),
    "closure": sorted(closure),
}))
"""

VALIDATE = r"""
import importlib.util, json, sys
from collections import Counter
from thidua_contracts import InvalidEvent, read_event

types, ids = Counter(), set()
with open(sys.argv[1], "rb") as lines:
    messages = [line.rstrip(b"\n") for line in lines if line.strip()]
for message in messages:
    envelope, payload = read_event(message)
    assert type(payload).__name__ == envelope.event_type
    types[envelope.event_type] += 1
    ids.add(str(envelope.event_id))
tampered = messages[0].replace(b'"schema_version":1', b'"schema_version":2', 1)
try:
    read_event(tampered)
    refused = False
except InvalidEvent:
    refused = True
print(json.dumps({
    "read": sum(types.values()), "distinct_ids": len(ids), "types": types, "tampered_refused": refused,
    "importable": {m: importlib.util.find_spec(m) is not None for m in ("thidua_shared", "orjson", "sqlalchemy")},
}))
"""


def run_json(python: Path, script: str, *args: str) -> Any:
    done = subprocess.run([str(python), "-c", script, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def recorded_types() -> set[str]:
    return {json.loads(line)["event_type"] for line in FIXTURE.read_bytes().splitlines() if line.strip()}


def test_the_contracts_package_alone_validates_every_event_of_the_demo(tmp_path: Path) -> None:
    source = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts", source,
                    ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__", "tests"))
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)],
        capture_output=True, text=True, timeout=240)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    found = run_json(python, INSTALLED)
    assert found["requires"] == ["pydantic"]
    assert set(found["installed"]) - INSTALLER == set(found["closure"]), "installed beyond pydantic's own needs"
    assert {"thidua-contracts", "pydantic"} <= set(found["closure"])

    checked = run_json(python, VALIDATE, str(FIXTURE))
    lines = [line for line in FIXTURE.read_bytes().splitlines() if line.strip()]
    assert checked["read"] == checked["distinct_ids"] == len(lines) > 0
    assert set(checked["types"]) == recorded_types()
    assert checked["tampered_refused"]
    assert checked["importable"] == {"thidua_shared": False, "orjson": False, "sqlalchemy": False}


def test_the_recorded_events_cover_every_service_and_the_demos_main_flows() -> None:
    sources = {json.loads(line)["source"] for line in FIXTURE.read_bytes().splitlines() if line.strip()}
    assert sources == {"registry", "scoring", "awards", "notifications"}
    assert {"UnitRegistered", "ChairElected", "UnitScored", "RankingPublished", "HonoringVoteClosed",
            "AwardDecided", "NotificationSent"} <= recorded_types()
