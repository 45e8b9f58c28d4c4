"""``thidua contract``: the JSON Schemas and the AsyncAPI document, as the contracts package makes them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from thidua_cli.main import app
from thidua_contracts import EVENT_MODELS, asyncapi_document

runner = CliRunner()


def test_the_schemas_of_the_envelope_and_of_every_event_are_written(tmp_path: Path) -> None:
    result = runner.invoke(app, ["contract", "schemas", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = {path.name for path in tmp_path.iterdir()}
    assert written == {"Envelope.json"} | {f"{name}.v{model.schema_version}.json"
                                           for name, model in EVENT_MODELS.items()}
    assert json.loads((tmp_path / "UnitScored.v2.json").read_text())["x-source"] == "scoring"


def test_the_asyncapi_document_is_printed() -> None:
    result = runner.invoke(app, ["contract", "asyncapi"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == asyncapi_document()
