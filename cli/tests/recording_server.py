"""A service on loopback that answers the CLI as the real one would and keeps what it was sent, so that a test
reads the requests a command made: the options a person gives become the request's fields."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar


class Recording(BaseHTTPRequestHandler):
    """Keeps each POST or PUT as ``("METHOD /path", body)``: JSON as sent, anything else as its type and size."""

    seen: ClassVar[list[tuple[str, dict[str, Any]]]] = []

    def do_PUT(self) -> None:
        self.do_POST()

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        kind = self.headers["Content-Type"]
        body = json.loads(raw) if kind.startswith("application/json") else {"content_type": kind, "bytes": len(raw)}
        Recording.seen.append((f"{self.command} {self.path}", body))
        answer = json.dumps({"events": []}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        return None


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` answering on a free loopback port, for the block's length: its URL."""
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
