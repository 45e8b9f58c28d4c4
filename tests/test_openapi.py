"""Each service documents its API: every POST answers with a documented model (commands with Recorded),
every refusal with ErrorBody, every command accepts an Idempotency-Key and takes a body of its own, and every
operation has a short, stable id."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from awards.bootstrap import create_app as awards_app
from notifications.bootstrap import create_app as notifications_app
from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.commands import Command
from thidua_shared.http import RequestBody

BOUNDS = {"maxLength", "pattern", "enum", "const", "format", "maximum", "exclusiveMaximum", "maxItems",
          "maxProperties"}
NOT_MINE = {"GET /provinces/{province}/evidence/{sha256} sha256"}
"""Bounded by the change to the evidence routes made beside this one."""
NOT_COMMANDS = {"ImportAnswer", "EvidenceStored", "Checkpoint", "SubscriptionCreatedAnswer", "AccountAnswer",
                "Session"}
"""POSTs that answer with their own model: an import (which holds a Recorded), an evidence upload, a signed
checkpoint, a subscription (a Recorded with the secret shown once), a new account, a sign-in's token."""
SIGN_IN = "POST /provinces/{province}/sessions"
"""The one province route that takes no token (it is how a person gets one) and keeps no Idempotency-Key (its
answer is a new secret token, which is never stored)."""

POSTED_QUERIES = {"POST /provinces/{province}/imports/preview"}
"""POSTs that record nothing: a file sent to be read (too large for a query string), answered 200."""

APPS: list[Callable[[], FastAPI]] = [registry_app, scoring_app, awards_app, notifications_app]


@pytest.mark.parametrize("create_app", APPS, ids=["registry", "scoring", "awards", "notifications"])
def test_every_province_route_documents_its_answers_and_needs_a_bearer_token(
    create_app: Callable[[], FastAPI],
) -> None:
    document = create_app().openapi()
    routes = [(path, method, operation) for path, methods in document["paths"].items()
              for method, operation in methods.items() if path.startswith("/provinces/")]
    assert routes
    for path, method, operation in routes:
        where = f"{method.upper()} {path}"
        if where == SIGN_IN:
            assert "security" not in operation, where
        else:
            assert operation.get("security") == [{"HTTPBearer": []}], where
        for status in ("401", "403", "404", "422"):
            error = operation["responses"][status]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorBody"}, where
        if method == "post" and where not in POSTED_QUERIES:
            created = operation["responses"]["201"]["content"]["application/json"]["schema"]
            model = created["$ref"].removeprefix("#/components/schemas/")
            assert model in {"Recorded", *NOT_COMMANDS}, where


@pytest.mark.parametrize("create_app", APPS, ids=["registry", "scoring", "awards", "notifications"])
def test_every_province_route_that_changes_state_documents_the_idempotency_key(
    create_app: Callable[[], FastAPI],
) -> None:
    document = create_app().openapi()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            headers = {parameter["name"]: parameter for parameter in operation.get("parameters", [])
                       if parameter["in"] == "header"}
            where = f"{method.upper()} {path}"
            if path.startswith("/provinces/") and method in ("post", "put", "patch", "delete") and where != SIGN_IN:
                key = headers["Idempotency-Key"]
                assert not key["required"], where
                assert "retry" in key["description"], where
                assert key["schema"]["maxLength"] == 200, where
            else:
                assert "Idempotency-Key" not in headers, where


