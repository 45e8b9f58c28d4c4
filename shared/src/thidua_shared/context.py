"""Who asks, for which province, in which request: passed from an entrypoint to a command handler."""

from __future__ import annotations

from dataclasses import dataclass

from thidua_contracts.envelope import Actor


@dataclass(frozen=True, slots=True)
class CommandContext:
    province: str
    actor: Actor
    correlation_id: str
    causation_id: str | None = None
