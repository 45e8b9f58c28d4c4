"""The TLS proxy of docker-compose.yml (``deploy/caddy/Caddyfile``), run by Caddy in front of a registry service
and the console, all as processes on loopback: HTTPS with a certificate of Caddy's own CA by default, each API
under ``/api/<service>/``, the rest to the console, the services' metrics kept inside, security headers on
every answer, and plain HTTP sent to HTTPS.

Caddy comes from Debian's package (``tools/check.py`` and ``.ci/run`` install it when missing); without it this
test fails saying so, it is never skipped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from thidua_cli.system import SERVICES, LocalSystem
from thidua_shared.broker import EmbeddedBroker, free_port

ROOT = Path(__file__).resolve().parents[1]
CADDYFILE = ROOT / "deploy" / "caddy" / "Caddyfile"
NOBODY = "127.0.0.1:9"
"""Where the services this test does not start would be: nothing answers there."""


@dataclass
class Proxy:
    https: str
    http: str
    trust: ssl.SSLContext

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.https, verify=self.trust, timeout=10)


def caddy_binary() -> str:
    found = os.environ.get("THIDUA_CADDY") or shutil.which("caddy")
    if found is None:
        pytest.fail("Caddy is missing: install Debian's package (apt-get install caddy) or name it in THIDUA_CADDY")
    return found


def start_caddy(caddy: str, environment: dict[str, str], log_file: Path) -> subprocess.Popen[bytes]:
    with log_file.open("ab") as log:
        return subprocess.Popen([caddy, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                                env=environment, stdout=log, stderr=log)


@pytest.fixture
async def proxy(tmp_path: Path, own_broker: EmbeddedBroker) -> AsyncIterator[Proxy]:
    caddy = caddy_binary()
    system = LocalSystem(tmp_path / "data", "HNM", bootstrap=own_broker.bootstrap_servers)
    system.data_dir.mkdir(parents=True)
    https_port, http_port = free_port(), free_port()
    storage = tmp_path / "caddy"
    process: subprocess.Popen[bytes] | None = None
    try:
        system.start_service("registry")
        await system.wait_healthy(progress=False, names=["registry"])
        await system.start_console(progress=False)
        upstreams = {f"THIDUA_{service.upper()}_UPSTREAM": NOBODY for service in SERVICES}
        upstreams |= {"THIDUA_REGISTRY_UPSTREAM": system.urls["registry"].removeprefix("http://"),
                      "THIDUA_CONSOLE_UPSTREAM": system.urls["console"].removeprefix("http://")}
        environment = {"PATH": os.environ["PATH"], "HOME": str(storage), "XDG_DATA_HOME": str(storage / "data"),
                       "XDG_CONFIG_HOME": str(storage / "config"), "THIDUA_SITE": "localhost",
                       "THIDUA_BIND": "127.0.0.1", "THIDUA_HTTPS_PORT": str(https_port),
                       "THIDUA_HTTP_PORT": str(http_port), **upstreams}
        process = start_caddy(caddy, environment, tmp_path / "caddy.log")
        root_certificate = storage / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"caddy exited: {(tmp_path / 'caddy.log').read_text(encoding='utf-8')[-2000:]}")
            if root_certificate.exists():
                try:
                    trust = ssl.create_default_context(cafile=str(root_certificate))
                    async with httpx.AsyncClient(verify=trust, timeout=2) as client:
                        await client.get(f"https://localhost:{https_port}/api/registry/health")
                    break
                except (httpx.HTTPError, ssl.SSLError):
                    pass
            await asyncio.sleep(0.1)
        else:
            pytest.fail("caddy did not answer over HTTPS within 30 s")
        yield Proxy(f"https://localhost:{https_port}", f"http://localhost:{http_port}", trust)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=20)
        system.stop()


async def test_each_api_answers_under_its_prefix_over_https_with_caddys_own_certificate(proxy: Proxy) -> None:
    async with proxy.client() as client:
        health = await client.get("/api/registry/health", headers={"X-Correlation-Id": "proxy-test-1"})
        assert health.status_code == 200
        assert health.json()["service"] == "registry"
        assert health.headers["X-Correlation-Id"] == "proxy-test-1", "the proxy dropped the correlation id"
        assert health.headers["Strict-Transport-Security"].startswith("max-age=")
        assert health.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in health.headers["Content-Security-Policy"]
        assert "Server" not in health.headers
        docs = await client.get("/api/registry/openapi.json")
        assert docs.json()["info"]["title"]


async def test_the_services_metrics_stay_inside(proxy: Proxy) -> None:
    async with proxy.client() as client:
        for path in ("/api/registry/metrics", "/metrics"):
            answer = await client.get(path)
            assert answer.status_code == 404, path
            assert "thidua_" not in answer.text


async def test_everything_else_is_the_console_and_plain_http_is_sent_to_https(proxy: Proxy) -> None:
    async with proxy.client() as client:
        page = await client.get("/sign-in")
        assert page.status_code == 200
        assert "Đăng nhập" in page.text
        assert "script-src 'self';" in page.headers["Content-Security-Policy"]
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    async with httpx.AsyncClient(timeout=10) as plain:
        moved = await plain.get(f"{proxy.http}/sign-in")
    assert moved.status_code in (301, 308)
    assert moved.headers["Location"].startswith("https://localhost")
