"""The services' logs as an auditor reads them: downloaded over HTTP with only an auditor token, each event with its
position and hash, and the names people give to units, blocs and award forms, taken from the logs themselves.

``thidua audit explain`` and ``thidua audit as-of`` trust nothing but these logs: not the services' read models.
Each log's hash chain is checked as it is read (:func:`thidua_shared.audit_verify.verify_log_entries`), so what they
print says whether it rests on an intact chain.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import httpx
import typer

from thidua_cli.audit import SERVICES, _answer, log_pages
from thidua_contracts.upcasting import UnreadableEvent, read_payload
from thidua_shared.audit_verify import Entry, verify_log_entries
from thidua_shared.clock import province_zone

LANGUAGES = ("vi", "en")
TRUSTED_SERVICES = ("registry", "scoring", "awards")
"""The logs an award's story is told from (notifications only tells of it)."""


@dataclass(frozen=True)
class LogRecord:
    """One event of a service's log: where it stands in the log, its hash, and its envelope (the payload at its
    current schema version)."""

    service: str
    position: int
    hash: str
    envelope: dict[str, Any]

    @property
    def type(self) -> str:
        return str(self.envelope["event_type"])

    @property
    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = self.envelope["payload"]
        return payload

    @property
    def recorded_at(self) -> datetime:
        return instant(str(self.envelope["recorded_at"]))

    def reference(self) -> dict[str, Any]:
        """What lets an auditor find the event again and check it: ids, position, hash, actor and times."""
        envelope = self.envelope
        return {"service": self.service, "position": self.position, "hash": self.hash,
                "prev_hash": envelope.get("prev_hash"), "event_id": envelope["event_id"],
                "event_type": self.type, "stream_id": envelope["stream_id"],
                "stream_version": envelope.get("stream_version"), "occurred_at": envelope["occurred_at"],
                "recorded_at": envelope["recorded_at"], "actor": envelope["actor"],
                "correlation_id": envelope.get("correlation_id"), "causation_id": envelope.get("causation_id")}


@dataclass
class ServiceLog:
    service: str
    events: list[LogRecord]
    head_position: int
    head_hash: str
    intact: bool
    problems: int


@dataclass
class Logs:
    """The logs of the services read, by service name."""

    by_service: dict[str, ServiceLog] = field(default_factory=dict)

    def of(self, service: str) -> list[LogRecord]:
        log = self.by_service.get(service)
        return log.events if log is not None else []

    def heads(self) -> dict[str, dict[str, Any]]:
        return {name: {"head_position": log.head_position, "head_hash": log.head_hash, "events": len(log.events),
                       "chain_intact": log.intact, "problems": log.problems}
                for name, log in self.by_service.items()}

    def until(self, moment: datetime) -> Logs:
        """The logs as they stood at ``moment``: only the events recorded by then."""
        return Logs({name: ServiceLog(name, [event for event in log.events if event.recorded_at <= moment],
                                      log.head_position, log.head_hash, log.intact, log.problems)
                     for name, log in self.by_service.items()})


async def read_log(client: httpx.AsyncClient, province: str) -> ServiceLog:
    """One service's log for ``province``, page by page, its chain checked; other provinces' events (shown without
    their body) only count in the chain."""
    service = str(_answer(await client.get("/audit/public-key"))["service"])
    entries: list[Entry] = []
    head_position, head_hash = 0, ""
    async for page in log_pages(client, province, 0):
        entries += page.entries
        head_position, head_hash = page.head_position, page.head_hash
    return service_log(service, province, entries, head_position, head_hash)


def service_log(service: str, province: str, entries: list[Entry], head_position: int, head_hash: str) -> ServiceLog:
    """The log of ``province`` from a service's downloaded entries, its chain checked."""
    problems = verify_log_entries(entries, head_position, head_hash)
    events = [LogRecord(service, entry.position, entry.hash, _current(json.loads(entry.body)))
              for entry in entries if entry.body is not None]
    return ServiceLog(service, [event for event in events if event.envelope.get("province") == province],
                      head_position, head_hash, not problems, len(problems))


def _current(envelope: dict[str, Any]) -> dict[str, Any]:
    """The envelope with its payload read through the contract's upcasters (an event of an older schema version as
    the current model has it); a payload the contract cannot read is kept as stored (``thidua audit verify`` judges
    the log, not this reading)."""
    try:
        payload = read_payload(str(envelope["event_type"]), int(envelope["schema_version"]), envelope["payload"])
    except (KeyError, ValueError, TypeError, UnreadableEvent):
        return envelope
    return {**envelope, "payload": payload.model_dump(mode="json")}


async def read_logs(urls: Iterable[str], token: str, province: str, language: str) -> Logs:
    logs = Logs()
    for base in urls:
        async with httpx.AsyncClient(base_url=base, timeout=60, headers={
                "Authorization": f"Bearer {token}", "Accept-Language": language}) as client:
            log = await read_log(client, province)
            logs.by_service[log.service] = log
    return logs


def service_urls(given: list[str] | None) -> list[str]:
    """The URLs given, or those of ``THIDUA_<SERVICE>_URL`` for the services an award's story is read from."""
    urls = given or [os.environ[f"THIDUA_{service.upper()}_URL"] for service in SERVICES
                     if service in TRUSTED_SERVICES and f"THIDUA_{service.upper()}_URL" in os.environ]
    if not urls:
        raise typer.BadParameter("give --url or set THIDUA_<SERVICE>_URL")
    return urls


