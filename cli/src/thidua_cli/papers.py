"""``thidua awards papers KIND``: a paper of the dossier as a Word file, written where ``-o`` says."""

from __future__ import annotations

import asyncio
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from thidua_cli.client import Api, ServiceError


class PaperKind(StrEnum):
    VOTE_MINUTES = "vote-minutes"
    SUBMISSION = "submission"
    PROPOSALS = "proposals"
    COUNCIL_MINUTES = "council-minutes"
    DECISION = "decision"


NAMES = {
    PaperKind.VOTE_MINUTES: ("biên bản họp suy tôn", "the honouring-vote minutes"),
    PaperKind.SUBMISSION: ("tờ trình", "the submission"),
    PaperKind.PROPOSALS: ("danh sách đề nghị", "the list of proposals"),
    PaperKind.COUNCIL_MINUTES: ("biên bản họp Hội đồng", "the council's minutes"),
    PaperKind.DECISION: ("dự thảo quyết định", "the draft decision"),
}


def _request(kind: PaperKind, year: int | None, award: str | None, vote: str | None, bloc: str | None,
             on: str | None, held_on: str | None, decision_no: str | None) -> tuple[str, dict[str, Any]]:
    """The route of the paper and its query; refuses what the paper cannot be made without."""
    if kind == PaperKind.VOTE_MINUTES:
        if vote is None:
            raise typer.BadParameter("vote-minutes needs --vote (the vote's id)")
        return f"/votes/{vote}/minutes.docx", {"held_on": held_on} if held_on else {}
    if year is None:
        raise typer.BadParameter(f"{kind} needs --year")
    if kind in (PaperKind.SUBMISSION, PaperKind.DECISION) and award is None:
        raise typer.BadParameter(f"{kind} needs --award (the form's code, e.g. PROV_FLAG)")
    query: dict[str, Any] = {"year": year, "award_code": award}
    if kind == PaperKind.COUNCIL_MINUTES:
        query["held_on"] = held_on
    else:
        query["on"] = on
        query.update({"decision_no": decision_no} if kind == PaperKind.DECISION else {"bloc_id": bloc})
    return f"/papers/{kind}.docx", {key: value for key, value in query.items() if value is not None}


def papers(kind: Annotated[PaperKind, typer.Argument(help="which paper")],
           out: Annotated[Path, typer.Option("--out", "-o", dir_okay=False, help="the .docx file to write")],
           province: Annotated[str, typer.Option(help="province code, e.g. HNM")],
           token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN")],
           year: Annotated[int | None, typer.Option(help="the awards' year")] = None,
           award: Annotated[str | None, typer.Option(help="the form's code, e.g. PROV_MERIT")] = None,
           vote: Annotated[str | None, typer.Option(help="the honouring vote (vote-minutes)")] = None,
           bloc: Annotated[str | None, typer.Option(help="a bloc's own submission or list")] = None,
           on: Annotated[str | None, typer.Option(help="the paper's day, YYYY-MM-DD (default: today)")] = None,
           held_on: Annotated[str | None, typer.Option(
               help="the meeting's day: a vote's (default: the day it closed), the council's session (default: "
                    "its latest)")] = None,
           decision_no: Annotated[str | None, typer.Option(help="a recorded decision, by its number")] = None,
           url: Annotated[str | None, typer.Option(help="default: THIDUA_AWARDS_URL")] = None,
           lang: Annotated[str, typer.Option(help="vi or en")] = "vi") -> None:
    """Write a paper of the dossier as a Word file: the bloc's honouring-vote minutes, the submission (tờ trình),
    the list of proposals, the council's minutes or the draft decision."""
    base = url or os.environ.get("THIDUA_AWARDS_URL")
    if not base:
        raise typer.BadParameter("give --url or set THIDUA_AWARDS_URL")
    path, query = _request(kind, year, award, vote, bloc, on, held_on, decision_no)

    async def download() -> bytes:
        api = Api(base, token, lang)
        try:
            return await api.download(f"/provinces/{province.upper()}{path}", **query)
        finally:
            await api.close()

    try:
        content = asyncio.run(download())
    except ServiceError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    out.write_bytes(content)
    vietnamese, english = NAMES[kind]
    typer.echo(f"Wrote {english} to {out} ({len(content)} bytes)." if lang == "en"
               else f"Đã ghi {vietnamese} vào {out} ({len(content)} byte).")
