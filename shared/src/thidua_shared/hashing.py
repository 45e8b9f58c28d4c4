"""The SHA-256 chain over a service's log.

Each stored event has a ``body``: the canonical JSON (sorted keys, no spaces, UTF-8) of every
envelope field except ``hash``; the body includes ``prev_hash``. ``hash = sha256(body)``. The first
event's ``prev_hash`` is ``GENESIS``. Altering, removing or reordering any event breaks the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

GENESIS = "0" * 64


def canonical(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def wire(body: bytes, hash_: str) -> bytes:
    """The published JSON of an event: its body with ``hash`` added."""
    return body[:-1] + b',"hash":"' + hash_.encode() + b'"}'


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


def verify_chain(rows: Iterable[tuple[int, bytes, str]], start_hash: str = GENESIS,
                 start_position: int = 0) -> list[ChainBreak]:
    """Check ``(position, body, hash)`` rows in log order; every break found, in order."""
    breaks: list[ChainBreak] = []
    prev_hash, prev_position = start_hash, start_position
    for position, body, hash_ in rows:
        if position != prev_position + 1:
            breaks.append(ChainBreak(position, f"gap: expected position {prev_position + 1}"))
        if digest(body) != hash_:
            breaks.append(ChainBreak(position, "altered: body does not match its hash"))
        document = orjson.loads(body)
        if document.get("position") != position:
            breaks.append(ChainBreak(position, "moved: body names another position"))
        if document.get("prev_hash") != prev_hash:
            breaks.append(ChainBreak(position, "chain: prev_hash does not match the previous event"))
        prev_hash, prev_position = hash_, position
    return breaks
