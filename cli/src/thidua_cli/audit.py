"""``thidua audit``: what auditors run with only an auditor token and the services' URLs.

``verify`` downloads each service's log page by page, its public key and its signed checkpoints, checks positions,
the hash chain, the head and every checkpoint's signature and hash, and compares with the checkpoints the auditor
kept from an earlier run (``--keep FILE``): a log rewritten with recomputed hashes since then is caught. It names
the first altered, removed, reordered or truncated event of each service; the exit status says pass (0) or fail (1).

With ``--kafka BOOTSTRAP`` it also reads each service's topic of the province from its beginning to its end (no
consumer group) and compares it with the log: an event the service says it published but the topic lacks, a message
on the topic that the log does not hold, and a copy whose body or hash differs are findings; copies of an event
(delivery is at least once) are not.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import httpx
import typer

from thidua_cli.audit_replay import replay
from thidua_cli.audit_report import report
from thidua_cli.audit_whatif import what_if
from thidua_shared.audit_topics import TopicCheck, TopicNotRead, compare_with_topic, read_topic
from thidua_shared.audit_verify import ChainCheck, Entry, Finding, first_of, verify_checkpoints
from thidua_shared.checkpoints import Checkpoint
from thidua_shared.kafka import topic_for

audit_app = typer.Typer(help="Audit: prove from the logs what happened (an auditor token is enough).",
                        no_args_is_help=True)
audit_app.command("what-if")(what_if)
audit_app.command("report")(report)
audit_app.command("replay")(replay)
SERVICES = ("registry", "scoring", "awards", "notifications")
PAGE = 1000

WORDS = {
    "vi": {"pass": "{service}: {count} sự kiện, {checkpoints} điểm kiểm tra đã ký: toàn vẹn",
           "fail": "{service}: {count} sự kiện: {problems} vấn đề; đầu tiên ở vị trí {position}: {words}",
           "line": "  vị trí {position}: {words}", "reading": "  … {service}: đã đọc {count} sự kiện",
           "key_changed": "khóa công khai của {service} đã đổi so với lần kiểm tra trước",
           "topic": "  chủ đề {topic}: {messages} tin nhắn, {events} sự kiện ({copies} bản lặp); "
                    "dịch vụ đã phát đến vị trí {published}",
           "topic_not_read": "  chủ đề của {service}: không đọc được hết, chưa kết luận được ({error})"},
    "en": {"pass": "{service}: {count} events, {checkpoints} signed checkpoints: intact",
           "fail": "{service}: {count} events: {problems} problems; the first at position {position}: {words}",
           "line": "  position {position}: {words}", "reading": "  … {service}: {count} events read",
           "key_changed": "the public key of {service} changed since the last audit",
           "topic": "  topic {topic}: {messages} messages, {events} events ({copies} copies); "
                    "the service published up to position {published}",
           "topic_not_read": "  the topic of {service}: could not be read to its end, nothing concluded ({error})"},
}


@dataclass
class ServiceAudit:
    service: str
    events: int
    checkpoints: list[Checkpoint]
    public_key_pem: str
    findings: list[Finding]
    key_changed: bool = False
    topic: TopicCheck | None = None
    topic_error: str = ""
    entries: list[Entry] = field(default_factory=list, repr=False)
    """The log as downloaded (for what is told from it after the check, e.g. ``thidua audit report``)."""
    head_position: int = 0
    head_hash: str = ""


async def audit_service(client: httpx.AsyncClient, province: str, held: dict[str, Any] | None = None,
                        progress: Any = None, kafka: str | None = None, keep_entries: bool = True) -> ServiceAudit:
    """One service's log, checked through its HTTP API; ``held`` is what an earlier audit kept of it
    (``public_key_pem`` and ``checkpoints``); with ``kafka`` (bootstrap servers), its topic compared with it.

    The log is checked page by page as it arrives; its entries are kept (``ServiceAudit.entries``) only with
    ``keep_entries`` or ``kafka``, so that a log of millions of events is checked in constant memory. The
    checkpoints are read first: the log read after them holds every position they name, unless it was cut."""
    key = _answer(await client.get("/audit/public-key"))
    service = str(key["service"])
    signed = [Checkpoint.model_validate(each)
              for each in _answer(await client.get(f"/provinces/{province}/checkpoints"))]
    kept = [Checkpoint.model_validate(each) for each in (held or {}).get("checkpoints", [])]
    check = ChainCheck(keep={checkpoint.position for checkpoint in (*signed, *kept)})
    keep = keep_entries or bool(kafka)
    entries: list[Entry] = []
    head_position, head_hash, published = 0, "", 0
    async for page in log_pages(client, province, 0):
        head_position, head_hash, published = page.head_position, page.head_hash, page.published
        for entry in page.entries:
            check.feed(entry)
        if keep:
            entries += page.entries
        if progress is not None:
            progress(service, check.count)
    findings = check.finish(head_position, head_hash)
    findings += verify_checkpoints(check.hashes, check.last, signed, key["public_key_pem"])
    key_changed = False
    if held:
        findings += verify_checkpoints(check.hashes, check.last, kept, held["public_key_pem"])
        key_changed = held["public_key_pem"] != key["public_key_pem"]
    audit = ServiceAudit(service, check.count, signed, str(key["public_key_pem"]),
                         _distinct(findings), key_changed, entries=entries, head_position=head_position,
                         head_hash=head_hash)
    if kafka:
        try:
            audit.topic = await _check_topic(client, province, audit.service, entries, published, kafka)
        except TopicNotRead as error:
            audit.topic_error = str(error)
        else:
            audit.findings = sorted(audit.findings + audit.topic.findings, key=lambda finding: finding.position)
    return audit


async def audit_services(urls: list[str], token: str, province: str, language: str,
                         held: dict[str, Any] | None = None, progress: Any = None,
                         kafka: str | None = None, keep_entries: bool = True) -> list[ServiceAudit]:
    """Each service's log at ``urls`` checked in turn (:func:`audit_service`) with an auditor's ``token``; ``held``
    is what an earlier audit kept, by service."""
    audits = []
    for base in urls:
        async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {token}",
                                                              "Accept-Language": language}, timeout=60) as client:
            service = _answer(await client.get("/audit/public-key"))["service"]
            audits.append(await audit_service(client, province, (held or {}).get(service), progress, kafka,
                                              keep_entries))
    return audits


def all_service_urls(given: list[str] | None) -> list[str]:
    """The URLs given, or those of ``THIDUA_<SERVICE>_URL`` for every service set."""
    urls = given or [os.environ[f"THIDUA_{service.upper()}_URL"] for service in SERVICES
                     if f"THIDUA_{service.upper()}_URL" in os.environ]
    if not urls:
        raise typer.BadParameter("give --url or set THIDUA_<SERVICE>_URL")
    return urls


def reading_progress(language: str) -> Callable[[str, int], None]:
    """What is shown on stderr while a service's log is downloaded."""
    def show(service: str, count: int) -> None:
        typer.echo(WORDS[language]["reading"].format(service=service, count=count), err=True)
    return show


