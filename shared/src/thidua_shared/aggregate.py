"""The base of every aggregate: its state changes only by applying its events.

A method of an aggregate checks a rule, then :meth:`Aggregate.record` s the event that says what happened:
the event is applied at once (so the next rule sees it) and kept as pending until the unit of work saves
it (see :mod:`thidua_shared.repository`). Loading replays the stream through the same :meth:`Aggregate.apply`.
Each event class has one applier per aggregate class, a method marked ``@applies(EventClass)``.

Pure Python: domains import this module, and it imports nothing of the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Self, TypeVar

from thidua_contracts import EventPayload

E = TypeVar("E", bound=EventPayload)
Applier = Callable[[Any, E], None]


def applies(event_class: type[E]) -> Callable[[Applier[E]], Applier[E]]:
    """Mark a method of an :class:`Aggregate` subclass as the one that applies ``event_class``."""

    def mark(method: Applier[E]) -> Applier[E]:
        method.__applies__ = event_class  # type: ignore[attr-defined]
        return method

    return mark


class Aggregate:
    """An event-sourced aggregate: the stream it lives in, the province its events belong to, its version.

    ``version`` counts every event applied, those pending included; the store expects the stream at
    :attr:`saved_version` when the pending events are appended.
    """

    _appliers: ClassVar[dict[type[EventPayload], Applier[Any]]] = {}

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        appliers = dict(cls._appliers)
        own: set[type[EventPayload]] = set()
        for attribute in vars(cls).values():
            event_class = getattr(attribute, "__applies__", None)
            if event_class is None:
                continue
            if event_class in own:
                raise TypeError(f"{cls.__name__} applies {event_class.__name__} twice")
            own.add(event_class)
            appliers[event_class] = attribute
        cls._appliers = appliers

    def __init__(self, stream_id: str, province: str) -> None:
        self.stream_id = stream_id
        self.province = province
        self.version = 0
        self._pending: list[EventPayload] = []

    @property
    def exists(self) -> bool:
        """Something has happened to it (recorded or still pending)."""
        return self.version > 0

    @property
    def saved_version(self) -> int:
        """The stream's version before the pending events."""
        return self.version - len(self._pending)

    @property
    def pending(self) -> tuple[EventPayload, ...]:
        """The events recorded since it was loaded or last saved, in order."""
        return tuple(self._pending)

    def apply(self, event: EventPayload) -> None:
        """Change the state as ``event`` says, through the applier of its class (a class without one is a
        programming error: the stream holds an event this aggregate does not understand)."""
        applier = self._appliers.get(type(event))
        if applier is None:
            raise TypeError(f"{type(self).__name__} has no applier for {type(event).__name__}")
        applier(self, event)
        self.version += 1

    def record(self, event: EventPayload) -> None:
        """Apply a new event and keep it until the unit of work saves it."""
        self.apply(event)
        self._pending.append(event)

    def replay(self, history: Iterable[EventPayload]) -> Self:
        """Apply a stream's events, in order, as already saved."""
        for event in history:
            self.apply(event)
        return self

    def mark_saved(self) -> None:
        """The pending events are in the log now (called by the unit of work)."""
        self._pending.clear()
