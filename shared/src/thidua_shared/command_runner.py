"""Run a command's handler, ``handle(command, context, uow)``, in a unit of work of the service's own type.

A service's ``bootstrap.py`` gives :class:`CommandRunner` the factory of the log's units of work and
``bind``, which builds the service's unit of work over one (its repositories, read-model ports and clock,
each typed). Entrypoints then call ``await commands(handler, command, context)``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Generic, TypeVar

from thidua_shared.context import CommandContext
from thidua_shared.http import Recorded, recorded
from thidua_shared.idempotency import CommandUnitOfWork, answer_once
from thidua_shared.repository import AggregateUnitOfWork
from thidua_shared.unit_of_work import SqlUnitOfWork

U = TypeVar("U", bound=AggregateUnitOfWork)
C = TypeVar("C")
Handler = Callable[[C, CommandContext, U], Awaitable[None]]
"""A use case: it loads through the unit of work's repositories, lets the aggregates decide, saves, commits."""


class CommandRunner(Generic[U]):
    def __init__(self, unit_of_work: Callable[[], SqlUnitOfWork],
                 bind: Callable[[CommandUnitOfWork, CommandContext], U]) -> None:
        self._unit_of_work = unit_of_work
        self._bind = bind

    async def __call__(self, handler: Handler[C, U], command: C, context: CommandContext) -> Recorded:
        """Run the handler in a new unit of work and answer with what it committed; a request with an
        ``Idempotency-Key`` is run once per key (see :func:`thidua_shared.idempotency.answer_once`)."""

        async def work(inner: CommandUnitOfWork) -> Recorded:
            uow = self._bind(inner, context)
            await handler(command, context, uow)
            return recorded(uow.committed)

        return await answer_once(self._unit_of_work, context.province, context.actor.id, work, Recorded)

    @asynccontextmanager
    async def open(self, context: CommandContext) -> AsyncIterator[U]:
        """A unit of work for work that keeps its idempotency key itself (the registry's import)."""
        async with self._unit_of_work() as inner:
            yield self._bind(inner, context)
