"""Long-running tasks (the relay, each consumer) that never die for good.

A task's body may fail in ways no code around it foresaw: an error of the database or the broker, a bug,
or a ``CancelledError`` that a client library re-raises while it closes (aiokafka 0.14's consumer does,
after a broker outage of about ten seconds). :func:`supervise` runs the body again after a back-off
(exponential with jitter, from ``tenacity``) until the service stops, and keeps what happened in a
:class:`TaskState` that ``/health`` and ``/ready`` show.

A ``CancelledError`` is a real request to stop only when the supervising task itself is being cancelled
(``Task.cancelling()``); any other is a failure of the body, and the body is started again.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter

log = structlog.get_logger(__name__)

Body = Callable[[asyncio.Event], Awaitable[None]]


class Stoppable(Protocol):
    async def stop(self) -> Any: ...


class TaskFailed(Exception):
    """The body of a supervised task ended without being asked to, or failed."""

    def __init__(self, reason: str, ran_for: float) -> None:
        super().__init__(reason)
        self.ran_for = ran_for


@dataclass
class TaskState:
    """What ``/health`` and ``/ready`` say of one supervised task."""

    name: str
    running: bool = False
    restarts: int = 0
    last_error: str = ""
    failed_at: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"running": self.running, "restarts": self.restarts, "last_error": self.last_error}


def cancelled_by_owner() -> bool:
    """Whether the current task is being cancelled by whoever owns it (a shutdown), as opposed to a
    ``CancelledError`` that leaked out of a library while the task itself was not cancelled."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


async def stop_quietly(resource: Stoppable | None) -> None:
    """Stop a client (consumer, producer, admin) whatever its ``stop`` raises, unless we are being
    cancelled ourselves: a broken connection must not end the task that closes it."""
    if resource is None:
        return
    try:
        await resource.stop()
    except asyncio.CancelledError:
        if cancelled_by_owner():
            raise
        log.debug("client.stop_cancelled", client=type(resource).__name__)
    except Exception as error:  # noqa: BLE001 - the client is being discarded anyway
        log.debug("client.stop_failed", client=type(resource).__name__, error=repr(error))


async def _interruptible_sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def supervise(state: TaskState, body: Body, stop: asyncio.Event, initial_backoff: float = 0.2,
                    max_backoff: float = 5.0, healthy_after: float = 30.0) -> None:
    """Run ``body(stop)`` until ``stop`` is set, starting it again after each failure.

    Failures in a row wait longer each time (``initial_backoff`` doubling up to ``max_backoff``, with
    jitter); a body that ran ``healthy_after`` seconds before failing starts again at once, with the
    back-off reset.
    """

    async def run_once() -> None:
        started = time.monotonic()
        state.running = True
        try:
            await body(stop)
        except asyncio.CancelledError as error:
            if cancelled_by_owner():
                raise
            raise TaskFailed(f"cancelled from inside: {error!r}", time.monotonic() - started) from error
        except Exception as error:
            if cancelled_by_owner():  # the owner's cancellation was swallowed by a library on the way
                raise asyncio.CancelledError from error
            raise TaskFailed(repr(error), time.monotonic() - started) from error
        finally:
            state.running = False
        if cancelled_by_owner():
            raise asyncio.CancelledError
        if not stop.is_set():
            raise TaskFailed("ended by itself", time.monotonic() - started)

    def note(error: BaseException | None, retry_in: float) -> None:
        state.restarts += 1
        state.last_error = str(error)
        state.failed_at = time.time()
        log.warning("task.restarting", task=state.name, error=state.last_error, restarts=state.restarts,
                    retry_in=round(retry_in, 2))

    def before_sleep(retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        note(outcome.exception() if outcome is not None else None,
             retry_state.next_action.sleep if retry_state.next_action else 0.0)

    def soon_after_start(error: BaseException) -> bool:
        return isinstance(error, TaskFailed) and error.ran_for < healthy_after

    while not stop.is_set():
        retrying = AsyncRetrying(
            retry=retry_if_exception(soon_after_start),
            wait=wait_exponential_jitter(multiplier=initial_backoff, max=max_backoff, jitter=initial_backoff),
            sleep=lambda seconds: _interruptible_sleep(stop, seconds),
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    if not stop.is_set():
                        await run_once()
        except TaskFailed as error:  # after a healthy run: at once, the back-off starts anew
            note(error, 0.0)
    log.info("task.stopped", task=state.name)
