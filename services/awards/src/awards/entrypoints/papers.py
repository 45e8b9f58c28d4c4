"""The papers of the dossier as Word files: the bloc's honouring-vote minutes, the submission, the list of
proposals, the council's minutes and the draft decision, made from what awards has recorded.

Read like the other read routes (any role of the province's tokens). Each answers a DOCX to open, check and
sign; the file's name is in ASCII, its Vietnamese words without their marks. ``on`` dates a paper (default:
today in Viet Nam); minutes are dated the day of the meeting (``held_on``: for a vote, by default the day it
closed; for the council, its latest session), a recorded decision its own day.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

import unicodedata
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from awards.adapters.docx_papers import DOCX, Paper, render
from awards.adapters.paper_facts import SqlPaperFacts
from awards.application import papers
from awards.entrypoints.common import FormQuery
from thidua_shared.auth import Principal
from thidua_shared.clock import province_today
from thidua_shared.downloads import content_disposition
from thidua_shared.params import DayQuery, IdPath, IdQuery, YearQuery
from thidua_shared.runtime import ServiceParts, caller_of, province_router

log = structlog.get_logger(__name__)

A_DOCX: dict[int | str, dict[str, Any]] = {200: {
    "description": "the paper, a Word file (DOCX) to check and sign",
    "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}}}}
DecisionNumber = Annotated[str, Query(min_length=1, max_length=200, description="e.g. 300/QĐ-UBND")]


def _slug(code: str) -> str:
    return code.lower().replace("_", "-")


def router(parts: ServiceParts) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    async def answer(kind: str, province: str, name: str,
                     compose: Callable[[SqlPaperFacts], Awaitable[Paper]]) -> Response:
        async with parts.engine.connect() as connection:
            paper = await compose(SqlPaperFacts(connection))
        content = await run_in_threadpool(render, paper)
        log.info("paper.rendered", kind=kind, province=province, file=name, size=len(content))
        return Response(content, media_type=DOCX, headers={"Content-Disposition": content_disposition(name)})

    @api.get("/votes/{vote_id}/minutes.docx", tags=["papers"], response_class=Response, responses=A_DOCX,
             summary="The bloc's minutes of a closed honouring vote (biên bản họp suy tôn): the tally, never "
                     "who voted for whom; dated held_on (default: the day it closed)")
    async def get_vote_minutes(province: str, vote_id: IdPath, caller: Caller,
                               held_on: DayQuery | None = None) -> Response:
        return await answer("vote_minutes", province, f"bien-ban-hop-suy-ton-{vote_id}.docx",
                            lambda facts: papers.minutes_of_vote(facts, province, vote_id, province_today(), held_on))

    @api.get("/papers/submission.docx", tags=["papers"], response_class=Response, responses=A_DOCX,
             summary="The submission (tờ trình) of a form's proposals: a bloc's to the council (bloc_id), or the "
                     "province's, of those the council passed, to whoever decides the form")
    async def get_submission(province: str, caller: Caller, year: YearQuery, award_code: FormQuery,
                             bloc_id: IdQuery | None = None, on: DayQuery | None = None) -> Response:
        name = f"to-trinh-{_slug(award_code)}-{year}{f'-{bloc_id}' if bloc_id else ''}.docx"
        return await answer("submission", province, name, lambda facts: papers.submission_of(
            facts, province, year, award_code, on or province_today(), bloc_id))

    @api.get("/papers/proposals.docx", tags=["papers"], response_class=Response, responses=A_DOCX,
             summary="The list of proposals (danh sách đề nghị) of a year, by form, with scores, ranks and where "
                     "each stands (decisions by number)")
    async def get_proposal_list(province: str, caller: Caller, year: YearQuery, award_code: FormQuery | None = None,
                                bloc_id: IdQuery | None = None, on: DayQuery | None = None) -> Response:
        name = "-".join(["danh-sach-de-nghi", str(year), *([_slug(award_code)] if award_code else []),
                         *([bloc_id] if bloc_id else [])]) + ".docx"
        return await answer("proposals", province, name, lambda facts: papers.list_of_proposals(
            facts, province, year, on or province_today(), award_code, bloc_id))

    @api.get("/papers/council-minutes.docx", tags=["papers"], response_class=Response, responses=A_DOCX,
             summary="The council's minutes (biên bản họp Hội đồng) of a session (default: its latest on the "
                     "year's proposals) from the council votes recorded")
    async def get_council_minutes(province: str, caller: Caller, year: YearQuery,
                                  award_code: FormQuery | None = None,
                                  held_on: DayQuery | None = None) -> Response:
        name = "-".join(["bien-ban-hop-hoi-dong", str(year), *([_slug(award_code)] if award_code else []),
                         *([f"{held_on:%Y%m%d}"] if held_on else [])]) + ".docx"
        return await answer("council_minutes", province, name, lambda facts: papers.minutes_of_council(
            facts, province, year, province_today(), award_code, held_on))

    @api.get("/papers/decision.docx", tags=["papers"], response_class=Response, responses=A_DOCX,
             summary="The draft decision (dự thảo quyết định) of a provincial form: the proposals the council "
                     "passed with their reward money, or a recorded decision by its number")
    async def get_draft_decision(province: str, caller: Caller, year: YearQuery, award_code: FormQuery,
                                 decision_no: DecisionNumber | None = None, on: DayQuery | None = None) -> Response:
        number = unicodedata.normalize("NFC", decision_no) if decision_no else None
        name = f"du-thao-quyet-dinh-{_slug(award_code)}-{year}.docx"
        return await answer("decision", province, name, lambda facts: papers.decision_draft(
            facts, province, year, award_code, on or province_today(), number))

    return api
