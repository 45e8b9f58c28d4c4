"""Build ``tests/fixtures/release-<version>/``: the databases a release wrote, for the upgrade test
(``tests/test_upgrade_from_release.py``).

    .venv/bin/python tools/build_release_fixture.py 0.1.0            # from the tag v0.1.0
    .venv/bin/python tools/build_release_fixture.py 0.1.0 --ref fc504d2

The release's sources (``git archive`` of the tag) play the demo's seed year (``tools/release_fixture_scenario.py``)
twice, on SQLite files and on throwaway PostgreSQL databases (``--postgres``, the server's admin URL), with this
checkout's installed dependencies. Kept, gzipped: each SQLite file (``sqlite/<name>.db.gz``), a plain-SQL
``pg_dump`` of each PostgreSQL database (``postgres/<name>.sql.gz``), and ``facts.json``: per backend, each
service's log head and each table's row count, as the release left them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import func, inspect, select, table, text

from thidua_shared.store.db import create_engine

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("registry", "scoring", "awards", "notifications", "auth")
SOURCES = ("contracts/src", "shared/src", "services/registry/src", "services/scoring/src", "services/awards/src",
           "services/notifications/src", "cli/src")


def extract(ref: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def play(release: Path, data_dir: Path, urls: dict[str, str]) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(release / source) for source in SOURCES),
           "THIDUA_DATA_DIR": str(data_dir), "THIDUA_FIXTURE_URLS": json.dumps(urls)}
    subprocess.run([sys.executable, str(ROOT / "tools" / "release_fixture_scenario.py")], env=env, cwd=data_dir,
                   check=True)


async def facts_of(url: str) -> dict[str, Any]:
    """Each table's row count, and the log's head where there is one."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: sorted(inspect(sync).get_table_names()))
            counts = {name: int(await connection.scalar(select(func.count()).select_from(table(name))) or 0)
                      for name in names if name != "alembic_version"}
            head = None
            if "log_head" in names:
                row = (await connection.execute(text("SELECT last_position, last_hash FROM log_head"))).first()
                head = {"position": int(row[0]), "hash": str(row[1])} if row else None
    finally:
        await engine.dispose()
    return {"tables": counts, "log_head": head}


@contextlib.contextmanager
def postgres_databases(admin_url: str) -> Iterator[dict[str, str]]:
    prefix = f"thidua_fixture_{uuid.uuid4().hex[:8]}"
    names = {name: f"{prefix}_{name}" for name in NAMES}
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for database in names.values():
            admin.execute(f'CREATE DATABASE "{database}"')
    base = admin_url.rsplit("/", 1)[0]
    try:
        yield {name: f"{base}/{database}" for name, database in names.items()}
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            for database in names.values():
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def keep_sqlite(source: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / source.name
        origin, into = sqlite3.connect(source), sqlite3.connect(copy)
        origin.backup(into)
        into.execute("PRAGMA journal_mode=DELETE")
        into.execute("VACUUM")
        into.close()
        origin.close()
        target.write_bytes(gzip.compress(copy.read_bytes(), mtime=0))


def keep_postgres(url: str, target: Path) -> None:
    dump = subprocess.run(["pg_dump", "--format=plain", "--no-owner", "--no-privileges", f"--dbname={url}"],
                          check=True, capture_output=True).stdout
    target.write_bytes(gzip.compress(dump, mtime=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("version", help="the release, e.g. 0.1.0")
    parser.add_argument("--ref", help="the git revision to build from (default: the tag v<version>)")
    parser.add_argument("--postgres", default=os.environ.get("THIDUA_TEST_POSTGRES_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/postgres"))
    arguments = parser.parse_args()
    out = ROOT / "tests" / "fixtures" / f"release-{arguments.version}"
    shutil.rmtree(out, ignore_errors=True)
    (out / "sqlite").mkdir(parents=True)
    (out / "postgres").mkdir()
    facts: dict[str, Any] = {"release": arguments.version, "ref": arguments.ref or f"v{arguments.version}"}
    with tempfile.TemporaryDirectory(prefix="thidua-release-") as scratch:
        release, lite, pg = Path(scratch) / "release", Path(scratch) / "sqlite", Path(scratch) / "postgres"
        for folder in (release, lite, pg):
            folder.mkdir()
        extract(facts["ref"], release)
        urls = {name: f"sqlite+aiosqlite:///{lite / (name + '.db')}" for name in NAMES}
        play(release, lite, urls)
        facts["sqlite"] = {name: asyncio.run(facts_of(url)) for name, url in urls.items()}
        for name in NAMES:
            keep_sqlite(lite / f"{name}.db", out / "sqlite" / f"{name}.db.gz")
        with postgres_databases(arguments.postgres) as plain:
            urls = {name: url.replace("postgresql://", "postgresql+asyncpg://", 1) for name, url in plain.items()}
            play(release, pg, urls)
            facts["postgres"] = {name: asyncio.run(facts_of(url)) for name, url in urls.items()}
            for name, url in plain.items():
                keep_postgres(url, out / "postgres" / f"{name}.sql.gz")
    (out / "facts.json").write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{out}: {sum(path.stat().st_size for path in out.rglob('*') if path.is_file()) // 1024} KiB")


if __name__ == "__main__":
    main()
