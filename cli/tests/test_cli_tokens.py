"""The thidua command's token and audit commands, as an operator uses them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thidua_cli.main import app

runner = CliRunner()


def test_a_token_is_printed_once_and_a_bad_request_names_what_to_fix(tmp_path: Path) -> None:
    issued = runner.invoke(app, ["token", "issue", "--province", "HNM", "--role", "unit_officer",
                                 "--unit", "ubkt", "--label", "UBKT", "--data-dir", str(tmp_path)])
    missing_bloc = runner.invoke(app, ["token", "issue", "--province", "HNM", "--role", "bloc_secretary",
                                       "--label", "x", "--data-dir", str(tmp_path)])
    bad_role = runner.invoke(app, ["token", "issue", "--province", "HNM", "--role", "king",
                                   "--label", "x", "--data-dir", str(tmp_path)])

    assert issued.exit_code == 0, issued.output
    assert issued.stdout.startswith("thd_")
    assert missing_bloc.exit_code == 2
    assert "names its bloc (--bloc)" in missing_bloc.output
    assert bad_role.exit_code == 2
    assert "role must be one of" in bad_role.output


def test_revoking_an_unknown_token_says_so(tmp_path: Path) -> None:
    runner.invoke(app, ["token", "issue", "--province", "HNM", "--role", "auditor", "--label", "a",
                        "--data-dir", str(tmp_path)])
    answer = runner.invoke(app, ["token", "revoke", "no-such-id", "--data-dir", str(tmp_path)])
    assert answer.exit_code == 1
    assert "no active token no-such-id" in answer.output
