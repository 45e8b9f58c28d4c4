"""The routes every service offers auditors, the same way: its log as stored, its signed checkpoints, its public
key, and the record of what auditors read.

The log is read as the rows are stored, not as the service understands them: a row altered in the database is
shown altered (an auditor's tool, not the service, judges it). One database holds the log of every province the
instance serves, chained together: another province's events are shown without their body (position, hash and
the hash they chain to only), so that a province's auditor checks the whole chain and reads only their own.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_shared.auth import Principal
from thidua_shared.checkpoints import Checkpoint, Signer, kept, sign_head
from thidua_shared.errors import Invalid, NotFound
from thidua_shared.hashing import GENESIS
from thidua_shared.kafka import BrokerAdmin
from thidua_shared.outbox import RELAY
from thidua_shared.read_models import ReadModelPage, ReadModels, read_models_of, read_page
from thidua_shared.store.event_store import utc_iso
from thidua_shared.store.tables import audit_reads, events, log_head, relay_state

log = structlog.get_logger(__name__)
READERS = ("auditor", "admin")


def checkpoint_topic(province: str, service: str) -> str:
    """``thidua.<province>.<service>.checkpoints``: where a service publishes its signed log heads."""
    return f"thidua.{province.lower()}.{service}.checkpoints"


class PublicKey(BaseModel):
    service: str
    key_id: str
    public_key_pem: str


class LogEntry(BaseModel):
    """One row of the log as stored: ``body`` is the exact bytes hashed (UTF-8), absent for another province's
    event; ``prev_hash`` is what the body says it chains to."""

    position: int
    province: str
    hash: str
    prev_hash: str
    body: str | None


class LogPage(BaseModel):
    """A page of the log. ``published_position``: the relay's word that the broker acknowledged every event up to
    that position on its province's topic (``relay_state``; 0 before the first publication and after a refill
    was requested), so that an auditor can check the topic holds them."""

    service: str
    events: list[LogEntry]
    next_after: int
    head_position: int
    head_hash: str
    published_position: int = 0


class AuditRead(BaseModel):
    token_id: str
    label: str
    method: str
    path: str
    query: str
    read_at: str


async def record_read(engine: AsyncEngine, principal: Principal, request: Request) -> None:
    """An auditor's request, kept: who read what, when."""
    async with engine.begin() as connection:
        await connection.execute(insert(audit_reads).values(
            province=principal.province, token_id=principal.token_id, label=principal.label,
            method=request.method, path=request.url.path[:1000], query=request.url.query[:1000],
            read_at=utc_iso(datetime.now(UTC))))


async def publish(bootstrap_servers: str, provinces: list[str], checkpoint: Checkpoint) -> bool:
    """Publish the checkpoint on each province's checkpoint topic; False (and a warning) when the broker cannot
    take it now: the checkpoint stays kept in the store and is published with the next."""
    topics = {checkpoint_topic(province, checkpoint.service) for province in provinces}
    admin = BrokerAdmin(bootstrap_servers)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, enable_idempotence=False)
    try:
        await admin.ensure_topics(topics, partitions=1)
        await producer.start()
        value = checkpoint.model_dump_json().encode()
        for topic in sorted(topics):
            await producer.send_and_wait(topic, value, key=checkpoint.service.encode())
    except (KafkaError, OSError, TimeoutError) as error:
        log.warning("checkpoint.unpublished", position=checkpoint.position, error=str(error))
        return False
    finally:
        await producer.stop()
        await admin.close()
    log.info("checkpoint.published", position=checkpoint.position, topics=sorted(topics))
    return True


