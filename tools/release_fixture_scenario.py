"""The year a release's fixture holds, played by that release's own code (``tools/build_release_fixture.py`` runs
this file with the release's sources first on ``PYTHONPATH``): the four services on the embedded broker, each on
the database ``THIDUA_FIXTURE_URLS`` names (JSON: service or ``auth`` to URL), and the demo's seed year.

It uses only what every release has kept: ``LocalSystem`` (its ``database_url`` and ``auth_database_url`` are
replaced here) and ``thidua_cli.demo.play``.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from thidua_cli import demo
from thidua_cli.system import LocalSystem

URLS: dict[str, str] = json.loads(os.environ["THIDUA_FIXTURE_URLS"])


class FixtureSystem(LocalSystem):
    @property
    def auth_database_url(self) -> str:
        return URLS["auth"]

    def database_url(self, service: str) -> str:
        return URLS[service]


async def play(system: FixtureSystem) -> None:
    await system.start(progress=False)
    await demo.play(system, await system.issue_token("admin"))


def main() -> None:
    system = FixtureSystem(Path(os.environ["THIDUA_DATA_DIR"]), "HNM")
    try:
        asyncio.run(play(system))
    finally:
        system.stop()


if __name__ == "__main__":
    main()
