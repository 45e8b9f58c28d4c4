"""Request bodies read up to a limit: a larger upload is refused once past it, never held whole."""

from __future__ import annotations

from starlette.requests import Request

from thidua_shared.errors import UserError


class TooLarge(UserError):
    """HTTP 413: the upload is larger than the service's setting allows."""

    status = 413


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB"


async def read_limited(request: Request, limit: int, code: str) -> bytes:
    """The request's body, of at most ``limit`` bytes; else :class:`TooLarge` with ``code``.

    A declared ``Content-Length`` over the limit is refused before reading anything; a body without one
    is read chunk by chunk and refused at the first chunk past the limit.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(code, size=megabytes(int(declared)), limit=megabytes(limit), limit_bytes=limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge(code, size=f"> {megabytes(limit)}", limit=megabytes(limit), limit_bytes=limit)
    return bytes(body)
