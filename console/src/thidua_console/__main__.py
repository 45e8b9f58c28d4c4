"""``python -m thidua_console``: serve the console (settings from THIDUA_* variables)."""

from __future__ import annotations

import logging

import uvicorn

from thidua_console.config import ConsoleSettings
from thidua_console.web import create_app
from thidua_shared.logging import configure_logging


def main() -> None:
    settings = ConsoleSettings()
    configure_logging("console", settings.log_level, settings.log_json)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # each call to a service is not news
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None,
                proxy_headers=True)


if __name__ == "__main__":
    main()
