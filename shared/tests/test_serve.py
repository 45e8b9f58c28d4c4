"""A service process leaves its start-up heap out of the collector's full passes before it serves (see
:func:`thidua_shared.runtime.settle_heap`): each full pass over it stopped the loop 120–200 ms under load."""

from __future__ import annotations

import gc
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from thidua_shared import runtime
from thidua_shared.config import ServiceSettings


def test_a_service_serves_with_what_it_made_to_start_out_of_full_collections(monkeypatch: pytest.MonkeyPatch) -> None:
    app = FastAPI()
    made_at_start = [app]
    when_serving: dict[str, Any] = {}

    def run(served: FastAPI, **options: Any) -> None:
        collected = gc.get_objects()  # every object the collector's passes walk (frozen ones are not among them)
        when_serving["app_walked"] = any(thing is made_at_start for thing in collected)
        when_serving["served"] = served
        when_serving["port"] = options["port"]

    monkeypatch.setattr(uvicorn, "run", run)
    try:
        runtime.serve(app, ServiceSettings(port=8123))
    finally:
        gc.unfreeze()

    assert when_serving["served"] is app
    assert when_serving["port"] == 8123
    assert when_serving["app_walked"] is False

