"""A reference subscriber of thidua's award decisions on Kafka, with FastStream.

It joins a consumer group on ``thidua.<province>.awards`` (and ``thidua.<province>.registry``, where the units'
names are: an award decision names its unit by id), and for each message:

1. checks it is an intact event of the published contract: its ``hash`` is the SHA-256 of its body, and the
   envelope and payload validate against the published JSON Schemas (``thidua contract schemas``), which
   tolerate added fields; anything else is refused with the reason and skipped;
2. skips an event it already processed, by ``event_id`` (delivery is at least once);
3. prints each award decision in Vietnamese (or English), naming the unit and the form as people call them,
   the decision by number and date; a decision whose unit's name has not arrived yet waits for it.

Its state (events seen, names, decisions waiting) is a SQLite file: a restarted subscriber goes on where it
was, and the dedup and the state's change commit in one transaction. Offsets are committed to Kafka after
each message is handled; a message whose handling failed is read again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Literal

from faststream import AckPolicy, FastStream
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from referencing import Registry, Resource

from thidua_contracts import InvalidEvent, digest, split_body
from thidua_contracts.schemas import ENVELOPE_ID, envelope_schema, event_schemas, schema_id

Language = Literal["vi", "en"]

NATIONAL_FORMS = {
    "GOV_FLAG": "Cờ thi đua của Chính phủ",
    "PROV_FLAG": "Cờ thi đua của UBND tỉnh",
    "PROV_MERIT": "Bằng khen của Chủ tịch UBND tỉnh",
    "EXCELLENT_COLLECTIVE": "Tập thể lao động xuất sắc",
    "ADVANCED_COLLECTIVE": "Tập thể lao động tiên tiến",
}
"""The forms of the national rulebooks, which thidua ships rather than records as events; a province's own
rulebook (``RulebookAdopted`` on the awards topic) names its forms, and those names win."""


class Settings(BaseSettings):
    """From the environment, ``THIDUA_SUBSCRIBER_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_SUBSCRIBER_")

    bootstrap_servers: str = "127.0.0.1:9092"
    province: str = "HNM"
    group_id: str = "vi-du.quyet-dinh-khen-thuong"
    """The consumer group: several copies of the subscriber share the partitions; a new group reads from the
    start (thidua's topics keep every event)."""
    state: Path = Path("thidua-subscriber.sqlite3")
    schemas: Path | None = None
    """A folder written by ``thidua contract schemas --out``; by default the installed thidua-contracts'."""
    language: Language = "vi"
    session_timeout_ms: int = 10000

    def topics(self) -> list[str]:
        province = self.province.lower()
        return [f"thidua.{province}.registry", f"thidua.{province}.awards"]


def published_schemas(folder: Path | None) -> list[dict[str, Any]]:
    if folder is None:
        return [envelope_schema(), *event_schemas().values()]
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]


class Refused(ValueError):
    """A message that is not an intact event of the contract."""


