"""Bring a service's database to the newest schema with Alembic (store tables plus the service's own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

import thidua_shared.migrations as store_migrations

STORE_VERSIONS = Path(store_migrations.__file__).parent / "versions"
AUTH_VERSIONS = Path(store_migrations.__file__).parent / "auth_versions"


def alembic_config(version_folders: list[Path]) -> Config:
    here = Path(store_migrations.__file__).parent
    locations = [str(folder) for folder in version_folders]
    config = Config()
    config.set_main_option("script_location", str(here))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", ":".join(locations))
    return config


def _upgrade(connection: Any, config: Config, target: str) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, target)


async def upgrade(engine: AsyncEngine, version_folders: list[Path], target: str = "heads") -> None:
    """Apply every migration not yet applied (up to ``target``); safe to run at every start."""
    config = alembic_config(version_folders)
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, config, target)
