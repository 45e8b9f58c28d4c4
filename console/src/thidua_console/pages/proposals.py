"""Award proposals and their dossiers: filed from a vote with their documents, returned and resubmitted, voted
on by the council, forwarded, decided, rejected or revoked; the board by year, bloc, form and state; and why
an award was given, step by step and rule by rule."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from thidua_console.pages.glance import years_with_scores
from thidua_console.pages.registry import paged, steps_of
from thidua_console.pages.votes import form_names, unit_names
from thidua_console.services import Refused
from thidua_console.web import Signed, flash, go, render
from thidua_shared.clock import province_today

router = APIRouter(prefix="/proposals")
STATES = ("proposed", "returned", "approved", "forwarded", "decided", "rejected", "revoked")
DOCUMENTS = ("submission", "achievement_report", "vote_minutes", "council_minutes")
GROUNDS = ("a", "b", "c", "d")
ACTIONS: dict[str, tuple[str, ...]] = {
    # what may be done next, by the proposal's state
    "proposed": ("council", "return", "reject"),
    "returned": ("resubmit", "reject"),
    "approved": ("forward", "decide", "reject"),
    "forwarded": ("decide", "reject"),
    "decided": ("revoke",),
}
SECRETARIAT_ACTIONS = ("resubmit",)
FREEZABLE = ("proposed", "returned", "approved", "forwarded")
"""A proposal under review may be frozen while a discipline, inspection or complaint is pending."""
FREEZES = {"freeze": "/freezes", "unfreeze": "/freezes/lifting"}


async def _books(page: Signed) -> dict[str, Any]:
    """The award forms of every rulebook: their names, who decides them, the documents their dossiers need."""
    books = await page.services.get("awards", "/rulebooks")
    forms: dict[str, Any] = {}
    for book in books["versions"]:
        for form in book["forms"]:
            forms.setdefault(form["code"], form)
    return forms


@router.get("", response_class=HTMLResponse)
async def board(page: Annotated[Signed, Depends()], year: int | None = None, bloc_id: str = "",
                award_code: str = "", state: str = "", p: Annotated[int, Query(ge=1)] = 1) -> Response:
    services = page.services
    years = await years_with_scores(services)
    chosen = year or (years[0] if years else province_today().year)
    listed, forms, units, blocs = await asyncio.gather(
        services.get("awards", "/proposals", year=chosen, bloc_id=bloc_id or None, award_code=award_code or None,
                     state=state or None),
        form_names(services), unit_names(services), services.get("registry", "/blocs"))
    shown, number, pages = paged(listed["proposals"], p)
    return render(page.request, "proposals.html", proposals=shown, page=number, pages=pages, year=chosen,
                  years=sorted({*years, chosen, province_today().year}, reverse=True), forms=forms, units=units,
                  blocs=blocs, bloc_names={bloc["bloc_id"]: bloc["name"] for bloc in blocs}, states=STATES,
                  chosen={"bloc_id": bloc_id, "award_code": award_code, "state": state},
                  by_state=listed.get("by_state", {}))


def _may_file(page: Signed, bloc_id: str) -> bool:
    person = page.person
    return person.role == "admin" or (person.role == "bloc_secretary" and person.bloc_id == bloc_id)


@router.get("/new", response_class=HTMLResponse)
async def new_proposals(page: Annotated[Signed, Depends()], vote_id: str) -> Response:
    return await _new_page(page, vote_id)


async def _new_page(page: Signed, vote_id: str, status: int = 200, errors: dict[str, str] | None = None,
                    values: dict[str, str] | None = None) -> Response:
    services = page.services
    vote, forms, units = await asyncio.gather(services.get("awards", f"/votes/{vote_id}"), _books(page),
                                              unit_names(services))
    if not _may_file(page, vote["bloc_id"]):
        raise HTTPException(403, "error.secretariat_only")
    filed = await services.get("awards", "/proposals", year=vote["year"], bloc_id=vote["bloc_id"],
                               award_code=vote["award_code"])
    already = {proposal["unit_id"] for proposal in filed["proposals"] if proposal["state"] not in ("rejected",)}
    form = forms.get(vote["award_code"], {})
    needed = form.get("rules", {}).get("documents") or ["submission", "achievement_report"]
    return render(page.request, "proposal_new.html", status_code=status, vote=vote, form=form, units=units,
                  honoured=[unit_id for unit_id in vote.get("honoured") or [] if unit_id not in already],
                  needed=needed, errors=errors or {}, values=values or {}, today=province_today().isoformat())


@router.post("/new", response_class=HTMLResponse)
async def file_proposals(page: Annotated[Signed, Depends()], request: Request, vote_id: str) -> Response:
    """A proposal for each unit the vote honoured, with the dossier's documents (each kind with its number)."""
    services = page.services
    vote = await services.get("awards", f"/votes/{vote_id}")
    if not _may_file(page, vote["bloc_id"]):
        raise HTTPException(403, "error.secretariat_only")
    form = await request.form()
    values = {key: str(value) for key, value in form.items()}
    filed_on = values.get("filed_on") or province_today().isoformat()
    documents = [{"kind": kind, "ref": values[f"doc-{kind}"].strip()} for kind in DOCUMENTS
                 if values.get(f"doc-{kind}", "").strip()]
    chosen = [str(unit_id) for unit_id in form.getlist("units")]
    if not chosen:
        return await _new_page(page, vote_id, 422, {"units": page.t("proposals.choose_units"),
                                                    "form": page.t("form.fix")}, values)
    for unit_id in chosen:
        try:
            await services.post("awards", "/proposals", {
                "proposal_id": f"{vote_id}-{unit_id}", "unit_id": unit_id, "year": vote["year"],
                "award_code": vote["award_code"], "bloc_id": vote["bloc_id"], "vote_id": vote_id,
                "filed_on": filed_on, "documents": documents})
        except Refused as refused:
            return await _new_page(page, vote_id, refused.status, {"form": refused.message}, values)
    flash(page.request, page.t("proposals.filed", count=len(chosen)))
    return go(f"/proposals?year={vote['year']}&bloc_id={vote['bloc_id']}")


