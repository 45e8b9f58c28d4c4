"""``python -m examples.kafka_subscriber``: subscribe until Ctrl-C (settings from the environment)."""

from __future__ import annotations

import asyncio

from examples.kafka_subscriber.subscriber import Settings, build_app


def main() -> None:
    asyncio.run(build_app(Settings()).run())


if __name__ == "__main__":
    main()
