"""Awards use cases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from awards.domain.commands import ProposeAward
from awards.domain.model import Proposal, proposal_stream
from thidua_shared.context import CommandContext
from thidua_shared.store import NewEvents, StoredEvent
from thidua_shared.unit_of_work import UnitOfWork

ScoreLookup = Callable[[str, str, int, str], Awaitable[tuple[float, int | None] | None]]
UnitLookup = Callable[[str, str], Awaitable[bool]]


async def propose_award(command: ProposeAward, context: CommandContext, uow: UnitOfWork,
                        final_score: ScoreLookup, unit_exists: UnitLookup, today: date) -> list[StoredEvent]:
    stream = proposal_stream(context.province, command.proposal_id)
    history = await uow.events.read_stream(stream)
    proposal = Proposal.from_history(command.proposal_id, (event.typed() for event in history))
    score = None
    if command.bloc_id is not None:
        score = await final_score(context.province, command.bloc_id, command.year, command.unit_id)
    known = await unit_exists(context.province, command.unit_id)
    decided = proposal.propose(command.unit_id, known, command.year, command.award_code, command.bloc_id,
                               score, today)
    stored = await uow.record(NewEvents(
        province=context.province, stream_id=stream, expected_version=proposal.version,
        payloads=decided, actor=context.actor, correlation_id=context.correlation_id))
    await uow.commit()
    return stored