class ContractCheck:
    """Checks a message against the published JSON Schemas, found by their ``$id``."""

    def __init__(self, schemas: list[dict[str, Any]]) -> None:
        self._ids = {schema["$id"] for schema in schemas}
        self._registry: Registry[Any] = Registry().with_resources(
            (schema["$id"], Resource.from_contents(schema)) for schema in schemas)
        self._validators: dict[str, Draft202012Validator] = {}

    def _validator(self, payload_id: str | None) -> Draft202012Validator:
        key = payload_id or ""
        if key not in self._validators:
            parts: list[dict[str, Any]] = [{"$ref": ENVELOPE_ID}]
            if payload_id:
                parts.append({"properties": {"payload": {"$ref": payload_id}}})
            self._validators[key] = Draft202012Validator(
                {"allOf": parts}, registry=self._registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return self._validators[key]

    def envelope(self, value: bytes) -> dict[str, Any]:
        """The checked envelope of a message; :class:`Refused` with the reason if it is not an intact event.
        An event type or version whose schema is not published (newer than the schemas) is checked as an
        envelope only."""
        try:
            body, hash_ = split_body(value)
        except InvalidEvent as error:
            raise Refused(str(error)) from error
        if digest(body) != hash_:
            raise Refused("hash does not match the event")
        try:
            document = json.loads(value)
        except ValueError as error:
            raise Refused(f"not JSON: {error}") from error
        if not isinstance(document, dict):
            raise Refused("an event is a JSON object")
        version = document.get("schema_version")
        payload_id = schema_id(str(document.get("event_type")), version if isinstance(version, int) else 0)
        try:
            self._validator(payload_id if payload_id in self._ids else None).validate(document)
        except ValidationError as error:
            where = "/".join(str(part) for part in error.absolute_path)
            raise Refused(f"{where or 'envelope'}: {error.message}") from error
        return document


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _money(vnd: int, language: Language) -> str:
    return f"{vnd:,}".replace(",", ".") if language == "vi" else f"{vnd:,}"


def say(line: str) -> None:
    print(line, flush=True)


def describe_decision(decision: dict[str, Any], unit: str, form: str, language: Language) -> str:
    """One line a person reads: who was awarded what, by which decision, of which day."""
    number, day, authority = decision["decision_no"], _day(decision["decided_on"]), decision["authority"]
    reward = decision.get("reward_vnd")
    if language == "en":
        line = f"Decision {number} of {day} ({authority}): {form} awarded to {unit}"
        return line + (f"; reward {_money(reward, language)} đồng." if reward else ".")
    line = f"Quyết định số {number} ngày {day} của {authority}: tặng {form} cho {unit}"
    return line + (f"; tiền thưởng {_money(reward, language)} đồng." if reward else ".")


TEXTS: dict[str, dict[Language, str]] = {
    "refused": {"vi": "Từ chối thông điệp {where}: {reason}", "en": "Refused the message at {where}: {reason}"},
    "duplicate": {"vi": "Bỏ qua sự kiện đã nhận trước đó: {event_id}",
                  "en": "Skipped an event received before: {event_id}"},
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (event_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS names (kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS waiting (event_id TEXT PRIMARY KEY, payload TEXT NOT NULL);
"""


class AwardDecisions:
    """What the subscriber does with each message, whatever delivers it."""

    def __init__(self, settings: Settings, out: Callable[[str], None] = say) -> None:
        self._check = ContractCheck(published_schemas(settings.schemas))
        self._language = settings.language
        self._out = out
        self._db = sqlite3.connect(settings.state, isolation_level=None)
        self._db.executescript(SCHEMA)

    async def close(self) -> None:
        """At shutdown (async: the database is used on the event loop's thread only)."""
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _say(self, key: str, **values: str) -> None:
        self._out(TEXTS[key][self._language].format(**values))

    def handle(self, where: str, value: bytes) -> None:
        """One message read at ``where`` (``topic/partition/offset``)."""
        try:
            event = self._check.envelope(value)
        except Refused as refused:
            self._say("refused", where=where, reason=str(refused))
            return
        lines: list[str] = []
        with self._transaction() as db:
            first = db.execute("INSERT OR IGNORE INTO seen (event_id) VALUES (?)", (event["event_id"],)).rowcount
            if first:
                lines = self._apply(db, event)
        if not first:
            self._say("duplicate", event_id=str(event["event_id"]))
        for line in lines:
            self._out(line)

    def _apply(self, db: sqlite3.Connection, event: dict[str, Any]) -> list[str]:
        kind, payload = event["event_type"], event["payload"]
        if kind in ("UnitRegistered", "UnitRenamed"):
            self._name(db, "unit", payload["unit_id"], payload["name"])
        elif kind == "RulebookAdopted":
            for form in payload["forms"]:
                self._name(db, "form", form["code"], form["name"])
        elif kind == "AwardDecided":
            db.execute("INSERT INTO waiting (event_id, payload) VALUES (?, ?)",
                       (event["event_id"], json.dumps(payload, ensure_ascii=False)))
        else:
            return []
        return self._decisions_now_named(db)

    @staticmethod
    def _name(db: sqlite3.Connection, kind: str, id_: str, name: str) -> None:
        db.execute("INSERT INTO names (kind, id, name) VALUES (?, ?, ?) "
                   "ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name", (kind, id_, name))

    def _decisions_now_named(self, db: sqlite3.Connection) -> list[str]:
        """The lines of the decisions waiting whose unit and form now have names (in the order received)."""
        lines = []
        for event_id, text in db.execute("SELECT event_id, payload FROM waiting ORDER BY rowid").fetchall():
            decision = json.loads(text)
            unit = db.execute("SELECT name FROM names WHERE kind = 'unit' AND id = ?",
                              (decision["unit_id"],)).fetchone()
            form = db.execute("SELECT name FROM names WHERE kind = 'form' AND id = ?",
                              (decision["award_code"],)).fetchone()
            form_name = form[0] if form else NATIONAL_FORMS.get(decision["award_code"])
            if unit is None or form_name is None:
                continue
            lines.append(describe_decision(decision, unit[0], form_name, self._language))
            db.execute("DELETE FROM waiting WHERE event_id = ?", (event_id,))
        return lines


def build_app(settings: Settings, out: Callable[[str], None] = say) -> FastStream:
    """The FastStream application: one subscriber in the consumer group ``settings.group_id``."""
    decisions = AwardDecisions(settings, out)
    broker = KafkaBroker(settings.bootstrap_servers)

    @broker.subscriber(
        *settings.topics(), group_id=settings.group_id, auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR, session_timeout_ms=settings.session_timeout_ms,
        heartbeat_interval_ms=max(100, settings.session_timeout_ms // 3),
        title="award decisions", description="thidua's award decisions, printed for people",
    )
    async def on_message(message: KafkaMessage) -> None:
        record = message.raw_message
        assert not isinstance(record, tuple), "one message at a time (not a batch subscriber)"
        decisions.handle(f"{record.topic}/{record.partition}/{record.offset}", message.body)

    return FastStream(broker, on_shutdown=[decisions.close])
