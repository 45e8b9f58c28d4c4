"""The whole system: four service processes, their SQLite stores, the real broker, over HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import select, text
from typer.testing import CliRunner

from thidua_cli import demo
from thidua_cli.client import Api, ServiceError
from thidua_cli.main import _issue, app
from thidua_cli.system import LocalSystem
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events


async def _log(system: LocalSystem, service: str) -> list[dict[str, object]]:
    engine = create_engine(system.database_url(service))
    try:
        async with engine.connect() as connection:
            bodies = (await connection.execute(select(events.c.body).order_by(events.c.position))).scalars()
            return [json.loads(body) for body in bodies]
    finally:
        await engine.dispose()


async def test_the_seed_scenario_flows_through_all_four_services(system: LocalSystem) -> None:
    token, _ = await _issue(system.data_dir, "HNM", "admin", "e2e", None, None)

    views = await demo.play(system, token)

    leaders = {(row["year"], row["role"]): row["unit_id"] for row in views["registry"]["leadership"]}
    assert leaders == {(2023, "chair"): "ban-to-chuc", (2024, "chair"): "ubkt",
                       (2024, "vice_chair"): "du-khoi-doanh-nghiep"}
    assert len(views["scoring"]["members"]) == 8
    assert len(views["scoring"]["scores"]) == 8
    assert [(s["unit_id"], s["total"]) for s in views["scoring"]["scores"][:4]] == [
        ("van-phong", 95.0), ("ban-to-chuc", 94.0), ("ubkt", 91.0), ("du-khoi-doanh-nghiep", 88.0)]
    assert [entry["unit_id"] for entry in views["scoring"]["ranking"]["ranking"][:2]] == ["van-phong", "ban-to-chuc"]
    decided = {(row["award_code"], row["unit_id"]): row for row in views["awards"]}
    assert set(decided) == {("GOV_FLAG", "van-phong"), ("PROV_FLAG", "ban-to-chuc"), ("PROV_MERIT", "ubkt"),
                            ("PROV_MERIT", "du-khoi-doanh-nghiep")}, \
        "the bloc's honouring votes, as the seed report tells, one form per unit"
    assert {row["state"] for row in views["awards"]} == {"decided"}
    flag = decided[("PROV_FLAG", "ban-to-chuc")]
    assert (flag["total"], flag["rank"], flag["rule_version"]) == (94.0, 2, "VN-98-2023"), \
        "the proposal rests on the published ranking and the rules of its date"
    assert decided[("GOV_FLAG", "van-phong")]["decision"]["authority"] == "Thủ tướng Chính phủ"
    [forwarding] = [step for step in views["explanation"]["steps"] if step["event_type"] == "ForwardedToCentral"]
    [quota] = [check for check in forwarding["checks"] if check["rule"] == "quota_leaders"]
    counted = "20% của 6 tập thể được suy tôn dẫn đầu khối và đạt tiêu chuẩn Cờ thi đua của UBND tỉnh"
    assert counted in quota["message"], "the four other blocs' leaders count with the two of the seed's bloc"
    steps = [step["event_type"] for step in views["explanation"]["steps"] if step["event_type"] != "BallotCast"]
    assert steps == ["HonoringVoteOpened", "HonoringVoteClosed", "AwardProposed", "CouncilVoteRecorded",
                     "ForwardedToCentral", "AwardDecided"]
    templates = Counter(note["template"] for note in views["notifications"])
    assert {kind: templates[kind] for kind in ("award_proposed", "award_decided", "chair_elected",
                                               "vice_chair_elected")} == {
        "award_proposed": 4, "award_decided": 4, "chair_elected": 2, "vice_chair_elected": 1}, \
        "\n".join(f"{note['template']} {note['about_event_id']} {note['recipient']}: {note['text_vi']}"
                  for note in views["notifications"])
    assert templates["ranking_published"] >= 1
    assert templates["vote_closed"] >= 1
    decided_texts = [note["text_vi"] for note in views["notifications"] if note["template"] == "award_decided"]
    assert any(said.startswith("Văn phòng Tỉnh ủy được tặng Cờ thi đua của Chính phủ năm 2023 theo Quyết định số")
               for said in decided_texts), "people read names, not ids"

    awards_log = await _log(system, "awards")
    notes_log = await _log(system, "notifications")
    proposed = next(event for event in awards_log if event["event_type"] == "AwardProposed")
    told = next(event for event in notes_log if event["causation_id"] == proposed["event_id"])
    assert told["correlation_id"] == proposed["correlation_id"], "the request's correlation id follows the chain"
    assert told["event_type"] == "NotificationSent"
    decisions = {str(cast(dict[str, Any], event["payload"])["decision_no"]): event for event in awards_log
                 if event["event_type"] == "AwardDecided"}
    by_the_prime_minister = decisions["500/QĐ-TTg (mẫu)"]
    assert cast(dict[str, Any], by_the_prime_minister["payload"])["decided_on"] == "2024-05-10"
    assert by_the_prime_minister["occurred_at"] == "2024-05-09T17:00:00.000000Z", "10/05/2024 in Viet Nam"
    assert str(by_the_prime_minister["recorded_at"]) > "2026", "recorded_at stays the clock"
    closed = [str(event["occurred_at"]) for event in awards_log if event["event_type"] == "HonoringVoteClosed"]
    assert closed
    assert all(moment < "2024-02" for moment in closed), "the votes' meeting days, not the clock"

    auditor = await system.issue_token("auditor")
    histories = {"registry": ["/provinces/HNM/units/van-phong/history", "/provinces/HNM/blocs/khoi-ban-dang/history"],
                 "scoring": ["/provinces/HNM/blocs/khoi-ban-dang/years/2023/history"],
                 "awards": ["/provinces/HNM/proposals/khoi-ban-dang-2023-gov-flag/history",
                            "/provinces/HNM/votes/khoi-ban-dang-2023-gov-flag/history"]}
    for service, paths in histories.items():
        api = Api(system.urls[service], auditor)
        try:
            log = {entry["position"]: entry for entry in (await api.get("/provinces/HNM/log", limit=5000))["events"]}
            for path in paths:
                shown = await api.get(path)
                assert shown, path
                for event in shown:
                    kept = log[event["position"]]
                    assert (event["hash"], event["prev_hash"]) == (kept["hash"], kept["prev_hash"]), path
                    assert json.loads(kept["body"])["event_id"] == event["event_id"]
        finally:
            await api.close()

    system.stop()
    assert_every_line_is_json(system)


def assert_every_line_is_json(system: LocalSystem) -> None:
    """What the processes wrote from start to stop (uvicorn's, Alembic's, aiokafka's lines too) is one JSON object
    a line, each with its service, level and message; every access line has its correlation id."""
    for service in ("registry", "scoring", "awards", "notifications"):
        lines = (system.data_dir / f"{service}.log").read_text().splitlines()
        assert lines, service
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                pytest.fail(f"{service}.log: not JSON: {line[:300]}")
            assert {"service", "level", "msg", "timestamp"} <= entry.keys(), line
        access = [json.loads(line) for line in lines if '"http.request"' in line]
        assert access, service
        assert all(entry.get("correlation_id") for entry in access), service
        assert any(entry.get("logger", "").startswith("uvicorn") for entry in map(json.loads, lines)), service


async def _directory_decisions(system: LocalSystem) -> int:
    """The decisions notifications' directory knows (it fills again as its consumers read the topics)."""
    engine = create_engine(system.database_url("notifications"))
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(text("SELECT count(*) FROM directory_proposals "
                                                 "WHERE decision_no IS NOT NULL"))
            return int(found or 0)
    finally:
        await engine.dispose()


async def test_a_score_in_a_bloc_the_registry_does_not_know_is_refused_across_services(system: LocalSystem) -> None:
    token, _ = await _issue(system.data_dir, "HNM", "admin", "e2e", None, None)
    scoring = Api(system.urls["scoring"], token, language="en")
    try:
        with pytest.raises(ServiceError) as refused:
            await scoring.post("/provinces/HNM/blocs/khoi-x/years/2023/scores",
                               {"unit_id": "nobody", "breakdown": {"C1": 1}})
    finally:
        await scoring.close()
    assert refused.value.status == 404
    assert "The registry has no bloc khoi-x" in str(refused.value)


def test_thidua_demo_runs_the_whole_system_and_exits_cleanly(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "thidua_cli", "demo", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=240, check=False)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "Văn phòng Tỉnh ủy → Cờ thi đua của Chính phủ (đã quyết định" in finished.stdout
    assert "Ban Tổ chức Tỉnh ủy → Cờ thi đua của UBND tỉnh (đã quyết định" in finished.stdout
    assert "Quyết định số 300/QĐ-UBND (mẫu) ngày 20/02/2024 của Chủ tịch UBND tỉnh Hà Nam" in finished.stdout
    assert ("Ủy ban Kiểm tra Tỉnh ủy được bầu làm Trưởng khối năm 2024 của Khối thi đua các Ban xây dựng Đảng"
            in finished.stdout), "the notifications name units and blocs"
    assert "khoi-ban-dang" not in finished.stdout.split("== Thông báo")[1], "no ids in what people read"
    mails = [line.strip() for line in finished.stdout.split("== Thư điện tử đã gửi")[1].split("\n== ")[0]
             .splitlines()[1:] if line.strip()]
    assert "✉ vanphong@hanam.example.vn: Văn phòng Tỉnh ủy được tặng Cờ thi đua của Chính phủ" in mails
    assert "✉ tdkt@snv.hanam.example.vn: Ban Tổ chức Tỉnh ủy được tặng Cờ thi đua của UBND tỉnh" in mails
    assert len(mails) == len(set(mails)), "one mail per recipient and event, none twice"
    hooks = finished.stdout.split("== Webhook đã gửi tới Cổng thông tin của tỉnh")[1].split("\n\n")[0]
    assert "⇢ Quyết định khen thưởng: Văn phòng Tỉnh ủy → Cờ thi đua của Chính phủ, Quyết định số 500/QĐ-TTg (mẫu) " \
           "ngày 10/05/2024" in hooks
    bloc = "Khối thi đua các Ban xây dựng Đảng và các cơ quan trực thuộc Tỉnh ủy"
    assert f"⇢ Bầu Trưởng khối: Ủy ban Kiểm tra Tỉnh ủy, {bloc} năm 2024" in hooks, "the bloc is named"
    assert f"⇢ Công bố kết quả xếp hạng: {bloc} năm 2023, đứng đầu Văn phòng Tỉnh ủy" in hooks
    assert "⇢ Công bố kết quả xếp hạng: Khối thi đua Nội chính năm 2023, đứng đầu Công an tỉnh" in hooks
    assert "KHÔNG hợp lệ" not in hooks, "every webhook's signature verifies"


async def _where_consumers_stand(system: LocalSystem) -> str:
    """For a stalled re-read: notifications' marks per partition beside the broker's end offsets."""
    engine = create_engine(system.database_url("notifications"))
    try:
        async with engine.connect() as connection:
            marks = sorted((row.topic, row.partition, row.next_offset) for row in await connection.execute(
                text("SELECT topic, partition, next_offset FROM consumer_offsets")))
    finally:
        await engine.dispose()
    consumer = AIOKafkaConsumer(bootstrap_servers=system.bootstrap)
    await consumer.start()
    try:
        await consumer.topics()  # fetches the cluster's metadata
        partitions = [TopicPartition(f"thidua.hnm.{source}", partition) for source in ("registry", "awards", "scoring")
                      for partition in sorted(consumer.partitions_for_topic(f"thidua.hnm.{source}") or [])]
        ends = await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    return f"marks {marks}; broker's end offsets {sorted((tp.topic, tp.partition, end) for tp, end in ends.items())}"


async def _wipe(system: LocalSystem, service: str, *tables: str) -> None:
    """Lose read-model rows, as a bad migration or a bug might; the logs keep the truth."""
    engine = create_engine(system.database_url(service))
    try:
        async with engine.begin() as connection:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))
    finally:
        await engine.dispose()


