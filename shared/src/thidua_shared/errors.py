"""Errors that people read. Pure Python, so a service's domain may raise them.

A :class:`UserError` carries a message code and its parameters; the text comes from the service's
catalogue in Vietnamese (the default) or English. ``status`` is the HTTP status it maps to.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    status = 400

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotFound(UserError):
    status = 404


class Conflict(UserError):
    status = 409


class Forbidden(UserError):
    status = 403


class Unauthorized(UserError):
    status = 401


class Invalid(UserError):
    status = 422
