"""``thidua scoring``: a bloc-year's table, target results, verifications, final scores, ranking and its ties,
scoreboard and export."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from thidua_cli.calling import call
from thidua_cli.client import Api, ServiceError

scoring_app = typer.Typer(help="Scoring: tables, target results, verifications, rankings and their ties, "
                               "scoreboards, exports.", no_args_is_help=True)

Province = Annotated[str, typer.Option(help="province code, e.g. HNM")]
Token = Annotated[str, typer.Option(envvar="THIDUA_TOKEN")]
Url = Annotated[str | None, typer.Option(help="default: THIDUA_SCORING_URL")]
Lang = Annotated[str, typer.Option(help="vi or en")]
Day = Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")]
YES = {"yes", "y", "true", "dat", "đạt", "1"}
NO = {"no", "n", "false", "khong", "không", "0"}


def _bloc_year(province: str, bloc_id: str, year: int, rest: str = "") -> str:
    return f"/provinces/{province.upper()}/blocs/{bloc_id}/years/{year}{rest}"


def _post(path: str, body: dict[str, Any], token: str, url: str | None, lang: str) -> None:
    call("scoring", "POST", path, {key: value for key, value in body.items() if value is not None}, token, url, lang)


def target_result(given: str) -> dict[str, Any]:
    """``CODE:yes`` or ``CODE:no``, then ``:ACHIEVED/PLANNED`` for a target with numbers, e.g. ``T1:yes:1250/1000``."""
    code, _, rest = given.partition(":")
    attained, _, numbers = rest.partition(":")
    if not code or attained.strip().lower() not in YES | NO:
        raise typer.BadParameter(f"'{given}': write a result as CODE:yes or CODE:no, then :ACHIEVED/PLANNED for a "
                                 "target with numbers, e.g. T1:yes:1250/1000")
    result: dict[str, Any] = {"code": code.strip(), "attained": attained.strip().lower() in YES}
    if numbers:
        achieved, slash, planned = numbers.partition("/")
        try:
            result["achieved"], result["planned"] = float(achieved), float(planned)
        except ValueError:
            raise typer.BadParameter(f"'{given}': the value and the plan are numbers, e.g. T1:yes:1250/1000") from None
        if not slash:
            raise typer.BadParameter(f"'{given}': give the value achieved and the plan, e.g. T1:yes:1250/1000")
    return result


@scoring_app.command("scoreboard")
def scoreboard(bloc_id: str, year: int, province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """A bloc-year's table, targets and results, assessments, who is missing, final scores with their bands,
    the ranking with its ties."""
    call("scoring", "GET", _bloc_year(province, bloc_id, year, "/scoreboard"), None, token, url, lang)


@scoring_app.command("export")
def export(bloc_id: str, year: int, province: Province, token: Token,
           out: Annotated[Path, typer.Option(help="file to write; .xlsx or .csv")],
           url: Url = None, lang: Lang = "vi") -> None:
    """Write a bloc-year's scoreboard and ranking to a CSV or XLSX file."""
    base = url or os.environ.get("THIDUA_SCORING_URL")
    if not base:
        raise typer.BadParameter("give --url or set THIDUA_SCORING_URL")
    kind = "xlsx" if out.suffix.lower() == ".xlsx" else "csv"

    async def download() -> bytes:
        api = Api(base, token, lang)
        try:
            return await api.download(_bloc_year(province, bloc_id, year, "/export"), format=kind)
        finally:
            await api.close()

    try:
        content = asyncio.run(download())
    except ServiceError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    out.write_bytes(content)
    typer.echo(f"{out}: {len(content)} bytes")


@scoring_app.command("adopt")
def adopt(bloc_id: str, year: int,
          file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                               help="the table as JSON: criteria, method, bands")],
          province: Province, token: Token, url: Url = None, lang: Lang = "vi",
          reason: Annotated[str | None, typer.Option(help="why an adopted table is amended")] = None,
          on: Day = None) -> None:
    """Adopt (or amend) a bloc-year's scoring table: its criteria (each scored by assessment or from the
    targets), its method (mean_of_cross, trimmed_mean or verified_self) and its classification bands."""
    table = json.loads(file.read_text(encoding="utf-8"))
    if reason is not None:
        table["reason"] = reason
    if on is not None:
        table["adopted_on"] = on
    _post(_bloc_year(province, bloc_id, year, "/table"), table, token, url, lang)


@scoring_app.command("target-results")
def target_results(bloc_id: str, year: int, unit: Annotated[str, typer.Option(help="the unit whose results")],
                   province: Province, token: Token, url: Url = None, lang: Lang = "vi",
                   result: Annotated[list[str] | None, typer.Option(
                       help="one per registered target: CODE:yes or CODE:no, then :ACHIEVED/PLANNED for a target "
                            "with numbers, e.g. T1:yes:1250/1000")] = None,
                   on: Day = None) -> None:
    """Record a unit's results against every target it registered for the year."""
    results = [target_result(given) for given in result or []]
    _post(_bloc_year(province, bloc_id, year, "/target-results"),
          {"unit_id": unit, "results": results, "recorded_on": on}, token, url, lang)


@scoring_app.command("verify")
def verify(bloc_id: str, year: int, unit: Annotated[str, typer.Option(help="the unit whose self-assessment")],
           by: Annotated[str, typer.Option(help="who verified it: a person or the chair's team")],
           province: Province, token: Token, url: Url = None, lang: Lang = "vi",
           notes: Annotated[str | None, typer.Option()] = None, on: Day = None) -> None:
    """The chair's team verifies a unit's latest self-assessment (under the method verified_self)."""
    _post(_bloc_year(province, bloc_id, year, "/verifications"),
          {"unit_id": unit, "verified_by": by, "notes": notes, "verified_on": on}, token, url, lang)


@scoring_app.command("finals")
def finals(bloc_id: str, year: int, province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """Compute every member's final score by the table's method (bloc secretariat)."""
    _post(_bloc_year(province, bloc_id, year, "/finals"), {}, token, url, lang)


@scoring_app.command("publish")
def publish(bloc_id: str, year: int, province: Province, token: Token, url: Url = None, lang: Lang = "vi",
            on: Day = None) -> None:
    """Publish the ranking, equal totals tied unless the bloc resolved them; it locks the bloc-year."""
    _post(_bloc_year(province, bloc_id, year, "/ranking"), {"published_on": on} if on else {}, token, url, lang)


@scoring_app.command("resolve-tie")
def resolve_tie(bloc_id: str, year: int, province: Province, token: Token, url: Url = None, lang: Lang = "vi",
                unit: Annotated[list[str] | None, typer.Option(
                    help="every tied unit, once each, first to last as the bloc ranks them")] = None,
                decision: Annotated[str | None, typer.Option(help="the number of the bloc's decision")] = None,
                vote: Annotated[str | None, typer.Option(help="the identifier of the bloc's vote")] = None,
                notes: Annotated[str | None, typer.Option()] = None, on: Day = None) -> None:
    """Record how the bloc ranks units tied on their total: by a decision (--decision) or a vote (--vote)."""
    if (decision is None) == (vote is None):
        raise typer.BadParameter("give the ground: --decision NUMBER or --vote ID (one of them)")
    ground, reference = ("decision", decision) if decision is not None else ("vote", vote)
    _post(_bloc_year(province, bloc_id, year, "/tie-resolutions"),
          {"order": unit or [], "ground": ground, "reference": reference, "notes": notes, "resolved_on": on},
          token, url, lang)
