"""Record the events of one run of ``thidua demo`` as published, one message per line.

    python tools/record_demo_events.py [tests/fixtures/demo_events.jsonl]

Runs ``thidua demo`` with its data kept in a temporary folder, then writes every event of the four
services' logs (in log order, service by service) in its published form (:func:`thidua_contracts.wire`):
the exact bytes a subscriber receives from Kafka. ``tests/test_contracts_package.py`` checks them with
the contracts package installed alone.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from thidua_contracts.wire import wire

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("registry", "scoring", "awards", "notifications")


def published_events(data_dir: Path) -> list[bytes]:
    messages: list[bytes] = []
    for service in SERVICES:
        with sqlite3.connect(data_dir / f"{service}.db") as connection:
            rows = connection.execute("SELECT body, hash FROM events ORDER BY position").fetchall()
        messages += [wire(str(body).encode(), str(hash_)) for body, hash_ in rows]
    return messages


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "fixtures" / "demo_events.jsonl"
    with tempfile.TemporaryDirectory(prefix="thidua-record-") as folder:
        subprocess.run([str(Path(sys.executable).parent / "thidua"), "demo", "--data-dir", folder],
                       check=True, stdout=subprocess.DEVNULL)
        messages = published_events(Path(folder))
    out.write_bytes(b"".join(message + b"\n" for message in messages))
    print(f"{len(messages)} events written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
