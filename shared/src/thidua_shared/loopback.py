"""A route served on the machine's loopback, in the running event loop: the demo's webhook receiver and the tests'
receivers (a provincial portal, say) stand on it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route


@contextlib.asynccontextmanager
async def serve_on_loopback(route: Route, port: int) -> AsyncIterator[None]:
    """Serve one route on 127.0.0.1:``port`` in this event loop (uvicorn) until the block ends."""
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=[route]), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            serving.result()
        await asyncio.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        await serving
