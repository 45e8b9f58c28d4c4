"""Call a service's HTTP API from the command line and print its answer (or its error, exit 2)."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import typer

from thidua_cli.client import Api, ServiceError


def call(service: str, method: str, path: str, body: dict[str, Any] | None, token: str,
          url: str | None, lang: str, params: dict[str, Any] | None = None,
          idempotency_key: str | None = None) -> None:
    base = url or os.environ.get(f"THIDUA_{service.upper()}_URL")
    if not base:
        raise typer.BadParameter(f"give --url or set THIDUA_{service.upper()}_URL")

    async def call() -> Any:
        api = Api(base, token, lang)
        try:
            return await api.call(method, path, body, params, idempotency_key)
        finally:
            await api.close()

    try:
        answer = asyncio.run(call())
    except ServiceError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    typer.echo(json.dumps(answer, ensure_ascii=False, indent=2, default=str))
