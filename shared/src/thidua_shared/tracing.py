"""OpenTelemetry tracing across HTTP and Kafka; off unless ``THIDUA_TRACING=otlp``.

When on: a server span per HTTP request (:class:`TraceRequests`, continuing the caller's ``traceparent``), a
producer span per batch the relay publishes, whose W3C trace context goes into every message's headers, and a
consumer span per batch a subscription applies, a child of the context in its first message (see
:mod:`thidua_shared.outbox` and :mod:`thidua_shared.subscriptions`). The trace id is bound in the log context
while a span runs, so log lines and traces meet.

When off nothing is added: no middleware, no header, no span; the relay and the consumers ask
:func:`tracer` once per batch. The exporter (OTLP over HTTP, ``OTEL_EXPORTER_OTLP_ENDPOINT`` or
``THIDUA_TRACING_ENDPOINT``) is the optional extra ``thidua-shared[otlp]``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

import structlog
from aiokafka import ConsumerRecord
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Link, Span, SpanKind, StatusCode, Tracer
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from thidua_shared.asgi import AnswerStatus

_tracer: Tracer | None = None


def tracer() -> Tracer | None:
    """The tracer when tracing is on, else ``None``."""
    return _tracer


def use(provider: TracerProvider | None) -> None:
    """Trace into ``provider`` from now on (``None``: stop tracing). Not OpenTelemetry's global provider, which
    can be set once per process: tests use a provider of their own each."""
    global _tracer
    _tracer = provider.get_tracer("thidua") if provider is not None else None


class TracingSettings(BaseSettings):
    """``THIDUA_TRACING``: ``off`` (the default) or ``otlp``, spans batched to an OpenTelemetry collector at
    ``THIDUA_TRACING_ENDPOINT`` (default: ``OTEL_EXPORTER_OTLP_ENDPOINT``, else ``http://localhost:4318/v1/traces``).
    Apart from :class:`thidua_shared.config.ServiceSettings`: a deployment that traces nothing sets neither."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_", extra="ignore")

    tracing: Literal["off", "otlp"] = "off"
    tracing_endpoint: str = ""


def configure_tracing(service: str, mode: str, endpoint: str = "") -> None:
    """Trace as ``mode`` says (see :class:`TracingSettings`)."""
    if mode == "off":
        use(None)
        return
    if mode != "otlp":
        raise ValueError(f"THIDUA_TRACING is off or otlp, not {mode!r}")
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # type: ignore[import-not-found,unused-ignore]
            OTLPSpanExporter,
        )
    except ImportError as missing:
        raise RuntimeError("THIDUA_TRACING=otlp needs pip install 'thidua-shared[otlp]'") from missing
    provider = TracerProvider(resource=Resource.create({"service.name": f"thidua-{service}"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint or None)))
    use(provider)


def headers_of(span: Span) -> list[tuple[str, bytes]]:
    """The W3C trace context of ``span`` as Kafka headers (``traceparent``, ``tracestate``)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier, context=trace.set_span_in_context(span))
    return [(key, value.encode()) for key, value in carrier.items()]


def context_of(headers: Sequence[tuple[str, bytes]] | None) -> Context:
    """The trace context a message's headers carry (an empty one if none)."""
    carrier = {key: bytes(value).decode(errors="replace") for key, value in headers or ()
               if key in ("traceparent", "tracestate")}
    return propagate.extract(carrier)


@contextmanager
def publishing(service: str, count: int) -> Iterator[list[tuple[str, bytes]]]:
    """A producer span for a batch the relay publishes; yields the headers that carry its context (none when
    tracing is off)."""
    current = _tracer
    if current is None:
        yield []
        return
    with current.start_as_current_span(f"publish {service}", kind=SpanKind.PRODUCER,
                                       attributes={"messaging.system": "kafka",
                                                   "messaging.batch.message_count": count}) as span:
        yield headers_of(span)


@contextmanager
def consuming(records: Sequence[ConsumerRecord[bytes, bytes]]) -> Iterator[None]:
    """A consumer span for a batch, the child of its first message's context, linked to the others'."""
    current = _tracer
    if current is None:
        yield
        return
    topic, count = records[0].topic, len(records)
    contexts = [trace.get_current_span(context_of(record.headers)).get_span_context() for record in records]
    valid = [context for context in contexts if context.is_valid]
    parent = trace.set_span_in_context(trace.NonRecordingSpan(valid[0])) if valid else None
    first = (valid[0].trace_id, valid[0].span_id) if valid else None
    others = {(context.trace_id, context.span_id): context for context in valid[1:]}
    links = [Link(context) for key, context in others.items() if key != first]
    with current.start_as_current_span(f"process {topic}", context=parent, kind=SpanKind.CONSUMER, links=links,
                                       attributes={"messaging.system": "kafka", "messaging.destination.name": topic,
                                                   "messaging.batch.message_count": count}) as span, \
            structlog.contextvars.bound_contextvars(trace_id=format(span.get_span_context().trace_id, "032x")):
        yield


class TraceRequests:
    """A server span per HTTP request, named by the route's template once routed; added only when tracing is on."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        current = _tracer
        if scope["type"] != "http" or current is None:
            await self._app(scope, receive, send)
            return
        parent = propagate.extract(dict(Headers(scope=scope).items()))
        answer = AnswerStatus(send)
        started = time.time_ns()
        with current.start_as_current_span(f"{scope['method']} {scope['path']}", context=parent, kind=SpanKind.SERVER,
                                           start_time=started) as span, \
                structlog.contextvars.bound_contextvars(trace_id=format(span.get_span_context().trace_id, "032x")):
            try:
                await self._app(scope, receive, answer)
            finally:
                route = getattr(scope.get("route"), "path", None)
                if route:
                    span.update_name(f"{scope['method']} {route}")
                    span.set_attribute("http.route", str(route))
                span.set_attribute("http.request.method", scope["method"])
                span.set_attribute("url.path", scope["path"])
                span.set_attribute("http.response.status_code", answer.status)
                if answer.status >= 500:
                    span.set_status(StatusCode.ERROR)
