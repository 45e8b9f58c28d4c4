"""Each service documents its API: every POST answers with a documented model (commands with Recorded),
every refusal with ErrorBody, and every command accepts an Idempotency-Key."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from awards.bootstrap import create_app as awards_app
from notifications.bootstrap import create_app as notifications_app
from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app

NOT_COMMANDS = {"ImportAnswer", "EvidenceStored"}
"""POSTs that answer with their own model: an import (which holds a Recorded) and an evidence upload."""

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
        assert operation.get("security") == [{"HTTPBearer": []}], where
        for status in ("401", "403", "404", "422"):
            error = operation["responses"][status]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorBody"}, where
        if method == "post":
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
            if path.startswith("/provinces/") and method in ("post", "put", "patch", "delete"):
                key = headers["Idempotency-Key"]
                assert not key["required"], where
                assert "retry" in key["description"], where
                assert key["schema"]["maxLength"] == 200, where
            else:
                assert "Idempotency-Key" not in headers, where
