"""Every event of the contract is recorded by some path of a service (a static look at the services' code), and
the AsyncAPI document's dead-letter channels are those of the services that consume other services' topics."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from awards.entrypoints.consumers import SUBSCRIPTIONS as AWARDS_READS
from notifications.entrypoints.consumers import SUBSCRIPTIONS as NOTIFICATIONS_READS
from registry.entrypoints.consumers import SUBSCRIPTIONS as REGISTRY_READS
from scoring.entrypoints.consumers import SUBSCRIPTIONS as SCORING_READS
from thidua_contracts import EVENT_MODELS
from thidua_contracts.schemas import DEAD_LETTER_CONSUMERS, asyncapi_document

ROOT = Path(__file__).resolve().parent.parent

def constructions(tree: ast.AST, names: set[str]) -> Iterator[tuple[str, int]]:
    """``(event type, line)`` of every payload built in ``tree``: a call of the class itself, or of a local name
    bound to it (``model = ChairElected if ... else ViceChairElected`` then ``model(...)``); a call inside a
    function may be yielded twice (once for the module)."""
    for scope in ast.walk(tree):
        if not isinstance(scope, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        aliases: dict[str, set[str]] = {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                bound = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name) and n.id in names}
                if bound and not isinstance(node.value, ast.Call):
                    aliases[node.targets[0].id] = bound
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            for name in ({called} & names) | aliases.get(called, set()):
                yield name, node.lineno


def recorded_where() -> dict[str, list[str]]:
    """For each event type, the places in the services' source that build its payload."""
    names = set(EVENT_MODELS)
    found: dict[str, list[str]] = {}
    for path in sorted(ROOT.glob("services/*/src/**/*.py")):
        for name, line in constructions(ast.parse(path.read_text(encoding="utf-8")), names):
            place = f"{path.relative_to(ROOT)}:{line}"
            if place not in found.setdefault(name, []):
                found[name].append(place)
    return found


def test_every_event_of_the_contract_is_recorded_by_some_path() -> None:
    found = recorded_where()
    never = sorted(set(EVENT_MODELS) - set(found))
    assert never == [], f"events of the contract that no service records: {never}"


def test_each_event_is_recorded_by_its_own_service() -> None:
    for name, places in recorded_where().items():
        owners = {place.split("/")[1] for place in places}
        assert owners == {EVENT_MODELS[name].source}, f"{name} built in {places}"


def test_the_scan_sees_a_payload_built_through_a_local_name() -> None:
    code = "def elect(chair):\n    model = ChairElected if chair else ViceChairElected\n    return model(bloc_id='b')\n"
    assert sorted(set(constructions(ast.parse(code), {"ChairElected", "ViceChairElected", "UnitScored"}))) == [
        ("ChairElected", 3), ("ViceChairElected", 3)]


def test_the_dead_letter_channels_are_those_of_the_consuming_services() -> None:
    reads = {"registry": REGISTRY_READS, "scoring": SCORING_READS, "awards": AWARDS_READS,
             "notifications": NOTIFICATIONS_READS}
    consumers = {service for service, sources in reads.items() if sources}
    assert set(DEAD_LETTER_CONSUMERS) == consumers
    addresses = {channel["address"] for channel in asyncapi_document()["channels"].values()}
    assert {f"thidua.{{province}}.{consumer}.dlq" for consumer in consumers} <= addresses