class LogPage(NamedTuple):
    entries: list[Entry]
    head_position: int
    head_hash: str
    published: int
    """How far the relay had published."""


async def log_pages(client: httpx.AsyncClient, province: str, after: int) -> AsyncIterator[LogPage]:
    """The log's pages after ``after``, each with the head (position, hash) when it was read."""
    while True:
        page = _answer(await client.get(f"/provinces/{province}/log", params={"after": after, "limit": PAGE}))
        entries = [Entry(event["position"], event["hash"], event["prev_hash"], event["body"])
                   for event in page["events"]]
        yield LogPage(entries, int(page["head_position"]), str(page["head_hash"]),
                    int(page.get("published_position", 0)))
        if len(page["events"]) < PAGE:
            return
        after = int(page["next_after"])


async def _download(client: httpx.AsyncClient, province: str, after: int) -> list[Entry]:
    """The log's entries after ``after``."""
    return [entry async for page in log_pages(client, province, after) for entry in page.entries]


async def _check_topic(client: httpx.AsyncClient, province: str, service: str, entries: list[Entry],
                       published: int, kafka: str) -> TopicCheck:
    """The topic read after the log (so every event the relay had published by then is on it), compared with the
    log; events stored while the topic was read may be on it too, so the log's tail is fetched again before a
    message is called absent from the log."""
    topic = topic_for(province, service)
    messages = await read_topic(kafka, topic)
    check = compare_with_topic(topic, entries, published, messages)
    if any(finding.problem == "not_stored" for finding in check.findings):
        tail = await _download(client, province, entries[-1].position if entries else 0)
        check = compare_with_topic(topic, entries + tail, published, messages)
    return check


