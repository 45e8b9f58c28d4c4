"""``thidua backup`` and ``thidua restore``: what people type and read (Vietnamese by default, ``--lang en``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from thidua_cli.backup import BackupFailed, take_backup
from thidua_cli.instance import Instance
from thidua_cli.restore import RestoreFailed, RestoreRefused, restore_backup
from thidua_shared.clock import local

NAMES: dict[str, dict[str, str]] = {
    "vi": {"registry": "Đăng ký", "scoring": "Chấm điểm", "awards": "Khen thưởng", "notifications": "Thông báo",
           "auth": "Mã truy cập"},
    "en": {"registry": "Registry", "scoring": "Scoring", "awards": "Awards", "notifications": "Notifications",
           "auth": "Access tokens"},
}
"""Each database as people call its service, its code (the --database NAME) beside it."""
WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "copying": "  … đang sao lưu {name}",
        "copied": "  {name}: {size}{log}",
        "log": ", {events} sự kiện, đầu nhật ký ở vị trí {position}",
        "no_key": "  chú ý: không có tệp khóa {path}",
        "backed_up": "Đã sao lưu vào {folder} lúc {taken_at} (phiên bản {release}).",
        "backup": "Bản sao lưu lúc {taken_at} (phiên bản {release}).",
        "checking": "  … kiểm tra {name}",
        "restoring": "  … đang khôi phục {name}",
        "verified": "  {name}: {events} sự kiện, chuỗi băm toàn vẹn, đầu nhật ký ở vị trí {position} như bản sao lưu",
        "broken": "  {name}: chuỗi KHÔNG toàn vẹn ({events} sự kiện): {problems}",
        "refill": "  các dịch vụ sẽ phát lại toàn bộ nhật ký lên Kafka khi khởi động (đánh dấu là lần phát lại, "
                  "để bên nhận biết)",
        "rebuilding": "  … đang dựng lại các mô hình đọc",
        "rebuilt": "  {name}: dựng lại mô hình đọc từ {events} sự kiện{again}",
        "again": "; khi khởi động sẽ đọc lại từ Kafka những gì nhận từ các dịch vụ khác",
        "restored": "Đã khôi phục. Trước khi khởi động các dịch vụ, xóa các chủ đề Kafka của hệ thống nếu broker "
                    "còn giữ sự kiện mới hơn bản sao lưu (xem deploy/README.md, mục 'Backups and restores').",
        "no_manifest": "{folder} không phải một bản sao lưu hoàn tất: không có manifest.json (tệp này được ghi sau "
                       "cùng; thiếu nó là lần sao lưu đã dừng giữa chừng). Không khôi phục gì.",
        "bad_manifest": "Không đọc được manifest.json trong {folder} ({error}). Không khôi phục gì.",
        "damaged": "Tệp {file} bị thiếu hoặc hỏng (mã SHA-256 không khớp với manifest.json); không khôi phục gì.",
        "backend": "{name}: bản sao lưu là {backup}, đích là {target}; không khôi phục gì.",
        "unreachable": "{name}: không kết nối được {url}: {error}",
        "not_empty": "{name}: cơ sở dữ liệu {url} không trống ({tables} bảng); không ghi đè. Dùng --force nếu thực sự "
                     "muốn thay nội dung của nó bằng bản sao lưu.",
        "key_differs": "Tệp khóa {path} đã có và khác tệp trong bản sao lưu; không ghi đè (dùng --force).",
        "pg_restore": "pg_restore vào {url} thất bại: {error}",
        "not_intact": "Nhật ký khôi phục không toàn vẹn ({names}); đừng khởi động các dịch vụ này.",
        "rebuild": "Dựng lại mô hình đọc của {name} thất bại: {error}",
        "failed": "Sao lưu thất bại: {error}",
    },
    "en": {
        "copying": "  … backing up {name}",
        "copied": "  {name}: {size}{log}",
        "log": ", {events} events, the log's head at position {position}",
        "no_key": "  note: no key file {path}",
        "backed_up": "Backed up into {folder} at {taken_at} (release {release}).",
        "backup": "The backup taken at {taken_at} (release {release}).",
        "checking": "  … checking {name}",
        "restoring": "  … restoring {name}",
        "verified": "  {name}: {events} events, the hash chain intact, the log's head at position {position} as backed "
                    "up",
        "broken": "  {name}: the chain is NOT intact ({events} events): {problems}",
        "refill": "  the services publish their whole logs to Kafka again when they start (a new epoch)",
        "rebuilding": "  … rebuilding the read models",
        "rebuilt": "  {name}: read models rebuilt from {events} events{again}",
        "again": "; what came from the other services is read again from Kafka at the next start",
        "restored": "Restored. Before starting the services, delete the instance's Kafka topics if the broker still "
                    "holds events newer than the backup (see deploy/README.md, 'Backups and restores').",
        "no_manifest": "{folder} is not a finished backup: it has no manifest.json (written last; without it the "
                       "backup stopped half way). Nothing restored.",
        "bad_manifest": "The manifest.json in {folder} cannot be read ({error}). Nothing restored.",
        "damaged": "The file {file} is missing or damaged (its SHA-256 is not the manifest's); nothing restored.",
        "backend": "{name}: the backup is {backup}, the target {target}; nothing restored.",
        "unreachable": "{name}: cannot connect to {url}: {error}",
        "not_empty": "{name}: the database {url} is not empty ({tables} tables); not overwritten. Give --force to "
                     "replace what it holds with the backup.",
        "key_differs": "The key file {path} exists and differs from the backup's; not overwritten (give --force).",
        "pg_restore": "pg_restore into {url} failed: {error}",
        "not_intact": "The restored logs are not intact ({names}); do not start these services.",
        "rebuild": "Rebuilding the read models of {name} failed: {error}",
        "failed": "The backup failed: {error}",
    },
}

DataDir = Annotated[Path, typer.Option(help="where the SQLite files and key files live", envvar="THIDUA_DATA_DIR")]
Databases = Annotated[list[str] | None, typer.Option(
    "--database", help="NAME=URL: a database other than the data folder's SQLite file (NAME: registry, scoring, "
                       "awards, notifications or auth); once per database")]
Lang = Annotated[str, typer.Option(help="vi or en")]


def when(instant: datetime) -> str:
    return local(instant).strftime("%d/%m/%Y %H:%M:%S")


def size(count: int) -> str:
    return f"{count / 1024:.0f} KiB" if count < 1 << 20 else f"{count / (1 << 20):.1f} MiB"


def _words(lang: str) -> dict[str, str]:
    if lang not in WORDS:
        raise typer.BadParameter("vi or en", param_hint="--lang")
    return WORDS[lang]


def _instance(data_dir: Path, databases: list[str] | None) -> Instance:
    try:
        return Instance.of(data_dir, databases or [])
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error


def _shown(lang: str, values: dict[str, object]) -> dict[str, object]:
    """``values`` with the database named as people call it: ``Đăng ký (registry)``."""
    name = values.get("name")
    if not isinstance(name, str) or name not in NAMES[lang]:
        return dict(values)
    return {**values, "name": f"{NAMES[lang][name]} ({name})"}


def _teller(lang: str) -> Callable[[str, dict[str, object]], None]:
    words = _words(lang)

    def tell(key: str, values: dict[str, object]) -> None:
        shown = _shown(lang, values)
        if key == "rebuilt":
            shown["again"] = words["again"] if values["again"] else ""
        if key == "copied":
            shown["size"] = size(int(str(values["bytes"])))
            shown["log"] = words["log"].format(**values) if values.get("events") is not None else ""
        taken_at = values.get("taken_at")
        if isinstance(taken_at, datetime):
            shown["taken_at"] = when(taken_at)
        typer.echo(words[key].format(**shown), err=key not in ("verified", "broken", "backup"))

    return tell


def backup(folder: Annotated[Path, typer.Argument(help="a new folder to hold the backup")],
           data_dir: DataDir = Path("data"), database: Databases = None, lang: Lang = "vi") -> None:
    """Back up every database of the instance and its key files into FOLDER, with a manifest (the services may
    keep running: each copy is consistent)."""
    words = _words(lang)
    try:
        manifest = asyncio.run(take_backup(_instance(data_dir, database), folder, _teller(lang)))
    except (BackupFailed, OSError) as error:
        typer.echo(words["failed"].format(error=error), err=True)
        raise typer.Exit(1) from error
    typer.echo(words["backed_up"].format(folder=folder, taken_at=when(manifest.taken_at), release=manifest.release))


def restore(folder: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="the backup's folder")],
            data_dir: DataDir = Path("data"), database: Databases = None,
            force: Annotated[bool, typer.Option("--force", help="replace databases and key files that are not "
                                                                "empty")] = False,
            rebuild: Annotated[bool, typer.Option(help="rebuild the read models after the restore")] = True,
            resubscribe: Annotated[bool, typer.Option(
                help="also forget what services learnt from the others and read it again from their topics")] = True,
            lang: Lang = "vi") -> None:
    """Restore a backup into empty databases (stop the services first), verify each service's log against the
    manifest, refill the topics and rebuild the read models."""
    words = _words(lang)
    try:
        asyncio.run(restore_backup(folder, _instance(data_dir, database), force, rebuild, resubscribe,
                                   _teller(lang)))
    except RestoreRefused as refused:
        typer.echo(words[refused.key].format(**_shown(lang, refused.values)), err=True)
        raise typer.Exit(1 if isinstance(refused, RestoreFailed) else 2) from refused
    typer.echo(words["restored"])
