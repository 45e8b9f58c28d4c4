"""The whole system on one machine: the embedded broker and the four services as processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from thidua_shared.auth import TokenStore
from thidua_shared.broker import EmbeddedBroker, embedded_settings, free_port
from thidua_shared.store.db import create_engine

SERVICES = ("registry", "scoring", "awards", "notifications")
SUBSCRIBERS = ("scoring", "awards", "notifications")
"""The services that keep read models of other services' events (``replay --resubscribe`` rebuilds them)."""


@dataclass
class LocalSystem:
    data_dir: Path
    provinces: str = "HNM"
    log_level: str = "INFO"
    broker: EmbeddedBroker | None = None
    bootstrap: str = ""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    """More environment for the services (e.g. the SMTP server notifications sends to)."""
    console: bool = False
    """Start the web console too (``thidua up``), after the services, at ``urls["console"]``."""

    @property
    def auth_database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.data_dir / 'auth.db'}"

    async def issue_token(self, role: str, unit_id: str | None = None, bloc_id: str | None = None,
                          province: str | None = None) -> str:
        """A token of the running system (its services created the auth database)."""
        engine = create_engine(self.auth_database_url)
        try:
            issued = await TokenStore(engine).issue(province or self.provinces.split(",")[0], role, "demo",
                                                    unit_id, bloc_id)
        finally:
            await engine.dispose()
        return issued.token

    def database_url(self, service: str) -> str:
        return f"sqlite+aiosqlite:///{self.data_dir / (service + '.db')}"

    async def start(self, progress: bool = True) -> None:
        """Start the broker (unless ``bootstrap`` or ``KAFKA_BOOTSTRAP_SERVERS`` names one) and the services."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.bootstrap = self.bootstrap or os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
        if not self.bootstrap:
            self.broker = EmbeddedBroker(log_file=self.data_dir / "broker.log")
            await self.broker.start()
            self.bootstrap = self.broker.bootstrap_servers
        if progress:
            print(f"Kafka: {self.bootstrap}", flush=True)
        for service in SERVICES:
            self.start_service(service)
        await self.wait_healthy(progress)
        if self.console:
            await self.start_console(progress)

    async def start_console(self, progress: bool = True) -> None:
        """The web console, a process of its own that reaches the services over their HTTP APIs."""
        self._spawn("console", "thidua_console", {
            **{f"THIDUA_{service.upper()}_URL": self.urls[service] for service in SERVICES if service in self.urls},
            "THIDUA_PROVINCE": self.provinces.split(",")[0]})
        await self.wait_healthy(progress, names=["console"])

    def _spawn(self, name: str, module: str, env: dict[str, str]) -> None:
        """``python -m module`` on a free loopback port, its output in ``<name>.log``, at ``urls[name]``."""
        port = free_port()
        env = {**os.environ, **env, "THIDUA_PORT": str(port), "THIDUA_HOST": "127.0.0.1",
               "THIDUA_LOG_LEVEL": self.log_level, "THIDUA_LOG_JSON": "true", **self.env}
        log = open(self.data_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the process
        self.processes[name] = subprocess.Popen([sys.executable, "-m", module], env=env, stdout=log, stderr=log)
        self.urls[name] = f"http://127.0.0.1:{port}"

    def start_service(self, service: str) -> None:
        env = {
            "THIDUA_DATABASE_URL": self.database_url(service),
            "THIDUA_AUTH_DATABASE_URL": self.auth_database_url,
            "THIDUA_PROVINCES": self.provinces,
            "THIDUA_DATA_DIR": str(self.data_dir),
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
        }
        if self.broker is not None:
            env = {**embedded_settings(), **env}
        self._spawn(service, service, env)

    async def wait_healthy(self, progress: bool = True, timeout: float = 60.0,
                           names: list[str] | None = None) -> None:
        """Each process named (every one started, by default) answers its health check with its consumers
        ready, or this says which did not."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2) as client:
            for service in names or list(self.urls):
                url = self.urls[service]
                while True:
                    process = self.processes[service]
                    if process.poll() is not None:
                        raise RuntimeError(f"{service} exited with {process.returncode}; see "
                                           f"{self.data_dir / (service + '.log')}")
                    try:
                        answer = await client.get(f"{url}/health")
                        consumers = answer.json().get("consumers", {})
                        if answer.status_code == 200 and all(c["ready"] for c in consumers.values()):
                            break
                    except (httpx.HTTPError, ValueError):
                        pass
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{service} did not become healthy at {url}")
                    await asyncio.sleep(0.2)
                if progress:
                    about = "trang web cho người dùng" if service == "console" else f"OpenAPI: {url}/docs"
                    print(f"{service:<14} {url}  ({about})", flush=True)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        if self.broker is not None:
            self.broker.stop()
            self.broker = None
