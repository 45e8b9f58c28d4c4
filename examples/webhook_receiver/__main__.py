"""``python -m examples.webhook_receiver``: receive until Ctrl-C (settings from the environment)."""

from __future__ import annotations

import uvicorn

from examples.webhook_receiver.receiver import Settings, create_app


def main() -> None:
    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()