def _distinct(findings: list[Finding]) -> list[Finding]:
    """Each finding once (the service's checkpoints and the auditor's may name the same), by position."""
    seen: dict[tuple[int, str], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.position, finding.problem), finding)
    return sorted(seen.values(), key=lambda finding: finding.position)


def _answer(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        try:
            message = response.json().get("message", response.text)
        except ValueError:
            message = response.text
        raise typer.BadParameter(f"{response.request.url}: {response.status_code} {message}")
    return response.json()


def report_lines(audit: ServiceAudit, language: str) -> list[str]:
    words = WORDS[language]
    first = first_of(audit.findings)
    lines = []
    if audit.key_changed:
        lines.append(words["key_changed"].format(service=audit.service))
    if first is None:
        lines.append(words["pass"].format(service=audit.service, count=audit.events,
                                          checkpoints=len(audit.checkpoints)))
        return lines + _topic_lines(audit, language)
    lines.append(words["fail"].format(service=audit.service, count=audit.events, problems=len(audit.findings),
                                      position=first.position, words=first.words(language)))
    lines += [words["line"].format(position=finding.position, words=finding.words(language))
              for finding in audit.findings[1:]]
    return lines + _topic_lines(audit, language)


def _topic_lines(audit: ServiceAudit, language: str) -> list[str]:
    words = WORDS[language]
    if audit.topic_error:
        return [words["topic_not_read"].format(service=audit.service, error=audit.topic_error)]
    if audit.topic is None:
        return []
    check = audit.topic
    return [words["topic"].format(topic=check.topic, messages=check.messages, events=check.events,
                                  copies=check.copies, published=check.published_position)]


@audit_app.command("verify")
def verify(
    province: Annotated[str, typer.Option(help="the province audited, e.g. HNM")],
    token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN", help="an auditor token of the province")],
    url: Annotated[list[str] | None, typer.Option(
        help="a service's URL (repeatable); default: THIDUA_<SERVICE>_URL of each service set")] = None,
    keep: Annotated[Path | None, typer.Option(
        help="the auditor's own file of checkpoints: compared when it exists, then updated")] = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
    kafka: Annotated[str | None, typer.Option(
        envvar="THIDUA_AUDIT_KAFKA", help="Kafka bootstrap servers: also compare each service's topic with its log")]
        = None,
) -> None:
    """Check each service's log end to end; exit 1 at the first altered, removed, reordered or truncated event, and
    with --kafka at an event published but absent from its topic, or on the topic but absent from the log."""
    urls = all_service_urls(url)
    held: dict[str, Any] = json.loads(keep.read_text()) if keep is not None and keep.exists() else {}
    language = lang if lang in WORDS else "vi"
    audits = asyncio.run(audit_services(urls, token, province, language, held, reading_progress(language), kafka,
                                        keep_entries=False))
    for audit in audits:
        for line in report_lines(audit, language):
            typer.echo(line)
    failed = any(audit.findings or audit.key_changed or audit.topic_error for audit in audits)
    if keep is not None and not failed:
        keep.write_text(json.dumps({audit.service: {
            "public_key_pem": audit.public_key_pem,
            "checkpoints": [checkpoint.model_dump() for checkpoint in audit.checkpoints]} for audit in audits},
            ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(1)
