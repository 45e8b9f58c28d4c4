"""``/ready`` tells an orchestrator and an operator when a service cannot do its work, and why."""

from __future__ import annotations

from pathlib import Path

from scoring.bootstrap import create_app
from thidua_shared.broker import EmbeddedBroker
from thidua_shared.testing import ApiUnderTest, running_service, within


async def readiness(service: ApiUnderTest, language: str = "vi") -> tuple[int, dict[str, object]]:
    async with service.client(language=language) as http:
        answer = await http.get("/ready")
    return answer.status_code, answer.json()


async def test_ready_answers_503_naming_the_broker_while_it_is_unreachable_and_200_when_it_is_back(
        tmp_path: Path, own_broker: EmbeddedBroker) -> None:
    async with running_service(create_app, tmp_path, own_broker.bootstrap_servers) as scoring:
        async def is_ready() -> bool:
            return (await readiness(scoring))[0] == 200

        await within(30, is_ready)
        _, body = await readiness(scoring)
        assert body == {"service": "scoring", "ready": True, "reasons": []}

        own_broker.pause()
        try:
            async def not_ready() -> bool:
                return (await readiness(scoring))[0] == 503

            await within(60, not_ready)
            _, body = await readiness(scoring)
            reasons = body["reasons"]
            assert isinstance(reasons, list)
            assert [reason["part"] for reason in reasons][:1] == ["broker"]
            assert "Không kết nối được Kafka" in reasons[0]["message"]
            _, english = await readiness(scoring, "en")
            assert "Kafka does not answer" in str(english)
            async with scoring.client() as http:
                health = await http.get("/health")
            assert health.status_code == 200, "liveness stays simple: the process is alive"
        finally:
            own_broker.resume()
        await within(30, is_ready)


async def test_a_service_started_before_its_broker_names_its_consumer_until_the_broker_comes(
        tmp_path: Path, own_broker: EmbeddedBroker) -> None:
    own_broker.stop()
    async with running_service(create_app, tmp_path, own_broker.bootstrap_servers) as scoring:
        async def consumer_named() -> bool:
            status, body = await readiness(scoring, "en")
            return status == 503 and "Task scoring.from.registry is not running" in str(body)

        await within(30, consumer_named)
        await own_broker.start()

        async def is_ready() -> bool:
            return (await readiness(scoring))[0] == 200

        await within(30, is_ready)
