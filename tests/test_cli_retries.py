"""The thidua command sends each command with its own Idempotency-Key and, when the answer is lost on the
way back, sends it again with the same key: the registry (served over HTTP) records it once."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select

from registry.bootstrap import create_app as registry_app
from thidua_shared.broker import free_port
from thidua_shared.config import ServiceSettings
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events
from thidua_shared.testing import ApiUnderTest, unique_province, within


@dataclass
class Registry:
    service: ApiUnderTest
    url: str
    admin: str


@pytest.fixture
async def registry(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[Registry]:
    """The registry served by uvicorn on a port of its own, its province registered."""
    settings = ServiceSettings(data_dir=tmp_path, provinces=unique_province(), kafka_bootstrap_servers=kafka_bootstrap)
    port = free_port()
    app = registry_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           access_log=False, lifespan="on"))
    serving = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    try:
        await within(60, started)
        service = ApiUnderTest(app, settings)
        admin = await service.token("admin")
        async with service.client(admin) as http:
            assert (await http.post(f"{service.base}/registration", json={"name": "Tỉnh thử"})).status_code == 201
        yield Registry(service, f"http://127.0.0.1:{port}", admin)
    finally:
        server.should_exit = True
        await serving


@dataclass
class SeenRequest:
    method: str
    path: str
    idempotency_key: str | None


@dataclass
class LossyProxy:
    """Between the command and the service: every request reaches the service, but the answer to the first
    command is lost, the connection dropped (``drop``) or the answer replaced by a gateway's 503 (``503``)."""

    upstream: int
    loss: str
    seen: list[SeenRequest] = field(default_factory=list)
    lost: bool = False

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *lines = head.decode("latin-1").split("\r\n")
                headers = {name.strip().lower(): value.strip() for name, _, value in
                           (line.partition(":") for line in lines if line)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                method, path, _ = request_line.split(" ", 2)
                self.seen.append(SeenRequest(method, path, headers.get("idempotency-key")))
                answer = await self._forward(head + body)
                if method == "POST" and not self.lost:
                    self.lost = True
                    if self.loss == "drop":
                        return
                    answer = b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n"
                writer.write(answer)
                await writer.drain()
        except asyncio.IncompleteReadError:
            return
        finally:
            writer.close()

    async def _forward(self, request: bytes) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        try:
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            return head + await reader.readexactly(length)
        finally:
            writer.close()


async def _thidua(*arguments: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "thidua_cli", *arguments,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode(), err.decode()


async def _log(registry: Registry) -> list[str]:
    engine = create_engine(registry.service.settings.database_for("registry"))
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(select(events.c.event_type).order_by(events.c.position))).scalars())
    finally:
        await engine.dispose()


@pytest.mark.parametrize("loss", ["drop", "503"])
async def test_a_command_whose_answer_is_lost_is_sent_again_with_its_key_and_recorded_once(
    registry: Registry, loss: str,
) -> None:
    proxy = LossyProxy(int(registry.url.rsplit(":", 1)[1]), loss)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    proxy_url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    command = ("api", "post", "registry", f"{registry.service.base}/settings",
               '{"chair_rest_years": 0}', "--url", proxy_url, "--token", registry.admin)
    try:
        code, out, err = await _thidua(*command)
        next_code, _, next_err = await _thidua(*command)
    finally:
        server.close()
        await server.wait_closed()

    assert code == 0, err
    assert "trying again" in err
    assert json.loads(out)["events"][0]["event_type"] == "ProvinceSettingsChanged"
    assert next_code == 0, next_err
    first, retried, following = [request for request in proxy.seen if request.method == "POST"]
    assert first.idempotency_key, "the command carries a key"
    assert retried.idempotency_key == first.idempotency_key, "the retry is the same command"
    assert following.idempotency_key != first.idempotency_key, "another command, another key"
    assert await _log(registry) == ["ProvinceRegistered", "ProvinceSettingsChanged", "ProvinceSettingsChanged"]


async def test_a_service_that_does_not_answer_is_named_after_a_few_tries(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, out, err = await _thidua("api", "post", "registry", "/provinces/HNM/settings", "{}", "--url", url,
                                   "--token", "thd_unused")
    assert code == 2
    assert out == ""
    assert f"{url} does not answer" in err
    assert "tried 5 times" in err


async def test_a_command_sent_again_with_the_key_it_was_given_answers_as_the_first_time(registry: Registry) -> None:
    settings = f"{registry.service.base}/settings"
    arguments = ("api", "post", "registry", settings, '{"chair_rest_years": 1}',
                 "--url", registry.url, "--token", registry.admin, "--idempotency-key", "so-2025-17")
    first_code, first, _ = await _thidua(*arguments)
    again_code, again, err = await _thidua(*arguments)
    assert first_code == again_code == 0, err
    assert json.loads(again) == json.loads(first)
    assert await _log(registry) == ["ProvinceRegistered", "ProvinceSettingsChanged"]
