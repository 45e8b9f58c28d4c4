"""The databases and key files that make one thidua instance, as a backup and a restore see them.

Each service owns a database and the instance shares one token database (``auth``). By default they are the
SQLite files of the data folder (``<data_dir>/<service>.db``, ``<data_dir>/auth.db``), as ``thidua up`` keeps
them; ``--database NAME=URL`` names another one (a PostgreSQL database in production). The services' checkpoint
keys (``<data_dir>/<service>.checkpoint-key.pem``) and the webhook key (``<data_dir>/notifications.webhook-key``)
belong with the databases: without its key a restored service signs its checkpoints with a new one (an auditor
holding the old public key is told the key changed), and every webhook subscription's secret changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from thidua_cli.system import SERVICES

AUTH = "auth"
DATABASES = (*SERVICES, AUTH)
WEBHOOK_KEY = "notifications.webhook-key"


@dataclass(frozen=True)
class Instance:
    data_dir: Path
    urls: dict[str, str]
    """Each database by name (``registry``, ``scoring``, ``awards``, ``notifications``, ``auth``): its URL."""

    @classmethod
    def of(cls, data_dir: Path, databases: Iterable[str] = ()) -> Instance:
        """The instance of ``data_dir``; each of ``databases`` (``NAME=URL``) replaces one database's URL.
        ``THIDUA_AUTH_DATABASE_URL``, when set, names the token database as the services read it."""
        urls = {name: f"sqlite+aiosqlite:///{data_dir / (name + '.db')}" for name in DATABASES}
        if os.environ.get("THIDUA_AUTH_DATABASE_URL"):
            urls[AUTH] = os.environ["THIDUA_AUTH_DATABASE_URL"]
        for given in databases:
            name, separator, url = given.partition("=")
            if not separator or name not in DATABASES or not url:
                raise ValueError(f"--database {given!r}: give NAME=URL, NAME one of {', '.join(DATABASES)}")
            urls[name] = url
        return cls(data_dir, urls)

    def key_files(self) -> list[Path]:
        """The instance's secret files kept with its databases (see the module's docstring)."""
        return [*(self.data_dir / f"{service}.checkpoint-key.pem" for service in SERVICES),
                self.data_dir / WEBHOOK_KEY]


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database:
        raise ValueError(f"{url}: an SQLite URL names a file")
    return Path(database)


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """A PostgreSQL URL as pg_dump, pg_restore and psql take it, and the environment that carries its password
    (never the command line, which every user of the machine sees)."""
    parsed = make_url(url)
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    plain = parsed.set(drivername="postgresql", password=None, query={})
    return plain.render_as_string(hide_password=False), env


def shown(url: str) -> str:
    """A URL as it may be printed: without its password."""
    return make_url(url).render_as_string(hide_password=True)
