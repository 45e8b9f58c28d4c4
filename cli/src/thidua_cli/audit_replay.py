"""``thidua audit replay SERVICE --into URL``: a running service's read models rebuilt from its events into a
scratch database, and compared with the live ones table by table, row by row.

The rebuild runs the service's own projections, so it runs as ``python -m SERVICE audit-replay`` (the CLI never
imports a service), given the service's URL and the auditor's token (in its environment, not its command line);
it reads the service's log over HTTP (``--source store``) or its topic (``--source topics``), and the topics of the
services it follows from their first offset (``--kafka``). This command words its answer: per table the rows live
and rebuilt, those missing from the live read model, those extra in it, and those that differ, with the first
differing columns. Exit 0 when every table is equal, 1 when one differs or could not be compared, 2 when the replay
could not run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from thidua_cli.system import SERVICES
from thidua_shared.audit_replay import Note, ReplayReport
from thidua_shared.read_model_diff import TableDiff

SHOWN = 5
"""Rows of each kind named per table; the rest are counted."""
COLUMNS = 3
"""Differing columns named per row."""

WORDS = {
    "vi": {"title": "{service} (từ {source}): dựng lại {own} sự kiện của chính dịch vụ và {consumed} sự kiện nhận từ "
                    "dịch vụ khác vào cơ sở dữ liệu tạm, so với dữ liệu đọc đang chạy",
           "store": "sổ sự kiện", "topics": "các chủ đề Kafka",
           "skipped": "  bỏ qua {copies} bản lặp và {violations} tin nhắn sai hợp đồng trên các chủ đề",
           "equal": "  {table}: {live} dòng đang chạy, {rebuilt} dòng dựng lại: khớp",
           "differs": "  {table}: {live} dòng đang chạy, {rebuilt} dòng dựng lại: {missing} thiếu, {extra} thừa, "
                      "{different} khác",
           "missing": "    thiếu trong bản đang chạy: {key}", "extra": "    thừa trong bản đang chạy: {key}",
           "different": "    khác ở dòng {key}: {columns}", "column": "{column} đang chạy {live}, dựng lại {rebuilt}",
           "more": "    … và {count} dòng khác", "not_compared": "  {table}: chưa so được (dịch vụ vẫn đang ghi)",
           "equal_all": "Kết quả: dữ liệu đọc đang chạy khớp với bản dựng lại từ sự kiện.",
           "differ_all": "Kết quả: dữ liệu đọc đang chạy KHÁC bản dựng lại từ sự kiện.",
           "service_moved": "vòng {round}: dịch vụ ghi thêm trong lúc đọc {tables}; đọc lại ở vòng sau",
           "own_topic_behind": "vòng {round}: chủ đề {topic} chưa có đủ sự kiện của dịch vụ (đã phát đến vị trí "
                               "{published}, sổ đến {head}); đọc lại ở vòng sau",
           "topic_short": "vòng {round}: phân vùng {partition} của {topic} đọc được đến {read}, ít hơn bộ tiêu thụ "
                          "đang chạy ({mark}); đọc lại ở vòng sau",
           "consumer_behind": "bộ tiêu thụ đang chạy còn {messages} tin nhắn chưa đọc trên {topic}: đã so tại chỗ nó "
                              "đã đọc đến",
           "table_not_shared": "bảng {table} chỉ có ở một phía (phiên bản dịch vụ khác nhau?): không so"},
    "en": {"title": "{service} (from {source}): {own} of its own events and {consumed} events of other services "
                    "replayed into a scratch database, compared with the live read models",
           "store": "its log", "topics": "the Kafka topics",
           "skipped": "  {copies} copies and {violations} messages breaking the contract skipped on the topics",
           "equal": "  {table}: {live} rows live, {rebuilt} rows rebuilt: equal",
           "differs": "  {table}: {live} rows live, {rebuilt} rows rebuilt: {missing} missing, {extra} extra, "
                      "{different} different",
           "missing": "    missing from the live read model: {key}", "extra": "    extra in the live read model: {key}",
           "different": "    different at {key}: {columns}", "column": "{column} live {live}, rebuilt {rebuilt}",
           "more": "    … and {count} more rows", "not_compared": "  {table}: not compared (the service kept writing)",
           "equal_all": "Result: the live read models equal those rebuilt from the events.",
           "differ_all": "Result: the live read models DIFFER from those rebuilt from the events.",
           "service_moved": "round {round}: the service wrote while {tables} were read; read again next round",
           "own_topic_behind": "round {round}: the topic {topic} does not hold the service's latest events yet "
                               "(published up to position {published}, log up to {head}); read again next round",
           "topic_short": "round {round}: partition {partition} of {topic} was read up to {read}, short of the live "
                          "consumer ({mark}); read again next round",
           "consumer_behind": "the live consumer has {messages} messages of {topic} still to read: compared where "
                              "it stands",
           "table_not_shared": "the table {table} exists on one side only (another version of the service?): "
                               "not compared"},
}


def _value(value: Any) -> str:
    if value is None:
        return "∅"
    return repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _key(key: dict[str, Any]) -> str:
    shown = {column: value for column, value in key.items() if column != "province"} or key
    return ", ".join(f"{column}={value}" for column, value in shown.items())


def _table_lines(diff: TableDiff, words: dict[str, str]) -> list[str]:
    counts = {"table": diff.table, "live": diff.live, "rebuilt": diff.rebuilt}
    if diff.equal:
        return [words["equal"].format(**counts)]
    lines = [words["differs"].format(**counts, missing=len(diff.missing), extra=len(diff.extra),
                                     different=len(diff.different))]
    for kind, keys in (("missing", diff.missing), ("extra", diff.extra)):
        lines += [words[kind].format(key=_key(key)) for key in keys[:SHOWN]]
        if len(keys) > SHOWN:
            lines.append(words["more"].format(count=len(keys) - SHOWN))
    for row in diff.different[:SHOWN]:
        columns = "; ".join(words["column"].format(column=column.column, live=_value(column.live),
                                                   rebuilt=_value(column.rebuilt)) for column in row.columns[:COLUMNS])
        lines.append(words["different"].format(key=_key(row.key), columns=columns))
    if len(diff.different) > SHOWN:
        lines.append(words["more"].format(count=len(diff.different) - SHOWN))
    return lines


def _note(note: Note, words: dict[str, str]) -> str:
    return "  " + words[note.code].format(round=note.round, **note.params)


def report_lines(report: ReplayReport, language: str) -> list[str]:
    words = WORDS[language]
    lines = [words["title"].format(service=report.service, source=words[report.source], own=report.own_events,
                                   consumed=sum(report.consumed_events.values()))]
    if report.copies or report.violations:
        lines.append(words["skipped"].format(copies=report.copies, violations=report.violations))
    lines += [_note(note, words) for note in report.notes]
    for diff in report.tables:
        lines += _table_lines(diff, words)
    lines += [words["not_compared"].format(table=table) for table in report.not_compared]
    lines.append(words["equal_all"] if report.equal else words["differ_all"])
    return lines


def replay(
    service: Annotated[str, typer.Argument(help="registry, scoring, awards or notifications")],
    into: Annotated[str, typer.Option(help="an empty scratch database (SQLAlchemy URL), e.g. "
                                           "sqlite+aiosqlite:///scratch.db; the live one is never written")],
    province: Annotated[str, typer.Option(help="the province audited, e.g. HNM")],
    token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN", help="an auditor token of the province")],
    source: Annotated[str, typer.Option(help="store: the service's own events from its log over HTTP; topics: "
                                             "from its Kafka topic")] = "store",
    url: Annotated[str | None, typer.Option(help="the service's URL; default: THIDUA_<SERVICE>_URL")] = None,
    kafka: Annotated[str | None, typer.Option(
        envvar="THIDUA_AUDIT_KAFKA", help="Kafka bootstrap servers (the topics of the services it follows)")] = None,
    rounds: Annotated[int, typer.Option(min=1, max=10, help="rounds of reading before a table the service keeps "
                                                           "writing is left uncompared")] = 2,
    lang: Annotated[str, typer.Option("--lang", "--language", help="vi or en")] = "vi",
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Rebuild a running service's read models from its events into a scratch database and compare them with the
    live ones, row by row; exit 1 when they differ."""
    if service not in SERVICES:
        raise typer.BadParameter(", ".join(SERVICES), param_hint="SERVICE")
    if source not in ("store", "topics"):
        raise typer.BadParameter("store or topics", param_hint="--source")
    base = url or os.environ.get(f"THIDUA_{service.upper()}_URL")
    if not base:
        raise typer.BadParameter(f"give --url or set THIDUA_{service.upper()}_URL")
    command = [sys.executable, "-m", service, "audit-replay", "--into", into, "--source", source, "--url", base,
               "--province", province.upper(), "--rounds", str(rounds), *(["--kafka", kafka] if kafka else [])]
    done = subprocess.run(command, env={**os.environ, "THIDUA_TOKEN": token}, stdout=subprocess.PIPE, check=False)
    try:
        report = ReplayReport.model_validate_json(done.stdout)
    except ValidationError as error:  # it said why on its standard error, or crashed there
        raise typer.Exit(2) from error
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        for line in report_lines(report, lang if lang in WORDS else "vi"):
            typer.echo(line)
    raise typer.Exit(0 if report.equal else 1)