@router.get("/{proposal_id}", response_class=HTMLResponse)
async def proposal(page: Annotated[Signed, Depends()], proposal_id: str) -> Response:
    return await _proposal_page(page, proposal_id)


async def _proposal_page(page: Signed, proposal_id: str, status: int = 200,
                         errors: dict[str, str] | None = None, open_action: str = "") -> Response:
    services = page.services
    found, forms, units, history = await asyncio.gather(
        services.get("awards", f"/proposals/{proposal_id}"), _books(page), unit_names(services),
        services.get("awards", f"/proposals/{proposal_id}/history"))
    person = page.person
    actions = ACTIONS.get(found["state"], ())
    if person.role == "admin":
        allowed = list(actions)
    elif person.role == "bloc_secretary" and person.bloc_id == found["bloc_id"]:
        allowed = [action for action in actions if action in SECRETARIAT_ACTIONS]
    else:
        allowed = []
    frozen = []
    if person.role == "admin":
        frozen = [each for each in await services.get("awards", "/freezes")
                  if each.get("subject_id") == proposal_id and not each.get("unfrozen_on")]
        if frozen:
            allowed = ["unfreeze"]
        elif found["state"] in FREEZABLE:
            allowed = [*allowed, "freeze"]
    form = forms.get(found["award_code"], {})
    central = bool(form.get("rules", {}).get("central"))
    if found["state"] == "approved":
        allowed = [action for action in allowed if action != ("decide" if central else "forward")]
    steps = steps_of(list(reversed(history)), page.language)
    return render(page.request, "proposal.html", status_code=status, proposal=found, form=form, units=units,
                  allowed=allowed, history=steps, errors=errors or {}, open_action=open_action,
                  forward_documents=form.get("rules", {}).get("forward_documents") or [], frozen=frozen,
                  documents=DOCUMENTS, grounds=GROUNDS, today=province_today().isoformat())