def audit_routes(parts: Any, signer: Signer, caller: Any, api: APIRouter) -> APIRouter:
    """The audit routes: those of a province added to ``api`` (the service's router under
    ``/provinces/{province}``), and the public key's router, returned. ``parts`` is the service's
    :class:`thidua_shared.runtime.ServiceParts`; ``caller`` its caller dependency."""
    public = APIRouter(tags=["audit"])
    Caller = Annotated[Principal, Depends(caller)]

    @public.get("/audit/public-key", response_model=PublicKey,
             summary="The public key that verifies this service's checkpoints (no token needed)")
    async def public_key() -> PublicKey:
        return PublicKey(service=parts.name, key_id=signer.key_id, public_key_pem=signer.public_key_pem())

    @api.get("/log", tags=["audit"], response_model=LogPage,
             summary="The log as stored, with positions and hashes, page by page (auditors and admins)")
    async def read_log(province: str, caller: Caller, after: Annotated[int, Query(ge=0, le=2**53)] = 0,
                       limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> LogPage:
        caller.require_role(*READERS)
        async with parts.engine.connect() as connection:
            rows = (await connection.execute(
                select(events.c.position, events.c.province, events.c.body, events.c.hash)
                .where(events.c.position > after).order_by(events.c.position).limit(limit))).all()
            head = (await connection.execute(select(log_head.c.last_position, log_head.c.last_hash))).first()
            published = await connection.scalar(
                select(relay_state.c.published_position).where(relay_state.c.relay == RELAY))
        entries = [LogEntry(position=int(row.position), province=str(row.province), hash=str(row.hash),
                            prev_hash=_prev_hash(str(row.body)),
                            body=str(row.body) if row.province == province else None) for row in rows]
        return LogPage(service=parts.name, events=entries, next_after=entries[-1].position if entries else after,
                       head_position=int(head[0]) if head is not None else 0,
                       head_hash=str(head[1]) if head is not None else GENESIS,
                       published_position=int(published or 0))

    @api.get("/checkpoints", tags=["audit"], response_model=list[Checkpoint],
             summary="The signed checkpoints of this service's log, oldest first (auditors and admins)")
    async def list_checkpoints(province: str, caller: Caller) -> list[Checkpoint]:
        caller.require_role(*READERS)
        return await kept(parts.engine, parts.name)

    @api.post("/checkpoints", tags=["audit"], response_model=Checkpoint, status_code=201,
              summary="Sign the log's head now, keep it and publish it to Kafka (admins)")
    async def sign_now(province: str, caller: Caller) -> Checkpoint:
        caller.require_role("admin")
        checkpoint = await sign_head(parts.engine, signer)
        log.info("checkpoint.signed", position=checkpoint.position, on_demand=True)
        await publish(parts.settings.kafka_bootstrap_servers, parts.settings.province_codes, checkpoint)
        return checkpoint

    @api.get("/audit-reads", tags=["audit"], response_model=list[AuditRead],
             summary="Every request auditors of the province made of this service: who read what, when (admins)")
    async def list_reads(province: str, caller: Caller,
                         limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[AuditRead]:
        caller.require_role("admin")
        async with parts.engine.connect() as connection:
            rows = await connection.execute(select(audit_reads).where(audit_reads.c.province == province)
                                            .order_by(audit_reads.c.id.desc()).limit(limit))
            return [AuditRead(token_id=row.token_id, label=row.label, method=row.method, path=row.path,
                              query=row.query, read_at=row.read_at) for row in rows]

    tables = {table.name: table for table in parts.read_models}

    @api.get("/audit/read-models", tags=["audit"], response_model=ReadModels,
             summary="The read models this service keeps of the province, and the events they reflect "
                     "(auditors and admins)")
    async def list_read_models(province: str, caller: Caller) -> ReadModels:
        caller.require_role(*READERS)
        return await read_models_of(parts.engine, parts.name, list(tables.values()), province)

    @api.get("/audit/read-models/{table}", tags=["audit"], response_model=ReadModelPage,
             summary="The province's rows of one read model, in primary-key order, page by page, with the events "
                     "they reflect (auditors and admins)")
    async def list_read_model_rows(
            province: str, caller: Caller,
            table: Annotated[str, Path(max_length=100, pattern=r"^[a-z_]+$")],
            after: Annotated[str | None, Query(max_length=2000, description="the previous page's next_after")] = None,
            limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> ReadModelPage:
        caller.require_role(*READERS)
        if table not in tables:
            raise NotFound("audit.read_model_unknown", table=table, tables=", ".join(sorted(tables)))
        try:
            return await read_page(parts.engine, tables[table], province, after, limit)
        except ValueError as error:
            raise Invalid("audit.read_model_cursor", table=table, error=str(error)) from error

    return public


def _prev_hash(body: str) -> str:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return ""
    value = document.get("prev_hash") if isinstance(document, dict) else None
    return value if isinstance(value, str) else ""
