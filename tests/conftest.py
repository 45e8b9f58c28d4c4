"""Fixtures of the cross-service tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from thidua_cli.system import LocalSystem
from thidua_shared.broker import EmbeddedBroker


@pytest.fixture
async def system(tmp_path: Path, own_broker: EmbeddedBroker) -> AsyncIterator[LocalSystem]:
    """The whole system (four service processes) for the seed's province, on a broker of its own: on a shared
    broker, another test's HNM events would be read (and told) as this one's."""
    running = LocalSystem(tmp_path, "HNM", bootstrap=own_broker.bootstrap_servers)
    try:
        await running.start(progress=False)
        yield running
    finally:
        running.stop()
