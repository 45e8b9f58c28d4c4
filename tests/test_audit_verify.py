"""An auditor with only a token and the HTTP API proves a service's log intact, and catches every kind of
tampering of the database: one byte changed, a row deleted, two rows swapped, the tail cut, and a row rewritten
with every later hash recomputed and the service's own checkpoints deleted (the auditor's kept checkpoint,
signed by the instance's key, catches it)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from typer.testing import CliRunner

from registry.bootstrap import create_app
from thidua_cli.audit import ServiceAudit, audit_service, report_lines
from thidua_cli.main import app as thidua
from thidua_shared.audit_api import checkpoint_topic
from thidua_shared.checkpoints import Checkpoint
from thidua_shared.testing import ApiUnderTest, rewrite_consistently, running_service, tamper

UNITS = ["Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Sở Y tế", "Sở Xây dựng", "Sở Công Thương"]

@pytest.fixture
async def registry(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[ApiUnderTest]:
    async with running_service(create_app, tmp_path, kafka_bootstrap) as service:
        async with service.client(await service.token("admin")) as http:
            registered = await http.post(f"{service.base}/registration", json={"name": "Hà Nam"})
            assert registered.status_code == 201, registered.text
            for index, name in enumerate(UNITS):
                answer = await http.post(f"{service.base}/units", json={"unit_id": f"so-{index}", "name": name})
                assert answer.status_code == 201, answer.text
        yield service


def _database(service: ApiUnderTest) -> Path:
    return Path(service.settings.database_for("registry").split("///", 1)[1])


async def _audit(service: ApiUnderTest, held: dict[str, Any] | None = None) -> ServiceAudit:
    """The audit of the log, made twice: keeping the entries (as the report does) and page by page in constant
    memory (as ``thidua audit verify`` does); both must find the same."""
    async with service.client(await service.token("auditor")) as http:
        kept = await audit_service(http, service.province, held)
        streamed = await audit_service(http, service.province, held, keep_entries=False)
    assert streamed.entries == []
    assert len(kept.entries) == kept.events
    assert (streamed.events, streamed.findings) == (kept.events, kept.findings), "streamed, the same findings"
    return kept


async def _tampered(service: ApiUnderTest, change: Callable[[sqlite3.Connection], None]) -> None:
    await tamper(_database(service), change)


def _rows(connection: sqlite3.Connection) -> list[tuple[int, str, str]]:
    return connection.execute("SELECT position, body, hash FROM events ORDER BY position").fetchall()


async def test_an_intact_log_passes_and_each_kind_of_tampering_is_named(registry: ApiUnderTest) -> None:
    async with registry.client(await registry.token("admin")) as http:
        signed = await http.post(f"{registry.base}/checkpoints")
    assert signed.status_code == 201
    intact = await _audit(registry)
    assert (intact.events, len(intact.checkpoints), intact.findings) == (7, 1, [])
    assert "7 sự kiện, 1 điểm kiểm tra đã ký: toàn vẹn" in report_lines(intact, "vi")[0]
    held = {"public_key_pem": intact.public_key_pem, "checkpoints": [c.model_dump() for c in intact.checkpoints]}
    original, head = await tamper(_database(registry), lambda connection: (
        _rows(connection), connection.execute("SELECT last_position, last_hash FROM log_head").fetchone()))

    def restore(connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM events WHERE position > 0")
        connection.executemany(
            "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, province, body, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(position, document["event_id"], document["stream_id"], document["stream_version"],
              document["event_type"], document["province"], body, hash_)
             for position, body, hash_ in original for document in [orjson.loads(body)]])
        connection.execute("UPDATE log_head SET last_position = ?, last_hash = ?", head)

    def one_byte(connection: sqlite3.Connection) -> None:
        connection.execute("UPDATE events SET body = replace(body, 'Sở Tư pháp', 'Sở Tư phap') WHERE position = 4")

    def deleted(connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM events WHERE position = 3")

    def swapped(connection: sqlite3.Connection) -> None:
        (_, body3, hash3), (_, body4, hash4) = original[2], original[3]
        connection.execute("UPDATE events SET body = ?, hash = ? WHERE position = 3", (body4, hash4))
        connection.execute("UPDATE events SET body = ?, hash = ? WHERE position = 4", (body3, hash3))

    def cut(connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM events WHERE position > 5")
        connection.execute("UPDATE log_head SET last_position = 5, last_hash = ?", (original[4][2],))

    for change, position, problem in ((one_byte, 4, "altered"), (deleted, 4, "gap"), (swapped, 3, "moved"),
                                      (cut, 6, "truncated")):
        await _tampered(registry, change)
        audit = await _audit(registry)
        await _tampered(registry, restore)
        first = min(audit.findings, key=lambda finding: finding.position)
        assert (first.position, first.problem) == (position, problem), change.__name__
    assert (await _audit(registry)).findings == [], "restored"

    def rewritten_consistently(connection: sqlite3.Connection) -> None:
        """Sở Nội vụ renamed in its registration (position 2) and every later hash recomputed; the service's
        own checkpoints deleted: the chain and head are consistent again."""
        rewrite_consistently(connection, 2, lambda event: event["payload"].update(name="Sở Nội vụ (đã sửa)"))
        connection.execute("DELETE FROM checkpoints")

    await _tampered(registry, rewritten_consistently)
    unanchored = await _audit(registry)
    anchored = await _audit(registry, held)
    assert unanchored.findings == [], "without a checkpoint, a consistent rewrite is not detectable"
    [found] = anchored.findings
    assert (found.position, found.problem) == (7, "checkpoint_hash"), "the auditor's checkpoint names the rewrite"
    assert "bị viết lại trước điểm kiểm tra" in found.words("vi")


async def test_checkpoints_are_published_signed_and_auditors_reads_are_recorded(registry: ApiUnderTest) -> None:
    auditor, admin = await registry.token("auditor"), await registry.token("admin")
    async with registry.client(auditor) as http:
        refused = await http.post(f"{registry.base}/checkpoints")
        key = (await http.get("/audit/public-key")).json()
        await http.get(f"{registry.base}/log", params={"after": 2, "limit": 2})
    async with registry.client(admin) as http:
        signed = Checkpoint.model_validate((await http.post(f"{registry.base}/checkpoints")).json())
        reads = (await http.get(f"{registry.base}/audit-reads")).json()
    assert refused.status_code == 403, "an auditor changes nothing"
    assert signed.verified_by(key["public_key_pem"])
    assert [(read["method"], read["path"], read["query"]) for read in reads][:2] == [
        ("GET", f"{registry.base}/log", "after=2&limit=2"), ("POST", f"{registry.base}/checkpoints", "")]
    consumer = AIOKafkaConsumer(checkpoint_topic(registry.province, "registry"),
                                bootstrap_servers=registry.settings.kafka_bootstrap_servers,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    try:
        records = await consumer.getmany(timeout_ms=10_000)
    finally:
        await consumer.stop()
    published = [Checkpoint.model_validate_json(record.value or b"") for batch in records.values()
                 for record in batch]
    assert published == [signed], "the signed head is published on the province's checkpoint topic"


def test_the_cli_fails_with_no_service_to_audit() -> None:
    result = CliRunner().invoke(thidua, ["audit", "verify", "--province", "HNM", "--token", "t"], env={})
    assert result.exit_code == 2
    assert "give --url" in result.output
