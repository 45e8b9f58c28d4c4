"""The worker that empties the delivery queue: one lane per subscription and per e-mail address, each lane in
the order its deliveries were queued, lanes side by side.

A delivery is tried at once, then again after a back-off that grows exponentially, with jitter (``tenacity``),
until it is delivered or its last attempt failed (``THIDUA_DELIVERY_ATTEMPTS``); an SMTP server that refuses a
mail for good (5xx) is not asked again. Every attempt is an event (``NotificationSent``, ``NotificationFailed``)
recorded with the delivery's new state in one transaction. A delivery whose last attempt failed waits in the
dead-letter list (``NotificationFailed`` with ``dead_lettered``) until the subscriber asks for it again; its lane
goes on with the next. A paused or revoked subscription's lane stops between two attempts.

The process may die between a delivery and its record: after a restart that delivery is made again, with the
same ``webhook-id`` or ``Message-ID``, so the receiver can tell (at most the one in flight per lane).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

import httpx
import structlog
from prometheus_client import CollectorRegistry, Counter
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.ext.asyncio import AsyncEngine
from tenacity import AsyncRetrying, RetryError, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from notifications.adapters import deliveries as queue
from notifications.adapters.mail import OutgoingMail
from notifications.adapters.smtp import MailNotSent, SmtpSettings, send_mail
from notifications.adapters.webhooks import WebhookKey, post
from notifications.domain.model import Attempt, Delivery, Notification
from thidua_contracts.envelope import Actor
from thidua_shared.context import CommandContext
from thidua_shared.repository import AggregateUnitOfWork
from thidua_shared.service import UnitOfWorkFactory

log = structlog.get_logger(__name__)
SYSTEM = Actor(id="notifications", role="system")


class DeliverySettings(BaseSettings):
    """``THIDUA_DELIVERY_ATTEMPTS`` (the last attempt before a dead letter), ``_BACKOFF_INITIAL`` and
    ``_BACKOFF_MAX`` (seconds between attempts: 1, 2, 4... up to the maximum, plus up to ``_JITTER``),
    ``_TIMEOUT`` (seconds a webhook receiver has to answer), ``_POLL`` (seconds between looks at the queue)."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_DELIVERY_", extra="ignore")

    attempts: int = Field(default=10, ge=1, le=100)
    backoff_initial: float = Field(default=1.0, gt=0)
    backoff_max: float = Field(default=60.0, gt=0)
    jitter: float = Field(default=1.0, ge=0)
    timeout: float = Field(default=10.0, gt=0)
    poll: float = Field(default=0.2, gt=0)


class Retry(Exception):
    """An attempt failed and another is due."""


class DeliveryWorker:
    def __init__(self, engine: AsyncEngine, unit_of_work: UnitOfWorkFactory, key: WebhookKey,
                 settings: DeliverySettings | None = None, smtp: SmtpSettings | None = None,
                 metrics: CollectorRegistry | None = None) -> None:
        self._attempts = Counter("thidua_notification_deliveries",
                                 "Delivery attempts, by channel and outcome (delivered; failed: another attempt is "
                                 "due; dead: the last attempt failed)", ["channel", "outcome"], registry=metrics)
        self._engine = engine
        self._unit_of_work = unit_of_work
        self._key = key
        self._settings = settings or DeliverySettings()
        self._smtp = smtp or SmtpSettings()
        self._lanes: dict[str, asyncio.Task[None]] = {}
        self._client: httpx.AsyncClient | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop``: start a task for every lane with a delivery due that has none yet."""
        async with httpx.AsyncClient(timeout=self._settings.timeout, follow_redirects=False) as client:
            self._client = client
            try:
                while not stop.is_set():
                    for finished in [lane for lane, task in self._lanes.items() if task.done()]:
                        self._ended(finished, self._lanes.pop(finished))
                    async with self._engine.connect() as connection:
                        due = await queue.lanes_due(connection)
                    for lane in due:
                        if lane not in self._lanes:
                            self._lanes[lane] = asyncio.create_task(self._drain(lane), name=f"delivery {lane}")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=self._settings.poll)
            finally:
                for task in self._lanes.values():
                    task.cancel()
                await asyncio.gather(*self._lanes.values(), return_exceptions=True)
                self._lanes.clear()

    @staticmethod
    def _ended(lane: str, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery.lane_failed", lane=lane, error=repr(task.exception()))

    async def _drain(self, lane: str) -> None:
        while True:
            async with self._engine.connect() as connection:
                row = await queue.next_in_lane(connection, lane)
            if row is None:
                return
            if not await self._deliver(row):
                return

    async def _deliver(self, row: Any) -> bool:
        """Deliver one, retrying; whether its lane goes on (no: it was paused or revoked meanwhile)."""
        delivery = Delivery(notification_id=row.notification_id, channel=row.channel, recipient=row.recipient,
                            template=row.template, about_event_id=row.about_event_id,
                            subscription_id=row.subscription_id)
        attempts = int(row.attempts)
        retrying = AsyncRetrying(
            stop=stop_after_attempt(max(1, self._settings.attempts - attempts)),
            wait=wait_exponential_jitter(multiplier=self._settings.backoff_initial, max=self._settings.backoff_max,
                                         jitter=self._settings.jitter),
            retry=retry_if_exception_type(Retry))
        try:
            async for attempt in retrying:
                with attempt:
                    outcome = await self._attempt(row)
                    attempts += 1
                    if not await self._record(row, delivery, outcome, attempts):
                        return True
                    async with self._engine.connect() as connection:
                        if not await queue.lane_goes_on(connection, row.position):
                            return False
                    raise Retry(outcome.error)
        except RetryError:
            log.warning("delivery.gave_up", position=row.position, attempts=attempts)
        return True

    async def _attempt(self, row: Any) -> Attempt:
        if row.channel == "webhook":
            assert self._client is not None
            secret = self._key.secret(row.province, row.subscription_id)
            return await post(self._client, row.recipient, secret, row.notification_id, row.content.encode())
        mail = OutgoingMail(**json.loads(row.content))
        started = time.perf_counter()
        try:
            await send_mail(self._smtp, mail)
        except MailNotSent as refused:
            return Attempt(refused.code, _since(started), str(refused), permanent=refused.permanent)
        return Attempt(250, _since(started))

    async def _record(self, row: Any, delivery: Delivery, outcome: Attempt, attempts: int) -> bool:
        """Record the attempt and the delivery's new state in one transaction; whether another attempt is due."""
        context = CommandContext(row.province, SYSTEM, row.correlation_id, causation_id=row.about_event_id)
        async with self._unit_of_work() as inner:
            uow = AggregateUnitOfWork(inner, context)
            notification = await uow.repository(lambda id_: Notification(row.province, id_)).get(
                row.notification_id)
            if not outcome.error:
                notification.delivered(delivery, outcome, attempts)
                status, again = "delivered", False
            else:
                dead = notification.failed(delivery, outcome, attempts, self._settings.attempts)
                status, again = ("dead" if dead else "pending"), not dead
            await uow.save(notification)
            await queue.mark(inner.connection, row.position, status, attempts, outcome.error, outcome.status_code)
            await uow.commit()
        self._attempts.labels(row.channel, "failed" if status == "pending" else status).inc()
        log.info("delivery.attempted", channel=row.channel, recipient=row.recipient, position=row.position,
                 attempt=attempts, status=status, status_code=outcome.status_code, latency_ms=outcome.latency_ms,
                 error=outcome.error or None, about=row.about_event_id, correlation_id=row.correlation_id)
        return again


def _since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
