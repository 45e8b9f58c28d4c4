"""Scoring use cases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from scoring.domain.commands import RecordScore
from scoring.domain.model import ScoreCard, score_stream
from thidua_shared.context import CommandContext
from thidua_shared.store import NewEvents, StoredEvent
from thidua_shared.unit_of_work import UnitOfWork

MembershipCheck = Callable[[str, str, int, str], Awaitable[bool]]


async def record_score(command: RecordScore, context: CommandContext, uow: UnitOfWork,
                       is_member: MembershipCheck) -> list[StoredEvent]:
    stream = score_stream(context.province, command.bloc_id, command.year, command.unit_id)
    history = await uow.events.read_stream(stream)
    card = ScoreCard.from_history(command.bloc_id, command.year, command.unit_id,
                                  (event.typed() for event in history))
    member = await is_member(context.province, command.bloc_id, command.year, command.unit_id)
    decided = card.score(command.breakdown, command.method, member)
    stored = await uow.record(NewEvents(
        province=context.province, stream_id=stream, expected_version=card.version, payloads=decided,
        actor=context.actor, correlation_id=context.correlation_id, causation_id=context.causation_id))
    await uow.commit()
    return stored
