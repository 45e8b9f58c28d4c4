"""``thidua awards``: rulebooks, eligibility, honouring votes, proposals, council, decisions, freezes."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from thidua_cli.calling import call
from thidua_cli.client import XLSX, Api, ServiceError

awards_app = typer.Typer(help="Awards: rulebooks, eligibility, votes, proposals, council and decisions.",
                         no_args_is_help=True)
vote_app = typer.Typer(help="Honouring votes (suy tôn) with secret ballots.", no_args_is_help=True)
awards_app.add_typer(vote_app, name="vote")

Province = Annotated[str, typer.Option(help="province code, e.g. HNM")]
Token = Annotated[str, typer.Option(envvar="THIDUA_TOKEN")]
Url = Annotated[str | None, typer.Option(help="default: THIDUA_AWARDS_URL")]
Lang = Annotated[str, typer.Option(help="vi or en")]
Day = Annotated[str | None, typer.Option(help="YYYY-MM-DD")]
Documents = Annotated[list[str] | None, typer.Option("--document", help="kind=ref, e.g. achievement_report=BC 02")]


def _path(province: str, rest: str) -> str:
    return f"/provinces/{province.upper()}{rest}"


def _get(province: str, rest: str, token: str, url: str | None, lang: str, **params: Any) -> None:
    call("awards", "GET", _path(province, rest), None, token, url, lang,
         {key: value for key, value in params.items() if value is not None} or None)


def _post(province: str, rest: str, body: dict[str, Any], token: str, url: str | None, lang: str) -> None:
    call("awards", "POST", _path(province, rest), {key: value for key, value in body.items() if value is not None},
         token, url, lang)


def _documents(given: list[str] | None) -> list[dict[str, str]]:
    documents = []
    for item in given or []:
        kind, separator, ref = item.partition("=")
        if not separator or not kind or not ref:
            raise typer.BadParameter(f"'{item}': write a document as kind=ref, e.g. achievement_report=BC 02")
        documents.append({"kind": kind.strip(), "ref": ref.strip()})
    return documents


@awards_app.command("rulebooks")
def rulebooks(province: Province, token: Token, url: Url = None, lang: Lang = "vi", on: Day = None) -> None:
    """The rulebook versions (national and the province's own) and the one in force on a date."""
    _get(province, "/rulebooks", token, url, lang, on=on)


@awards_app.command("adopt")
def adopt(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="the rulebook as JSON")],
          province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """Adopt the province's own rulebook version (see `thidua awards rulebooks` for the shape)."""
    _post(province, "/rulebooks", json.loads(file.read_text(encoding="utf-8")), token, url, lang)


@awards_app.command("eligibility")
def eligibility(unit_id: str, year: int, award_code: str, province: Province, token: Token, url: Url = None,
                lang: Lang = "vi", bloc: Annotated[str | None, typer.Option()] = None, on: Day = None) -> None:
    """Is the unit eligible for the form in the year? Rule by rule, with citations."""
    _get(province, "/eligibility", token, url, lang, unit_id=unit_id, year=year, award_code=award_code,
         bloc_id=bloc, on=on)


@awards_app.command("candidates")
def candidates(bloc_id: str, year: int, award_code: str, province: Province, token: Token, url: Url = None,
               lang: Lang = "vi", on: Day = None) -> None:
    """The bloc's members and whether each is eligible, before the honouring vote."""
    _get(province, f"/blocs/{bloc_id}/years/{year}/candidates", token, url, lang, award_code=award_code, on=on)


@vote_app.command("open")
def vote_open(vote_id: str, bloc_id: str, year: int, award_code: str, province: Province, token: Token,
              url: Url = None, lang: Lang = "vi",
              candidate: Annotated[list[str] | None, typer.Option(help="default: the eligible members")] = None,
              threshold: Annotated[float | None, typer.Option(help="default: the rulebook's")] = None,
              opened_on: Day = None,
              places: Annotated[int | None, typer.Option(help="units the vote may honour; default: one per "
                                                               "candidate")] = None,
              runoff_of: Annotated[str | None, typer.Option(help="the vote whose tie at the last place this "
                                                                 "round decides")] = None) -> None:
    """Open an honouring vote (bloc secretariat); a runoff is among the tied of an earlier vote."""
    _post(province, "/votes", {"vote_id": vote_id, "bloc_id": bloc_id, "year": year, "award_code": award_code,
                               "candidates": candidate or None, "threshold": threshold, "opened_on": opened_on,
                               "places": places, "runoff_of": runoff_of},
          token, url, lang)


@vote_app.command("ballot")
def vote_ballot(vote_id: str, unit_id: str, province: Province, token: Token, url: Url = None, lang: Lang = "vi",
                choice: Annotated[list[str] | None, typer.Option(help="a candidate this unit votes for")] = None,
                ) -> None:
    """Cast the unit's secret ballot (its unit officer)."""
    _post(province, f"/votes/{vote_id}/ballots", {"voter_unit_id": unit_id, "choices": choice or []},
          token, url, lang)


