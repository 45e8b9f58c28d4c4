"""``thidua backup`` and ``thidua restore`` as people run them, on the SQLite files release 0.1.0 wrote: a backup
with its manifest and keys, a restore into an empty folder verified against it, and refusals (a target that is not
empty, a damaged file) that write nothing and say why, in Vietnamese by default and in English."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from thidua_cli.main import app

RELEASE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "release-0.1.0"
runner = CliRunner()


def _instance(folder: Path) -> Path:
    folder.mkdir()
    for name in ("registry", "scoring", "awards", "notifications", "auth"):
        (folder / f"{name}.db").write_bytes(gzip.decompress((RELEASE / "sqlite" / f"{name}.db.gz").read_bytes()))
    (folder / "registry.checkpoint-key.pem").write_text("not a real key\n")
    return folder


def _units(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT count(*) FROM units").fetchone()[0])


def test_a_backup_restores_into_an_empty_folder_with_every_log_verified(tmp_path: Path) -> None:
    live = _instance(tmp_path / "live")
    backed_up = runner.invoke(app, ["backup", str(tmp_path / "backup"), "--data-dir", str(live)])
    assert backed_up.exit_code == 0, backed_up.output
    assert "Đã sao lưu vào" in backed_up.output
    assert "Đăng ký (registry): " in backed_up.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert [copy["name"] for copy in manifest["databases"]] == ["registry", "scoring", "awards", "notifications",
                                                                 "auth"]
    assert manifest["databases"][0]["log_head"]["position"] == 35
    assert manifest["release"] == "0.1.0", "the release is the installed thidua's"
    assert manifest["keys"] == ["registry.checkpoint-key.pem"]

    restored = runner.invoke(app, ["restore", str(tmp_path / "backup"), "--data-dir", str(tmp_path / "new"),
                                   "--no-rebuild"])
    assert restored.exit_code == 0, restored.output
    said = "Đăng ký (registry): 35 sự kiện, chuỗi băm toàn vẹn, đầu nhật ký ở vị trí 35 như bản sao lưu"
    assert said in restored.output
    assert _units(tmp_path / "new" / "registry.db") == _units(live / "registry.db")
    assert (tmp_path / "new" / "registry.checkpoint-key.pem").read_text() == "not a real key\n"


def test_a_restore_over_a_database_that_is_not_empty_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    live = _instance(tmp_path / "live")
    assert runner.invoke(app, ["backup", str(tmp_path / "backup"), "--data-dir", str(live)]).exit_code == 0
    with sqlite3.connect(live / "registry.db") as connection:
        connection.execute("DELETE FROM units")

    refused = runner.invoke(app, ["restore", str(tmp_path / "backup"), "--data-dir", str(live)])
    assert refused.exit_code == 2
    assert "Đăng ký (registry): cơ sở dữ liệu" in refused.output
    assert "không trống" in refused.output
    assert "--force" in refused.output
    in_english = runner.invoke(app, ["restore", str(tmp_path / "backup"), "--data-dir", str(live), "--lang", "en"])
    assert in_english.exit_code == 2
    assert "Registry (registry): the database" in in_english.output
    assert "is not empty" in in_english.output
    assert _units(live / "registry.db") == 0, "nothing was written"

    forced = runner.invoke(app, ["restore", str(tmp_path / "backup"), "--data-dir", str(live), "--force",
                                 "--no-rebuild", "--lang", "en"])
    assert forced.exit_code == 0, forced.output
    assert _units(live / "registry.db") > 0


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path: Path) -> None:
    live = _instance(tmp_path / "live")
    assert runner.invoke(app, ["backup", str(tmp_path / "backup"), "--data-dir", str(live)]).exit_code == 0
    with (tmp_path / "backup" / "awards.db").open("r+b") as file:
        file.seek(5000)
        file.write(b"\xff")

    refused = runner.invoke(app, ["restore", str(tmp_path / "backup"), "--data-dir", str(tmp_path / "new")])
    assert refused.exit_code == 2
    assert "awards.db bị thiếu hoặc hỏng" in refused.output
    assert not (tmp_path / "new" / "registry.db").exists()


def test_a_backup_goes_only_into_a_new_folder(tmp_path: Path) -> None:
    live = _instance(tmp_path / "live")
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "something").write_text("kept")
    failed = runner.invoke(app, ["backup", str(tmp_path / "backup"), "--data-dir", str(live), "--lang", "en"])
    assert failed.exit_code == 1
    assert "not empty" in failed.output
    assert (tmp_path / "backup" / "something").read_text() == "kept"


def test_an_unfinished_backup_is_refused_saying_so_and_writes_nothing(tmp_path: Path) -> None:
    """The manifest is written last: a backup stopped half way has none."""
    live = _instance(tmp_path / "live")
    assert runner.invoke(app, ["backup", str(tmp_path / "backup"), "--data-dir", str(live)]).exit_code == 0
    (tmp_path / "backup" / "manifest.json").unlink()

    refused = runner.invoke(app, ["restore", str(tmp_path / "backup"), "--data-dir", str(tmp_path / "new")])
    assert refused.exit_code == 2
    assert "không phải một bản sao lưu hoàn tất: không có manifest.json" in refused.output
    assert "Traceback" not in refused.output
    assert not (tmp_path / "new").exists() or not any((tmp_path / "new").iterdir())