def _thidua(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "thidua_cli", *arguments], capture_output=True, text=True,
                          timeout=120, check=False)


async def test_read_models_rebuilt_by_replay_say_what_they_said_before(system: LocalSystem) -> None:
    token, _ = await _issue(system.data_dir, "HNM", "admin", "e2e", None, None)
    before = await demo.play(system, token)
    system.stop()
    await _wipe(system, "registry", "leadership", "memberships")
    await _wipe(system, "scoring", "members", "scores")
    await _wipe(system, "awards", "proposals", "votes")

    registry = _thidua("replay", "registry", "--data-dir", str(system.data_dir))
    awards = _thidua("replay", "awards", "--data-dir", str(system.data_dir))
    scoring = _thidua("replay", "scoring", "--resubscribe", "--data-dir", str(system.data_dir))
    notifications = _thidua("replay", "notifications", "--resubscribe", "--data-dir", str(system.data_dir))

    assert registry.returncode == 0, registry.stderr
    assert "read models rebuilt from" in registry.stdout
    assert "events replayed" in registry.stderr, "a long replay shows its progress"
    assert scoring.returncode == 0, scoring.stderr
    assert awards.returncode == 0, awards.stderr
    assert notifications.returncode == 0, notifications.stderr
    await system.start(progress=False)
    scoring_api = Api(system.urls["scoring"], token)
    registry_api = Api(system.urls["registry"], token)
    awards_api = Api(system.urls["awards"], token)
    notifications_api = Api(system.urls["notifications"], token)
    try:
        async def members_back() -> bool:
            board = await scoring_api.get("/provinces/HNM/blocs/khoi-ban-dang/years/2023/scoreboard")
            return len(board["members"]) == len(before["scoring"]["members"])

        await demo.wait_for("scoring re-read the registry's topic", members_back)
        assert await scoring_api.get("/provinces/HNM/blocs/khoi-ban-dang/years/2023/scoreboard") == before["scoring"]
        assert await registry_api.get("/provinces/HNM/blocs/khoi-ban-dang", on="2024-01-03") == before["registry"]
        assert (await awards_api.get("/provinces/HNM/proposals"))["proposals"] == before["awards"]
        why = await awards_api.get("/provinces/HNM/proposals/khoi-ban-dang-2023-gov-flag/explanation")
        assert why == before["explanation"], "an auditor's replay tells the same story"

        async def directory_back() -> bool:
            return await _directory_decisions(system) == len(decided_before)

        decided_before = [row for row in before["awards"] if row["state"] == "decided"]
        try:
            await demo.wait_for("notifications re-read the registry's and awards' topics", directory_back, 120)
        except TimeoutError as late:
            log = (system.data_dir / "notifications.log").read_text(encoding="utf-8", errors="replace")
            raise AssertionError(f"{late}: {await _directory_decisions(system)} of {len(decided_before)} decisions "
                                 f"re-read; {await _where_consumers_stand(system)}; the end of notifications.log:\n"
                                 f"{log[-3000:]}") from late
        after = await notifications_api.get("/provinces/HNM/notifications")
        told_again = [note for note in after if note not in before["notifications"]]
        assert after == before["notifications"], f"events read again after a replay are not told twice: {told_again}"
    finally:
        await notifications_api.close()
        await scoring_api.close()
        await registry_api.close()
        await awards_api.close()


