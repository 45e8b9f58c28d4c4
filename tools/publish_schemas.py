"""Publish the contract's JSON Schemas for a release, into ``shared/published-schemas``.

    python tools/publish_schemas.py [FOLDER]

Writes the envelope's schema and each event type's at its current ``schema_version``
(``<EventType>.v<N>.json``), keeping the files of older versions, and refuses, saying why, when the contract
breaks what was published (see :mod:`thidua_contracts.release`). Run it when you release; commit the files.
``contracts/tests/test_published_schemas.py`` then holds every later change to them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from thidua_contracts.release import publish

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "shared" / "published-schemas"


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else PUBLISHED
    try:
        written = publish(folder)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{len(written)} schemas written to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
