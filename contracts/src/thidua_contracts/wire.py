"""The published form of an event, and how a subscriber checks one.

An event's ``body`` is the JSON of every envelope field except ``hash`` (canonical when the service
wrote it: sorted keys, no spaces, UTF-8), and ``hash`` is the SHA-256 of those bytes, in hex. The
message published on Kafka is the body with ``hash`` added as its last member::

    {...,"stream_version":3,"hash":"<64 hex digits>"}

A subscriber gets the exact bytes that were hashed back by taking that last member off, so it needs
no JSON encoder that writes as the service's does.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pydantic import ValidationError

from thidua_contracts.base import EventPayload
from thidua_contracts.catalog import EVENT_MODELS
from thidua_contracts.envelope import Envelope
from thidua_contracts.upcasting import UnreadableEvent, read_payload

_HASH_OPENS = b',"hash":"'
_HASH_HEX = re.compile(rb"[0-9a-f]{64}")
_HASH_MEMBER_LENGTH = len(b',"hash":""}') + 64


class InvalidEvent(ValueError):
    """A message that is not an intact event of the contract: say why, and do not process it."""


class UnknownEventType(InvalidEvent):
    """An intact envelope of an event type this version of the contract does not know.

    The contract may add event types: a subscriber that only wants some types can skip these rather
    than treat them as broken (install a newer ``thidua-contracts`` to read them)."""


def digest(body: bytes) -> str:
    """The SHA-256 of an event's body, in hex: its ``hash``."""
    return hashlib.sha256(body).hexdigest()


def wire(body: bytes, hash_: str) -> bytes:
    """The published JSON of an event: its body with ``hash`` added as the last member."""
    return body[:-1] + b',"hash":"' + hash_.encode() + b'"}'


def split_body(value: bytes) -> tuple[bytes, str]:
    """The body and the hash of a published event (the inverse of :func:`wire`)."""
    end = len(value) if value[-1:] == b"}" else len(value.rstrip())  # a consumer splits every message: no copy
    start = end - _HASH_MEMBER_LENGTH                                   # of it unless it ends in blanks
    if (start < 1 or value[start:start + len(_HASH_OPENS)] != _HASH_OPENS or value[end - 2:end] != b'"}'
            or _HASH_HEX.fullmatch(value, start + len(_HASH_OPENS), end - 2) is None):
        raise InvalidEvent('not a published event: it does not end with its "hash"')
    return value[:start] + b"}", value[start + len(_HASH_OPENS):end - 2].decode()


def _no_constants(name: str) -> Any:
    raise InvalidEvent(f"not JSON: {name}")


def read_envelope(value: bytes) -> Envelope:
    """The envelope of a published event, checked as a subscriber should check it.

    Raises :class:`InvalidEvent` (with the reason) unless: the message is the body and its hash as
    :func:`wire` makes them, the hash is the SHA-256 of the body, the envelope has exactly the
    contract's fields, and the payload is valid for its event type and version, upcast to the current
    one (:func:`thidua_contracts.upcasting.read_payload`). :class:`UnknownEventType` when only the
    event type is unknown. The envelope's ``payload`` is as published; :func:`read_event` also gives
    it typed.
    """
    return read_event(value)[0]


def read_event(value: bytes) -> tuple[Envelope, EventPayload]:
    """The checked envelope of a published event and its payload as the current model (see
    :func:`read_envelope` for what is checked)."""
    body, hash_ = split_body(value)
    if digest(body) != hash_:
        raise InvalidEvent("hash does not match the event")
    try:
        document = json.loads(body, parse_constant=_no_constants)
    except ValueError as error:
        raise InvalidEvent(f"not JSON: {error}") from error
    if not isinstance(document, dict):
        raise InvalidEvent("an event is a JSON object")
    if "hash" in document:
        raise InvalidEvent("the body carries a hash of its own")
    try:
        envelope = Envelope.model_validate({**document, "hash": hash_})
    except ValidationError as error:
        raise InvalidEvent(f"not an event envelope: {error}") from error
    if envelope.event_type not in EVENT_MODELS:
        raise UnknownEventType(f"unknown event type {envelope.event_type}")
    if EVENT_MODELS[envelope.event_type].source != envelope.source:
        raise InvalidEvent(f"{envelope.event_type} belongs to {EVENT_MODELS[envelope.event_type].source}, "
                           f"not {envelope.source}")
    try:
        payload = read_payload(envelope.event_type, envelope.schema_version, envelope.payload)
    except (UnreadableEvent, ValidationError) as error:
        raise InvalidEvent(f"{envelope.event_type} v{envelope.schema_version}: {error}") from error
    return envelope, payload
