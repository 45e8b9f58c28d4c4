"""Whether a service can do its work now: the broker answers, and its relay and consumers run.

``/health`` says the process lives (liveness); ``/ready`` says 503 while the broker is unreachable or any
supervised task is not running, and names which, so an orchestrator stops sending it traffic and an
operator sees what to look at.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka.errors import KafkaError

from thidua_shared.kafka import BrokerAdmin
from thidua_shared.supervision import TaskState


class BrokerProbe:
    """A metadata request to the broker, bounded in time; the answer is kept for ``cache_seconds`` so
    that probes in a burst cost the broker one request."""

    def __init__(self, bootstrap_servers: str, timeout: float = 2.0, cache_seconds: float = 1.0) -> None:
        self._admin = BrokerAdmin(bootstrap_servers)
        self._timeout = timeout
        self._cache_seconds = cache_seconds
        self._lock = asyncio.Lock()
        self._answer: tuple[float, bool] | None = None

    async def reachable(self) -> bool:
        async with self._lock:
            if self._answer is not None and time.monotonic() - self._answer[0] < self._cache_seconds:
                return self._answer[1]
            try:
                await asyncio.wait_for(self._admin.topics(), timeout=self._timeout)
                answer = True
            except (TimeoutError, KafkaError, OSError):
                await self._admin.close()
                answer = False
            self._answer = (time.monotonic(), answer)
            return answer

    async def close(self) -> None:
        await self._admin.close()


@dataclass(frozen=True)
class NotReady:
    """One reason a service is not ready: ``part`` is ``broker`` or a task's name."""

    part: str
    code: str
    params: dict[str, str]


async def not_ready(probe: BrokerProbe, tasks: Sequence[TaskState],
                    started: dict[str, bool]) -> list[NotReady]:
    """What keeps the service from being ready; empty when it is. ``started`` tells, per consumer, whether
    it has its partitions assigned and is reading."""
    reasons: list[NotReady] = []
    if not await probe.reachable():
        reasons.append(NotReady("broker", "ready.broker_unreachable", {}))
    for task in tasks:
        if not task.running:
            reasons.append(NotReady(task.name, "ready.task_not_running",
                                    {"task": task.name, "restarts": str(task.restarts),
                                     "error": task.last_error or "-"}))
        elif not started.get(task.name, True):
            reasons.append(NotReady(task.name, "ready.task_joining", {"task": task.name}))
    return reasons
