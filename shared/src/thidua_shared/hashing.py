"""The SHA-256 chain over a service's log.

Each stored event has a ``body``: the canonical JSON (sorted keys, no spaces, UTF-8) of every
envelope field except ``hash``; the body includes ``prev_hash``. ``hash = sha256(body)``
(:func:`thidua_contracts.wire.digest`; the published form and its check are the contract's,
:mod:`thidua_contracts.wire`). The first event's ``prev_hash`` is ``GENESIS``. Altering, removing or
reordering any event breaks the chain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from thidua_contracts.wire import digest

GENESIS = "0" * 64


def canonical(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def split_wire(value: bytes) -> tuple[dict[str, Any], str]:
    """The envelope document without ``hash``, and the hash, of a published event."""
    document = orjson.loads(value)
    if not isinstance(document, dict):
        raise ValueError("an event is a JSON object")
    hash_ = document.pop("hash")
    if not isinstance(hash_, str):
        raise ValueError("hash must be a string")
    return document, hash_


@dataclass(frozen=True, slots=True)
class ChainBreak:
    position: int
    problem: str


COLUMNS = ("event_id", "stream_id", "stream_version", "event_type", "province")
"""The columns a log row keeps beside its body, to find it by: each must say what the body says."""

Row = tuple[int, bytes, str] | tuple[int, bytes, str, Mapping[str, object]]
"""``(position, body, hash)``, with the row's other :data:`COLUMNS` when they are to be checked too."""


def column_mismatches(columns: Mapping[str, object], document: Mapping[str, object]) -> list[str]:
    """The problem of each column that disagrees with the body (a row moved to another stream, say)."""
    return [f"mismatch: column {name} is {columns[name]!r}, the body says {document.get(name)!r}"
            for name in COLUMNS if name in columns and columns[name] != document.get(name)]


class ChainWalk:
    """The check of :func:`verify_chain`, fed one row at a time in log order, holding only the last row's state:
    a log of any length is checked in constant memory."""

    def __init__(self, start_hash: str = GENESIS, start_position: int = 0) -> None:
        self.breaks: list[ChainBreak] = []
        self.last_position, self.last_hash = start_position, start_hash
        self._prev_in_place = False

    def feed(self, row: Row) -> None:
        """An event whose body and hash were both rewritten still matches its own hash, but the next event chains
        to its original hash: that event is named, not the next one (unless the next one is itself out of place
        or altered)."""
        position, body, hash_ = row[0], row[1], row[2]
        prev_position, prev_hash = self.last_position, self.last_hash
        gap = position != prev_position + 1
        if gap:
            self.breaks.append(ChainBreak(position, f"gap: expected position {prev_position + 1}"))
        intact = digest(body) == hash_
        if not intact:
            self.breaks.append(ChainBreak(position, "altered: body does not match its hash"))
        document = orjson.loads(body)
        moved = document.get("position") != position
        if moved:
            self.breaks.append(ChainBreak(position, "moved: body names another position"))
        if len(row) == 4:
            self.breaks += [ChainBreak(position, problem) for problem in column_mismatches(row[3], document)]
        if document.get("prev_hash") != prev_hash:
            if intact and not gap and not moved and self._prev_in_place:
                self.breaks.append(ChainBreak(prev_position, "altered: body and hash rewritten, the next event "
                                                             "chains to another hash"))
            else:
                self.breaks.append(ChainBreak(position, "chain: prev_hash does not match the previous event"))
        self.last_hash, self.last_position, self._prev_in_place = hash_, position, intact and not gap and not moved

    def sorted_breaks(self) -> list[ChainBreak]:
        return sorted(self.breaks, key=lambda broken: broken.position)


def verify_chain(rows: Iterable[Row], start_hash: str = GENESIS, start_position: int = 0) -> list[ChainBreak]:
    """Check rows in log order; every break found, in order of position (see :class:`ChainWalk`). Rewriting every
    later event and the log head too is not detectable here."""
    walk = ChainWalk(start_hash, start_position)
    for row in rows:
        walk.feed(row)
    return walk.sorted_breaks()