def _unbounded(schema: dict[str, Any], components: dict[str, Any], where: str, seen: set[str]) -> list[str]:
    """The places in a request body's schema where a text, a number or a list has no bound."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        if name in seen:
            return []
        return _unbounded(components[name], components, f"{where}<{name}>", seen | {name})
    found: list[str] = []
    # Bounds beside anyOf/oneOf apply to every option (JSON Schema), as FastAPI writes an optional header.
    outer = {key: value for key, value in schema.items() if key in BOUNDS}
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += _unbounded({**outer, **option}, components, where, seen)
    kind = schema.get("type")
    if kind == "string" and not ({"maxLength", "pattern", "enum", "const", "format"} & set(schema)):
        found.append(where)
    if kind in ("integer", "number") and not ({"maximum", "exclusiveMaximum", "enum", "const"} & set(schema)):
        found.append(where)
    if kind == "array":
        if "maxItems" not in schema:
            found.append(where)
        found += _unbounded(schema.get("items", {}), components, f"{where}[]", seen)
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in schema:
                found.append(where)
            found += _unbounded(extra, components, f"{where}{{}}", seen)
        for name, child in schema.get("properties", {}).items():
            found += _unbounded(child, components, f"{where}.{name}", seen)
    return found


@pytest.mark.parametrize("create_app", APPS, ids=["registry", "scoring", "awards", "notifications"])
def test_every_text_number_and_list_a_command_takes_is_bounded_in_the_openapi(
    create_app: Callable[[], FastAPI],
) -> None:
    document = create_app().openapi()
    components = document.get("components", {}).get("schemas", {})
    unbounded: list[str] = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                unbounded += _unbounded(body["schema"], components, f"{method.upper()} {path}", set())
            for parameter in operation.get("parameters", []):
                if parameter["name"] != "province":
                    unbounded += _unbounded(parameter["schema"], components,
                                            f"{method.upper()} {path} {parameter['name']}", set())
    assert [where for where in unbounded if where not in NOT_MINE] == []


OPERATION_ID = re.compile(r"^[a-z]+(?:[A-Z][a-z]+)*$")
"""camelCase words, e.g. ``registerUnit``: no path, method or separator in it."""
PINNED_OPERATION_IDS = {
    "registry": {"POST /provinces/{province}/units": "registerUnit", "GET /provinces/{province}/units": "listUnits",
                 "POST /provinces/{province}/blocs/{bloc_id}/members": "admitUnit"},
    "scoring": {"POST /provinces/{province}/blocs/{bloc_id}/years/{year}/scores": "recordScore",
                "GET /provinces/{province}/blocs/{bloc_id}/years/{year}/scoreboard": "getScoreboard"},
    "awards": {"POST /provinces/{province}/proposals": "proposeAward",
               "GET /provinces/{province}/proposals/{proposal_id}": "getProposal"},
    "notifications": {"GET /provinces/{province}/notifications": "listNotifications"},
}
"""Operation ids that generated clients name their methods by: changing one breaks them."""


@pytest.mark.parametrize("create_app", APPS, ids=["registry", "scoring", "awards", "notifications"])
def test_every_operation_id_is_short_unique_and_free_of_path_noise(
    create_app: Callable[[], FastAPI], request: pytest.FixtureRequest,
) -> None:
    document = create_app().openapi()
    ids = {f"{method.upper()} {path}": operation["operationId"]
           for path, methods in document["paths"].items() for method, operation in methods.items()}
    assert len(set(ids.values())) == len(ids), sorted(ids.values())
    for where, operation_id in ids.items():
        assert OPERATION_ID.fullmatch(operation_id), where
        assert len(operation_id) <= 30, where
        assert not re.search(r"(Get|Post|Put|Patch|Delete)$", operation_id), where
    service = request.node.callspec.id
    assert {where: ids[where] for where in PINNED_OPERATION_IDS[service]} == PINNED_OPERATION_IDS[service]


def _models_of(package: str, base: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The subclasses of ``base`` that the modules of ``package`` (a module, or a package's modules) define."""
    root = importlib.import_module(package)
    modules = [root, *(importlib.import_module(f"{package}.{info.name}")
                       for info in pkgutil.iter_modules(getattr(root, "__path__", [])))]
    return {value.__name__: value for module in modules for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, base) and value is not base
            and value.__module__ == module.__name__}


@pytest.mark.parametrize("create_app", APPS, ids=["registry", "scoring", "awards", "notifications"])
def test_every_request_body_is_its_command_less_the_path_field_by_field(
    create_app: Callable[[], FastAPI], request: pytest.FixtureRequest,
) -> None:
    """A body holds what the client sends, never a field the path already names; each field is declared as
    its command declares it (same type, bounds, default and description), so that the two cannot drift."""
    service = request.node.callspec.id
    bodies = _models_of(f"{service}.entrypoints", RequestBody)
    commands = _models_of(f"{service}.domain.commands", Command) if bodies else {}
    document = create_app().openapi()
    used: set[str] = set()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content is None:
                continue
            where = f"{method.upper()} {path}"
            schema = content["schema"]
            if "$ref" not in schema:  # an optional body (every field optional): the model or nothing
                [schema] = [option for option in schema["anyOf"] if "$ref" in option]
            name = schema["$ref"].removeprefix("#/components/schemas/")
            body, command = bodies[name], commands[name.removesuffix("Body")]
            used.add(name)
            from_path = {parameter["name"] for parameter in operation["parameters"]
                         if parameter["in"] == "path"} - {"province"}
            assert not from_path & set(body.model_fields), where
            assert set(body.model_fields) | from_path == set(command.model_fields), where
            body_schema, command_schema = body.model_json_schema(), command.model_json_schema()
            for field in body.model_fields:
                assert body_schema["properties"][field] == command_schema["properties"][field], f"{where} {field}"
                assert (field in body_schema.get("required", [])) == (field in command_schema.get("required", []))
    assert used == set(bodies)