ROUTES = {"council": "council-votes", "return": "return", "resubmit": "resubmission", "forward": "forwarding",
          "decide": "decision", "reject": "rejection", "revoke": "revocation"}


def _body(action: str, values: dict[str, str]) -> dict[str, Any]:
    """The service's command body from the action's form fields (numbers as numbers, documents as a list)."""
    documents = [{"kind": kind, "ref": values[f"doc-{kind}"].strip()} for kind in DOCUMENTS
                 if values.get(f"doc-{kind}", "").strip()]
    if action == "council":
        return {key: int(values.get(key) or 0) for key in ("members", "present", "approve", "reject", "written_votes")
                } | {"held_on": values.get("held_on", "")}
    if action == "return":
        return {"reason": values.get("reason", ""), "returned_on": values.get("on") or None,
                "missing": [kind for kind in DOCUMENTS if values.get(f"missing-{kind}")]}
    if action == "resubmit":
        return {"documents": documents, "resubmitted_on": values.get("on") or None}
    if action == "forward":
        return {"dossier_ref": values.get("dossier_ref", ""), "forwarded_on": values.get("on", ""),
                "documents": documents}
    if action == "decide":
        return {"decision_no": values.get("decision_no", ""), "decided_on": values.get("on", ""),
                **({"authority": values["authority"]} if values.get("authority") else {})}
    if action == "reject":
        return {"reason": values.get("reason", ""), "rejected_on": values.get("on") or None,
                "by": values.get("by") or "province"}
    return {"decision_no": values.get("decision_no", ""), "reason": values.get("reason", ""),
            "revoked_on": values.get("on", ""), "ground": values.get("ground", "")}


@router.post("/{proposal_id}/{action}", response_class=HTMLResponse)
async def act(page: Annotated[Signed, Depends()], request: Request, proposal_id: str, action: str) -> Response:
    if action not in ROUTES and action not in FREEZES:
        raise HTTPException(404)
    values = {key: str(value) for key, value in (await request.form()).items()}
    if action in FREEZES:
        if page.person.role != "admin":
            raise HTTPException(403)
        try:
            await page.services.post("awards", FREEZES[action], {
                "proposal_id": proposal_id, "reason": values.get("reason", ""), "ref": values.get("ref", ""),
                "on": values.get("on") or None})
        except Refused as refused:
            return await _proposal_page(page, proposal_id, refused.status, {"form": refused.message}, action)
        flash(page.request, page.t(f"proposals.done.{action}"))
        return go(f"/proposals/{proposal_id}")
    try:
        body = _body(action, values)
    except ValueError:
        return await _proposal_page(page, proposal_id, 422, {"form": page.t("scoring.not_a_number")}, action)
    try:
        await page.services.post("awards", f"/proposals/{proposal_id}/{ROUTES[action]}", body)
    except Refused as refused:
        return await _proposal_page(page, proposal_id, refused.status,
                                    {**refused.fields, "form": refused.message}, action)
    flash(page.request, page.t(f"proposals.done.{action}"))
    return go(f"/proposals/{proposal_id}")


@router.get("/{proposal_id}/why", response_class=HTMLResponse)
async def why(page: Annotated[Signed, Depends()], proposal_id: str) -> Response:
    services = page.services
    explained, forms, units, blocs = await asyncio.gather(
        services.get("awards", f"/proposals/{proposal_id}/explanation"), _books(page), unit_names(services),
        services.get("registry", "/blocs"))
    found = explained["proposal"]
    checked = next((step for step in reversed(explained["steps"]) if step.get("checks")), None)
    steps = steps_of(explained["steps"], page.language)
    return render(page.request, "proposal_why.html", explained=explained, proposal=found, units=units,
                  form=forms.get(found["award_code"], {}), checks=(checked or {}).get("checks", []), steps=steps,
                  bloc_name={bloc["bloc_id"]: bloc["name"] for bloc in blocs}.get(found["bloc_id"] or "", ""))
