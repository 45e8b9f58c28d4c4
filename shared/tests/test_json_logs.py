"""With JSON on, a process's every line on stderr is one JSON object: structlog's own, the libraries' through
``logging`` (uvicorn, Alembic, aiokafka), warnings, an uncaught exception; the access line has the request's
correlation id. In a process of its own: logging's set-up is the whole process's."""

from __future__ import annotations

import json
import subprocess
import sys

PROGRAM = """
import asyncio, logging, warnings
import httpx, structlog
from fastapi import FastAPI
from thidua_shared.http import Correlate
from thidua_shared.logging import configure_logging

configure_logging("registry", "INFO", json=True)
structlog.get_logger("thidua").info("service.started", provinces=["HNM"])
logging.getLogger("uvicorn.error").info("Started server process [%d]", 1)
logging.getLogger("alembic.runtime.migration").info("Running upgrade -> 0001")
logging.getLogger("aiokafka.consumer").warning("Heartbeat failed")
warnings.warn("a library's warning")
app = FastAPI()
app.add_middleware(Correlate)

@app.get("/things")
async def things() -> list[str]:
    return []

async def call() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        await client.get("/things", headers={"X-Correlation-ID": "abc-123"})

asyncio.run(call())
raise RuntimeError("the process ends badly")
"""


def test_every_line_a_process_writes_is_json_with_json_on() -> None:
    ran = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=60, check=False)
    assert ran.returncode == 1
    assert ran.stdout == ""
    entries = []
    for line in ran.stderr.splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError as error:
            raise AssertionError(f"not JSON: {line}") from error
    by_message = {entry["msg"]: entry for entry in entries}
    assert by_message["Started server process [1]"]["logger"] == "uvicorn.error"
    assert by_message["Running upgrade -> 0001"]["service"] == "registry"
    assert by_message["Heartbeat failed"]["level"] == "warning"
    assert any("a library's warning" in entry["msg"] for entry in entries)
    access = by_message["http.request"]
    assert (access["correlation_id"], access["path"], access["status"]) == ("abc-123", "/things", 200)
    assert "RuntimeError: the process ends badly" in by_message["process.crashed"]["exception"]
