"""One structlog set-up for every process: JSON lines (or readable lines on a terminal) with context.

``correlation_id`` is bound per HTTP request and per consumed event, so every log line and every
event a request causes can be traced back to it.

The libraries' own logging (uvicorn, Alembic, aiokafka, FastStream, asyncio, warnings) goes through
structlog's ``ProcessorFormatter`` to the same renderer: with JSON on, every line on stderr is one JSON
object, whoever wrote it. Uvicorn's access log is off: :class:`thidua_shared.http.Correlate` writes one
line per request instead, with the request's correlation id.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

import structlog

QUIET = ("aiokafka", "kafka", "uvicorn.access")
"""Libraries whose INFO lines are not news (aiokafka tells of every group rebalance)."""


def configure_logging(service: str, level: str = "INFO", json: bool | None = None) -> None:
    use_json = (not sys.stderr.isatty()) if json is None else json
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if use_json else structlog.dev.ConsoleRenderer()
    )
    numeric = logging.getLevelName(level.upper())
    stamped: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    rendered: list[structlog.typing.Processor] = [
        structlog.processors.EventRenamer("msg"),
        structlog.processors.format_exc_info,
        renderer,
    ]
    route_standard_logging(numeric, stamped, rendered)
    structlog.configure(
        processors=[*stamped, *rendered],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)


def route_standard_logging(level: int, stamped: list[structlog.typing.Processor],
                           rendered: list[structlog.typing.Processor]) -> None:
    """Every ``logging`` record, rendered as structlog renders its own lines: one handler on the root logger,
    warnings and uncaught exceptions included."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*stamped, structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *rendered],
    ))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "alembic", "faststream"):
        library = logging.getLogger(name)  # their own handlers, if a configuration gave them any, print plain text
        for old in list(library.handlers):
            library.removeHandler(old)
        library.propagate = True
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught


def _log_uncaught(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, traceback)
        return
    logging.getLogger("thidua").critical("process.crashed", exc_info=(kind, error, traceback))