@vote_app.command("close")
def vote_close(vote_id: str, province: Province, token: Token,
               url: Url = None, lang: Lang = "vi", closed_on: Day = None) -> None:
    """Close the vote and publish the tally (bloc secretariat), on the day of the count (default: today)."""
    _post(province, f"/votes/{vote_id}/closing", {"closed_on": closed_on} if closed_on else {}, token, url, lang)


@vote_app.command("show")
def vote_show(vote_id: str, province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """A vote: candidates, who voted (never what), and the tally once closed."""
    _get(province, f"/votes/{vote_id}", token, url, lang)


@awards_app.command("propose")
def propose(proposal_id: str, unit_id: str, year: int, award_code: str, province: Province, token: Token,
            url: Url = None, lang: Lang = "vi", bloc: Annotated[str | None, typer.Option()] = None,
            vote: Annotated[str | None, typer.Option()] = None, filed_on: Day = None,
            document: Documents = None) -> None:
    """Propose a unit for an award form (its bloc secretariat with the vote, or the province)."""
    _post(province, "/proposals", {"proposal_id": proposal_id, "unit_id": unit_id, "year": year,
                                   "award_code": award_code, "bloc_id": bloc, "vote_id": vote, "filed_on": filed_on,
                                   "documents": _documents(document)}, token, url, lang)


@awards_app.command("return")
def return_(proposal_id: str, reason: Annotated[str, typer.Option()], province: Province, token: Token,
            url: Url = None, lang: Lang = "vi",
            missing: Annotated[list[str] | None, typer.Option(help="a document to add")] = None,
            on: Day = None) -> None:
    """Return a dossier for completion; the rulebook's missing documents are named with yours."""
    _post(province, f"/proposals/{proposal_id}/return", {"reason": reason, "missing": missing or [],
                                                          "returned_on": on}, token, url, lang)


@awards_app.command("resubmit")
def resubmit(proposal_id: str, province: Province, token: Token, url: Url = None, lang: Lang = "vi",
             document: Documents = None, on: Day = None) -> None:
    """Resubmit a returned dossier with the documents it lacked."""
    _post(province, f"/proposals/{proposal_id}/resubmission", {"documents": _documents(document),
                                                                "resubmitted_on": on}, token, url, lang)


@awards_app.command("council")
def council(proposal_id: str, province: Province, token: Token,
            members: Annotated[int, typer.Option()], present: Annotated[int, typer.Option()],
            approve: Annotated[int, typer.Option()], reject: Annotated[int, typer.Option()],
            held_on: Annotated[str, typer.Option(help="YYYY-MM-DD")],
            written: Annotated[int, typer.Option(help="written votes of members not present")] = 0,
            url: Url = None, lang: Lang = "vi") -> None:
    """Record the provincial council's vote on a proposal."""
    _post(province, f"/proposals/{proposal_id}/council-votes", {
        "members": members, "present": present, "approve": approve, "reject": reject, "written_votes": written,
        "held_on": held_on}, token, url, lang)


@awards_app.command("forward")
def forward(proposal_id: str, dossier_ref: Annotated[str, typer.Option()],
            on: Annotated[str, typer.Option(help="YYYY-MM-DD")], province: Province, token: Token,
            url: Url = None, lang: Lang = "vi") -> None:
    """Forward an approved Government-flag dossier to the central level."""
    _post(province, f"/proposals/{proposal_id}/forwarding", {"dossier_ref": dossier_ref, "forwarded_on": on},
          token, url, lang)


@awards_app.command("decide")
def decide(proposal_id: str, decision_no: Annotated[str, typer.Option()],
           on: Annotated[str, typer.Option(help="YYYY-MM-DD")], province: Province, token: Token,
           url: Url = None, lang: Lang = "vi", authority: Annotated[str | None, typer.Option()] = None) -> None:
    """Record the decision; the rule version in force on its date is recorded with it."""
    _post(province, f"/proposals/{proposal_id}/decision", {"decision_no": decision_no, "decided_on": on,
                                                            "authority": authority}, token, url, lang)


@awards_app.command("reject")
def reject(proposal_id: str, reason: Annotated[str, typer.Option()], province: Province, token: Token,
           url: Url = None, lang: Lang = "vi", by: Annotated[str, typer.Option(help="province or central")]
           = "province", on: Day = None) -> None:
    """Reject a proposal with the reason."""
    _post(province, f"/proposals/{proposal_id}/rejection", {"reason": reason, "by": by, "rejected_on": on},
          token, url, lang)


@awards_app.command("revoke")
def revoke(proposal_id: str, decision_no: Annotated[str, typer.Option()], reason: Annotated[str, typer.Option()],
           on: Annotated[str, typer.Option(help="YYYY-MM-DD")],
           ground: Annotated[str, typer.Option(help="point a, b, c or d of Law 2022 art. 93 cl. 2")],
           province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """Revoke a decided award by decision, on a ground of the Law; the money and the artefact are recovered."""
    _post(province, f"/proposals/{proposal_id}/revocation", {"decision_no": decision_no, "reason": reason,
                                                              "revoked_on": on, "ground": ground}, token, url, lang)


def _freeze(path: str, province: str, token: str, url: str | None, lang: str, unit: str | None,
            proposal: str | None, reason: str, ref: str, on: str | None) -> None:
    if (unit is None) == (proposal is None):
        raise typer.BadParameter("give either --unit or --proposal")
    _post(province, path, {"unit_id": unit, "proposal_id": proposal, "reason": reason, "ref": ref, "on": on},
          token, url, lang)


@awards_app.command("freeze")
def freeze(reason: Annotated[str, typer.Option()], ref: Annotated[str, typer.Option(help="the case's reference")],
           province: Province, token: Token, url: Url = None, lang: Lang = "vi",
           unit: Annotated[str | None, typer.Option()] = None, proposal: Annotated[str | None, typer.Option()] = None,
           on: Day = None) -> None:
    """Freeze a unit's awards or one proposal while discipline, an inspection or a complaint is pending."""
    _freeze("/freezes", province, token, url, lang, unit, proposal, reason, ref, on)


@awards_app.command("unfreeze")
def unfreeze(reason: Annotated[str, typer.Option()], ref: Annotated[str, typer.Option()], province: Province,
             token: Token, url: Url = None, lang: Lang = "vi", unit: Annotated[str | None, typer.Option()] = None,
             proposal: Annotated[str | None, typer.Option()] = None, on: Day = None) -> None:
    """Lift a freeze by its reference."""
    _freeze("/freezes/lifting", province, token, url, lang, unit, proposal, reason, ref, on)


@awards_app.command("board")
def board(province: Province, token: Token, url: Url = None, lang: Lang = "vi",
          year: Annotated[int | None, typer.Option()] = None, state: Annotated[str | None, typer.Option()] = None,
          bloc: Annotated[str | None, typer.Option()] = None, form: Annotated[str | None, typer.Option()] = None,
          ) -> None:
    """The proposals board, with counts by state, bloc and form."""
    _get(province, "/proposals", token, url, lang, year=year, state=state, bloc_id=bloc, award_code=form)


@awards_app.command("proposal")
def proposal(proposal_id: str, province: Province, token: Token, url: Url = None, lang: Lang = "vi",
             explain: Annotated[bool, typer.Option(help="why: ranking, vote, rules and every step")] = False) -> None:
    """One proposal as it stands, or (--explain) the whole trail from ranking to decision."""
    _get(province, f"/proposals/{proposal_id}" + ("/explanation" if explain else ""), token, url, lang)


@awards_app.command("history")
def history(unit_id: str, province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """A unit's awards across the years, its merged predecessors' included."""
    _get(province, f"/units/{unit_id}/awards", token, url, lang)


@awards_app.command("rate")
def rate(unit_id: str, year: int,
         rating: Annotated[str, typer.Option(help="excellent (hoàn thành xuất sắc), good (tốt), completed (hoàn thành) "
                                                  "or not_completed (không hoàn thành nhiệm vụ)")],
         ref: Annotated[str, typer.Option(help="the document that rates the unit")],
         province: Province, token: Token, url: Url = None, lang: Lang = "vi", on: Day = None) -> None:
    """Record a unit's yearly quality rating (xếp loại chất lượng)."""
    call("awards", "PUT", _path(province, f"/units/{unit_id}/years/{year}/quality-rating"),
         {key: value for key, value in {"rating": rating, "ref": ref, "rated_on": on}.items() if value is not None},
         token, url, lang)


@awards_app.command("attest")
def attest(unit_id: str, year: int,
           fact: Annotated[str, typer.Option(help="internal_unity, party_excellent, new_models or member_titles")],
           ref: Annotated[str, typer.Option(help="the document that attests it")],
           province: Province, token: Token, url: Url = None, lang: Lang = "vi", on: Day = None,
           note: Annotated[str | None, typer.Option()] = None) -> None:
    """Record a standard of a unit's year as a fact, with the document that attests it."""
    _post(province, f"/units/{unit_id}/years/{year}/attestations",
          {"fact": fact, "ref": ref, "attested_on": on, "note": note}, token, url, lang)


@awards_app.command("standing")
def standing(unit_id: str, year: int, province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """A unit's quality rating and attested standards of a year, with their history."""
    _get(province, f"/units/{unit_id}/years/{year}/standing", token, url, lang)


@awards_app.command("import-ratings")
def import_ratings(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                                        help="XLSX or CSV: unit, year, rating, ref, rated_on")],
                   province: Province, token: Token, url: Url = None, lang: Lang = "vi") -> None:
    """Record the yearly quality ratings of many units from a table: every row, or none and each problem named."""
    base = url or os.environ.get("THIDUA_AWARDS_URL")
    if not base:
        raise typer.BadParameter("give --url or set THIDUA_AWARDS_URL")
    kind = XLSX if file.suffix.lower() == ".xlsx" else "text/csv"

    async def upload() -> Any:
        api = Api(base, token, lang)
        try:
            return await api.upload(_path(province, "/quality-ratings/imports"), file.read_bytes(), kind)
        finally:
            await api.close()

    try:
        answer = asyncio.run(upload())
    except ServiceError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    recorded = len(answer["events"])
    typer.echo(f"Đã ghi {recorded} xếp loại." if lang == "vi" else f"{recorded} ratings recorded.")