def test_thidua_up_serves_until_interrupted_then_stops_everything(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "thidua_cli", "up", "--data-dir", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "thidua is up" in line:
                break
        urls = {line.split()[0]: line.split()[1] for line in lines if line.split()[:1] in (
            ["registry"], ["scoring"], ["awards"], ["notifications"])}
        assert set(urls) == {"registry", "scoring", "awards", "notifications"}, "".join(lines)
        for url in urls.values():
            assert httpx.get(f"{url}/health", timeout=5).json()["status"] == "ok"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    for url in urls.values():
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/health", timeout=2)
    stopped = [line for line in (tmp_path / "registry.log").read_text().splitlines() if "service.stopped" in line]
    assert stopped, "the registry shut down cleanly (its lifespan ended)"


async def test_the_thidua_registry_and_scoring_commands_read_what_the_demo_recorded(system: LocalSystem) -> None:
    token, _ = await _issue(system.data_dir, "HNM", "auditor", "e2e", None, None)
    admin, _ = await _issue(system.data_dir, "HNM", "admin", "e2e", None, None)
    await demo.play(system, admin)
    env = {**os.environ, "THIDUA_TOKEN": token, "THIDUA_REGISTRY_URL": system.urls["registry"]}

    def thidua(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "thidua_cli", *arguments], capture_output=True, text=True,
                              timeout=60, check=False, env=env)

    bloc = thidua("registry", "bloc", "khoi-ban-dang", "--province", "HNM", "--on", "2024-06-01")
    roles = thidua("registry", "unit", "ubkt", "--province", "HNM", "--roles")
    missing = thidua("registry", "unit", "nobody", "--province", "HNM", "--lang", "en")
    env["THIDUA_SCORING_URL"] = system.urls["scoring"]
    exported = thidua("scoring", "export", "khoi-ban-dang", "2023", "--province", "HNM",
                      "--out", str(system.data_dir / "ranking.csv"))

    assert bloc.returncode == 0, bloc.stderr
    assert (json.loads(bloc.stdout)["chair"], json.loads(bloc.stdout)["vice_chair"]) == (
        "ubkt", "du-khoi-doanh-nghiep")
    assert [r["role"] for r in json.loads(roles.stdout)["roles"]] == ["chair"]
    assert missing.returncode == 2
    assert "No unit nobody" in missing.stderr
    assert exported.returncode == 0, exported.stderr
    rows = (system.data_dir / "ranking.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith("1,van-phong,Văn phòng Tỉnh ủy,95.0")


async def test_the_awards_commands_of_the_cli_speak_to_the_running_service(system: LocalSystem) -> None:
    token, _ = await _issue(system.data_dir, "HNM", "admin", "cli", None, None)
    common = ["--province", "HNM", "--token", token, "--url", system.urls["awards"], "--lang", "en"]

    def run(*arguments: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["awards", *arguments, *common])
        return result.exit_code, result.output

    books = await asyncio.to_thread(run, "rulebooks", "--on", "2025-07-01")
    verdict = await asyncio.to_thread(run, "eligibility", "nobody", "2023", "PROV_FLAG", "--on", "2024-01-05")
    bad_document = await asyncio.to_thread(run, "propose", "p-1", "nobody", "2023", "PROV_FLAG", "--document", "x")
    no_proposal = await asyncio.to_thread(run, "decide", "p-x", "--decision-no", "1", "--on", "2024-01-01")
    assert books[0] == 0
    assert json.loads(books[1])["in_force"] == "VN-152-2025"
    assert verdict[0] == 0
    assert json.loads(verdict[1])["checks"][0]["message"] == "Unit nobody is not active (status: unknown)."
    assert bad_document[0] == 2
    assert "write a document as kind=ref" in bad_document[1]
    assert no_proposal[0] == 2
    assert "No proposal p-x" in no_proposal[1]
