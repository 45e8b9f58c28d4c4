"""Fixtures of the delivery and outage tests (see ``delivery_harness``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from delivery_harness import Databases, Runners, two_databases


@pytest.fixture
async def dbs(tmp_path: Path) -> AsyncIterator[Databases]:
    async with two_databases("sqlite", tmp_path) as databases:
        yield databases


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def any_dbs(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Databases]:
    async with two_databases(request.param, tmp_path) as databases:
        yield databases


@pytest.fixture
async def runners() -> AsyncIterator[Runners]:
    running = Runners()
    try:
        yield running
    finally:
        await running.stop_all()
