"""The same evidence file uploaded ten times at once is kept once, and every upload is answered, on both
backends."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from scoring.adapters import evidence
from scoring.adapters.tables import evidence_files
from scoring.bootstrap import SERVICE
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine

MINUTES = bytes(range(256)) * 8192
"""Two megabytes: a scan of the meeting's minutes."""


async def test_one_file_uploaded_ten_times_at_once_is_stored_once_and_named_to_all(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
        async def upload(index: int) -> dict[str, Any]:
            async with engine.begin() as connection:
                return await evidence.store(connection, "HNM", MINUTES, "text/plain", f"copy-{index}.txt")

        answers = await asyncio.gather(*(upload(index) for index in range(10)))
        async with engine.connect() as connection:
            kept = await connection.scalar(select(func.count()).select_from(evidence_files))
    finally:
        await engine.dispose()
    assert {answer["ref"] for answer in answers} == {answers[0]["ref"]}
    assert sorted(answer["stored_before"] for answer in answers) == [False] + [True] * 9
    assert kept == 1
