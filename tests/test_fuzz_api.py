"""Fuzzing each service's API from its own OpenAPI with an admin token: no answer is a server error, and
every answer fits the schema the API documents for it.

Each service runs in this process behind a real HTTP server (uvicorn, in a thread with its own event loop:
its lifespan runs the migrations, the relay and the consumers against the test broker) on a SQLite
database. The Schemathesis command line then tests every operation: documented examples, the coverage
phase (boundaries, wrong types, missing and unknown fields, odd characters) and random valid and invalid
requests, a fixed number per operation with a fixed seed, in a bounded time.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from awards.bootstrap import create_app as awards_app
from notifications.bootstrap import create_app as notifications_app
from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.auth import TokenStore
from thidua_shared.config import ServiceSettings
from thidua_shared.store.db import create_engine
from thidua_shared.testing import unique_province

EXAMPLES_PER_OPERATION = 10
"""Fuzzed requests per operation, beside the examples and the coverage phase (awards: 48 operations)."""
HUNG_AFTER_SECONDS = 570
"""Only a run that hangs is stopped (under this test's own 600 s): speed is the benchmarks' business. Awards'
run (about 8,000 requests, most of them the coverage phase's boundary cases) takes about a minute alone and took
over 280 s beside the browser tests on two cores; no request of it was slow (the slowest 182 ms)."""
APPS: dict[str, Callable[[ServiceSettings], FastAPI]] = {
    "registry": registry_app, "scoring": scoring_app, "awards": awards_app, "notifications": notifications_app}
SCHEMATHESIS = Path(sys.executable).with_name("st")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServedApp:
    """A service app behind uvicorn in a thread of its own, until stopped."""

    def __init__(self, app: FastAPI) -> None:
        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, lifespan="on",
                                                    log_config=None, access_log=False))
        self.thread = threading.Thread(target=self.server.run, name="fuzzed-app", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServedApp:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert self.thread.is_alive(), "the service did not start"
            assert time.monotonic() < deadline, "the service did not start within 60 s"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def _admin_token(settings: ServiceSettings) -> str:
    async def issue() -> str:
        engine = create_engine(settings.auth_database())
        try:
            return (await TokenStore(engine).issue(settings.province_codes[0], "admin", "fuzz")).token
        finally:
            await engine.dispose()

    return asyncio.run(issue())


def _schema_of_one_province(app: FastAPI, province: str, folder: Path) -> Path:
    """The app's OpenAPI with ``{province}`` fixed to the served one (others answer 404 before any check)."""
    document = app.openapi()
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "province" and parameter["in"] == "path":
                    parameter["schema"] = {"type": "string", "enum": [province]}
    path = folder / "openapi.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.timeout(HUNG_AFTER_SECONDS + 30)
@pytest.mark.parametrize("service", list(APPS))
def test_no_request_gets_a_server_error_or_an_answer_outside_the_documented_schema(
    service: str, tmp_path: Path, kafka_bootstrap: str,
) -> None:
    settings = ServiceSettings(data_dir=tmp_path, provinces=unique_province("F"),
                               kafka_bootstrap_servers=kafka_bootstrap)
    app = APPS[service](settings)
    schema = _schema_of_one_province(app, settings.province_codes[0], tmp_path)
    with ServedApp(app) as served:
        command = [str(SCHEMATHESIS), "run", str(schema), "--url", served.base_url,
                   "--header", f"Authorization: Bearer {_admin_token(settings)}",
                   "--checks", "not_a_server_error,response_schema_conformance",
                   # /ready answers 503 by design while a consumer is still joining its group (documented).
                   "--exclude-path", "/ready",
                   # Signing out revokes the fuzzer's own token: every operation after it would only answer 401.
                   *(["--exclude-operation-id", "signOut"] if service == "registry" else []),
                   "--phases", "examples,coverage,fuzzing", "--max-examples", str(EXAMPLES_PER_OPERATION),
                   "--seed", "20251201", "--workers", "1", "--generation-database", "none",
                   "--request-timeout", "30", "--no-color", "--warnings", "off"]
        started = time.monotonic()
        run = subprocess.run(command, capture_output=True, text=True, timeout=HUNG_AFTER_SECONDS, check=False,
                             cwd=tmp_path)
        took = time.monotonic() - started
    report = run.stdout[run.stdout.find("FAILURES"):] if "FAILURES" in run.stdout else run.stdout[-3000:]
    assert run.returncode == 0, (f"{service}: Schemathesis found failures ({took:.0f} s)\n{report}\n"
                                 f"{run.stderr[-2000:]}")
