"""Where the benchmark runs: SQLite files in a temporary folder, fresh PostgreSQL databases.

PostgreSQL is the server at ``THIDUA_TEST_POSTGRES_URL`` (default the local one, as for the tests).
Each system gets its own database, created empty before and dropped after.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
from psycopg.conninfo import conninfo_to_dict

POSTGRES_ADMIN_URL = os.environ.get(
    "THIDUA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@dataclass(frozen=True, slots=True)
class PostgresDatabase:
    name: str
    host: str
    port: str
    user: str
    password: str

    @property
    def async_url(self) -> str:
        """The SQLAlchemy URL of our store (asyncpg)."""
        credentials = self.user + (f":{self.password}" if self.password else "")
        return f"postgresql+asyncpg://{credentials}@{self.host}:{self.port}/{self.name}"

    def eventsourcing_env(self) -> dict[str, str]:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.name,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": self.port,
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
        }


def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        detail = " ".join(str(error).split())
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} does not answer: {detail}"


@contextlib.contextmanager
def fresh_postgres(prefix: str) -> Iterator[PostgresDatabase]:
    """A new, empty database on the server; dropped afterwards, whatever happened."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    info = conninfo_to_dict(POSTGRES_ADMIN_URL)
    database = PostgresDatabase(
        name=name,
        host=str(info.get("host") or "127.0.0.1"),
        port=str(info.get("port") or "5432"),
        user=str(info.get("user") or "postgres"),
        password=str(info.get("password") or ""),
    )
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