NATIONAL_FORM_NAMES: dict[str, dict[str, str]] = {
    "GOV_FLAG": {"vi": "Cờ thi đua của Chính phủ", "en": "the Government's Emulation Flag"},
    "PROV_FLAG": {"vi": "Cờ thi đua của UBND tỉnh", "en": "the Provincial People's Committee's Emulation Flag"},
    "PROV_MERIT": {"vi": "Bằng khen của Chủ tịch UBND tỉnh",
                   "en": "the Certificate of Merit of the Chairman of the Provincial People's Committee"},
    "EXCELLENT_COLLECTIVE": {"vi": "Tập thể lao động xuất sắc", "en": "Excellent Labour Collective"},
    "ADVANCED_COLLECTIVE": {"vi": "Tập thể lao động tiên tiến", "en": "Advanced Labour Collective"},
}
"""The forms of the national default rulebooks (Law 06/2022, Decrees 98/2023 and 152/2025), which the awards
service applies without recording a ``RulebookAdopted``: named by the law, so by these names until the log holds a
rulebook of the province naming a form otherwise."""


@dataclass
class Names:
    """What people call units, blocs and forms, folded from the registry's and the awards' logs (a later name wins)."""

    units: dict[str, str] = field(default_factory=dict)
    blocs: dict[str, str] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)
    provinces: dict[str, str] = field(default_factory=dict)
    rulebooks: dict[str, LogRecord] = field(default_factory=dict)
    language: str = "vi"

    def unit(self, unit_id: str | None) -> str:
        if not unit_id:
            return "-"
        known = self.units.get(unit_id)
        if known:
            return known
        return f"đơn vị không có trong sổ đăng ký ({unit_id})" if self.language == "vi" \
            else f"a unit the registry's log does not name ({unit_id})"

    def bloc(self, bloc_id: str | None) -> str:
        if not bloc_id:
            return "-"
        known = self.blocs.get(bloc_id)
        if known:
            return known
        return f"khối không có trong sổ đăng ký ({bloc_id})" if self.language == "vi" \
            else f"a bloc the registry's log does not name ({bloc_id})"

    def form(self, code: str | None) -> str:
        if not code:
            return "-"
        if code in self.forms:
            return self.forms[code]
        national = NATIONAL_FORM_NAMES.get(code)
        if national:
            return national[self.language]
        return f"hình thức khen thưởng chưa được đặt tên ({code})" if self.language == "vi" \
            else f"an award form no rulebook names ({code})"

    def units_of(self, unit_ids: Iterable[str]) -> str:
        return "; ".join(self.unit(unit_id) for unit_id in unit_ids) or "-"


def names_from(logs: Logs, language: str) -> Names:
    names = Names(language=language)
    for event in logs.of("registry"):
        payload = event.payload
        if event.type in ("UnitRegistered", "UnitRenamed"):
            names.units[payload["unit_id"]] = payload["name"]
        elif event.type == "BlocEstablished":
            names.blocs[payload["bloc_id"]] = payload["name"]
        elif event.type == "ProvinceRegistered":
            names.provinces[payload["code"]] = payload["name"]
    for event in logs.of("awards"):
        if event.type == "RulebookAdopted":
            names.rulebooks[event.payload["version"]] = event
            for form in event.payload.get("forms", []):
                names.forms[form["code"]] = form["name"]
    return names


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def local_time(text: str | None) -> str:
    """An instant of the log as people of the province read it: dd/mm/yyyy HH:MM:SS, Viet Nam's time; the day alone
    for the start of a day (an act dated by its day, e.g. a decision's, occurred at the start of that day)."""
    if not text:
        return "-"
    local = instant(text).astimezone(province_zone())
    return local.strftime("%d/%m/%Y" if local.time() == time(0) else "%d/%m/%Y %H:%M:%S")


def day(text: str | None) -> str:
    """A date of a payload (ISO) as dd/mm/yyyy."""
    if not text:
        return "-"
    return date.fromisoformat(str(text)[:10]).strftime("%d/%m/%Y")


def points(value: float | None, language: str) -> str:
    if value is None:
        return "-"
    text = f"{value:g}"
    return text.replace(".", ",") if language == "vi" else text


ROLES = {"vi": {"admin": "cán bộ tỉnh (quản trị)", "bloc_secretary": "thư ký khối", "unit_officer": "cán bộ đơn vị",
                "auditor": "kiểm toán viên", "subscriber": "hệ thống đăng ký nhận", "system": "hệ thống"},
         "en": {"admin": "provincial staff (admin)", "bloc_secretary": "bloc secretary", "unit_officer": "unit officer",
                "auditor": "auditor", "subscriber": "subscriber", "system": "the system"}}


def actor_words(actor: dict[str, Any], names: Names) -> str:
    role = ROLES[names.language].get(str(actor.get("role")), str(actor.get("role")))
    unit = f", {names.unit(actor['unit_id'])}" if actor.get("unit_id") else ""
    return f"{role}{unit} [{actor.get('id')}]"
