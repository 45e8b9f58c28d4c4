"""With tracing on, one trace crosses the broker: the relay's producer span puts its context into the messages'
headers, and the consumer's span for the batch is its child; an HTTP request continues its caller's trace."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from delivery_harness import Databases, Runners, all_applied, register_units, start_consumer
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from thidua_shared import tracing
from thidua_shared.outbox import Relay
from thidua_shared.testing import within


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use(provider)
    try:
        yield exporter
    finally:
        tracing.use(None)


def of_kind(exporter: InMemorySpanExporter, kind: SpanKind) -> list[ReadableSpan]:
    return [span for span in exporter.get_finished_spans() if span.kind == kind]


@pytest.mark.timeout(60)
async def test_a_trace_crosses_from_the_relay_to_the_consumer_through_the_message_headers(
        dbs: Databases, kafka_bootstrap: str, runners: Runners, spans: InMemorySpanExporter) -> None:
    province, topic, _ = start_consumer(runners, dbs.sink, kafka_bootstrap)
    await register_units(dbs.source, province, 3)
    runners.start(Relay(dbs.source, "registry", kafka_bootstrap, poll_seconds=0.05), "relay")
    await within(30, all_applied(dbs.sink, 3))

    async def consumed() -> bool:
        return bool(of_kind(spans, SpanKind.CONSUMER))

    await within(60, consumed)
    published = {span.context.span_id: span for span in of_kind(spans, SpanKind.PRODUCER)}
    [consumer, *_] = of_kind(spans, SpanKind.CONSUMER)
    assert consumer.name == f"process {topic}"
    assert consumer.parent is not None
    assert consumer.parent.span_id in published, "a child of the relay's span"
    assert consumer.context.trace_id == published[consumer.parent.span_id].context.trace_id


async def test_an_http_request_continues_the_callers_trace(spans: InMemorySpanExporter) -> None:
    async def hello(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("hi")

    app = tracing.TraceRequests(Starlette(routes=[Route("/things/{name}", hello)]))
    caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        answer = await client.get("/things/x", headers={"traceparent": f"00-{caller_trace}-00f067aa0ba902b7-01"})
    assert answer.status_code == 200
    [server] = of_kind(spans, SpanKind.SERVER)
    assert format(server.context.trace_id, "032x") == caller_trace
    assert server.name == "GET /things/{name}"
    assert server.attributes is not None
    assert server.attributes["http.response.status_code"] == 200


def test_tracing_is_off_unless_asked() -> None:
    tracing.configure_tracing("registry", "off")
    assert tracing.tracer() is None
    with tracing.publishing("registry", 1) as headers:
        assert headers == []
