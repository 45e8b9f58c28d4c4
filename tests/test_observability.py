"""``GET /metrics`` of running services during a load (no token: Prometheus has none), and the dashboard and
alert rules under ``deploy/observability`` naming only metrics the services export."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import yaml
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from notifications.adapters.worker import DeliveryWorker
from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.broker import EmbeddedBroker
from thidua_shared.kafka import topic_for
from thidua_shared.testing import ApiUnderTest, running_service, within

DEPLOY = Path(__file__).parents[1] / "deploy" / "observability"
SUFFIXES = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_sum", "_count", "_created"),
            "gauge": ("",)}


async def scrape(service: ApiUnderTest) -> dict[str, float]:
    """One scrape's samples, by name and labels (``name{label=value,...}``)."""
    async with service.client() as http:
        answer = await http.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return {sample.name + "{" + ",".join(f"{key}={value}" for key, value in sorted(sample.labels.items())) + "}":
            sample.value
            for family in text_string_to_metric_families(answer.text) for sample in family.samples}


def exported_names(text: str) -> set[str]:
    """Every series name a scrape's families give, samples or not yet (a counter with no labels used yet)."""
    return {family.name + suffix for family in text_string_to_metric_families(text)
            for suffix in SUFFIXES.get(family.type, ("",))}


def names_used(expression: str) -> set[str]:
    return set(re.findall(r"\bthidua_[a-z_]+", expression))


async def test_metrics_show_requests_events_and_lags_that_settle_to_zero_after_a_load(
        tmp_path: Path, kafka_bootstrap: str) -> None:
    async with running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap) as scoring, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, scoring.province) as registry:
        topic = topic_for(registry.province, "registry")
        lag = f"thidua_consumer_lag_messages{{consumer=scoring.from.registry,topic={topic}}}"
        peaks = {"relay": 0.0, "consumer": 0.0}
        async with registry.client(await registry.token("admin")) as http:
            for number in range(30):
                registered = await http.post(f"{registry.base}/units", json={"unit_id": f"u{number}",
                                                                              "name": f"Đơn vị {number}"})
                assert registered.status_code == 201
                if number % 5 == 0:
                    peaks["relay"] = max(peaks["relay"], (await scrape(registry))["thidua_relay_lag_events{}"])
                    peaks["consumer"] = max(peaks["consumer"], (await scrape(scoring)).get(lag, 0.0))

        async def settled() -> bool:
            source, sink = await scrape(registry), await scrape(scoring)
            return source["thidua_relay_lag_events{}"] == 0 and sink.get(lag) == 0 \
                and sink["thidua_consumer_processed_total{consumer=scoring.from.registry}"] >= 30

        await within(30, settled)
        source = await scrape(registry)
        assert source["thidua_http_requests_total{method=POST,route=/provinces/{province}/units,status=201}"] == 30
        assert source["thidua_http_request_duration_seconds_count{method=POST,route=/provinces/{province}/units}"] == 30
        assert source["thidua_events_appended_total{event_type=UnitRegistered}"] == 30
        assert source["thidua_log_events{}"] >= 30
        assert source["thidua_relay_lag_seconds{}"] == 0
        assert source["thidua_task_running{task=registry.relay}"] == 1
        sink = await scrape(scoring)
        assert sink["thidua_dead_letters_total{consumer=scoring.from.registry}"] == 0
        assert sink["thidua_task_running{task=scoring.from.registry}"] == 1
        print(f"highest lag seen while loading: relay {peaks['relay']:.0f} events, consumer {peaks['consumer']:.0f}")

        async with registry.client() as http, scoring.client() as other:
            unknown = await http.get("/no/such/route")
            texts = [(await http.get("/metrics")).text, (await other.get("/metrics")).text]
            assert "/metrics" not in (await http.get("/openapi.json")).text
        assert unknown.status_code == 404
        assert 'route="unmatched"' in texts[0], "paths no route knows share one series"

    deliveries = CollectorRegistry()
    DeliveryWorker(None, lambda: None, None, metrics=deliveries)  # type: ignore[arg-type,return-value]
    exported = set().union(*(exported_names(text) for text in texts))
    exported |= {name + suffix for name in ("thidua_notification_deliveries",) for suffix in ("_total", "_created")
                 if any(family.name == name for family in deliveries.collect())}
    assert_deploy_files_name_only(exported)


def assert_deploy_files_name_only(exported: set[str]) -> None:
    rules = yaml.safe_load((DEPLOY / "prometheus-alerts.yml").read_text())
    alerts = {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}
    assert {"ThiduaConsumerStopped", "ThiduaConsumerLagGrowing", "ThiduaDeadLetters",
            "ThiduaChainVerificationFailed"} <= alerts.keys()
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text())
    panels = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    panels += [variable["query"] for variable in dashboard["templating"]["list"] if variable["type"] == "query"]
    used = set().union(*(names_used(expression) for expression in [*alerts.values(), *panels]))
    assert used, "the files name metrics"
    assert used <= exported, f"not exported by any service: {sorted(used - exported)}"
    scrape_config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    assert {job["job_name"] for job in scrape_config["scrape_configs"]} == {
        "registry", "scoring", "awards", "notifications"}



async def test_relay_lag_and_consumer_lag_rise_while_held_back_and_fall_when_let_go(
        tmp_path: Path, own_broker: EmbeddedBroker) -> None:
    """What an operator's dashboard shows under load: the broker frozen holds the relay back (its lag counts the
    events waiting, in events and seconds); a consumer kept from its database falls behind its topic."""
    bootstrap = own_broker.bootstrap_servers
    async with running_service(scoring_app, tmp_path / "scoring", bootstrap) as scoring, \
            running_service(registry_app, tmp_path / "registry", bootstrap, scoring.province) as registry, \
            registry.client(await registry.token("admin")) as http:
        topic = topic_for(registry.province, "registry")
        lag = f"thidua_consumer_lag_messages{{consumer=scoring.from.registry,topic={topic}}}"

        async def register(first: int) -> None:
            for number in range(first, first + 5):
                answer = await http.post(f"{registry.base}/units", json={"unit_id": f"u{number}",
                                                                          "name": f"Đơn vị {number}"})
                assert answer.status_code == 201

        own_broker.pause()
        try:
            await register(0)
            held = await scrape(registry)
            assert held["thidua_relay_lag_events{}"] == 5
            assert held["thidua_relay_lag_seconds{}"] > 0
        finally:
            own_broker.resume()

        async def relay_caught_up() -> bool:
            return (await scrape(registry))["thidua_relay_lag_events{}"] == 0

        async def consumer_caught_up() -> bool:
            return (await scrape(scoring)).get(lag) == 0

        await within(30, relay_caught_up)
        await within(30, consumer_caught_up)

        writer = sqlite3.connect(tmp_path / "scoring" / "scoring.db", timeout=10)
        try:
            writer.execute("BEGIN IMMEDIATE")  # scoring's consumer now waits for its database

            async def consumer_behind() -> bool:
                return (await scrape(scoring)).get(lag, 0) >= 5

            await register(5)
            await within(30, consumer_behind)
        finally:
            writer.rollback()
            writer.close()
        await within(30, consumer_caught_up)
        assert (await scrape(registry))["thidua_relay_lag_events{}"] == 0
