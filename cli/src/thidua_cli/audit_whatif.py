"""``thidua audit what-if BLOC YEAR --rulebook VERSION``: the bloc-year's proposals judged again under another
rulebook version, from the logs, changing nothing; the verdicts that would differ, rule by rule with citations.

The awards service judges (``GET .../blocs/{bloc}/years/{year}/what-if``); this command prints its answer for
people (units, forms and the bloc by their names) or, with ``--json``, as it came.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Annotated, Any

import typer

from thidua_cli.client import Api, ServiceError

WORDS = {
    "vi": {"title": "{bloc} — năm {year}: {count} hồ sơ đề nghị xét lại theo bộ quy tắc {version}",
           "proposal": "{unit} — {form} (hồ sơ {proposal_id})",
           "verdicts": "  theo {applied} (đã áp dụng): {before}; theo {version}: {after}",
           "eligible": "đủ điều kiện", "ineligible": "không đủ điều kiện", "no_form": "không có hình thức này",
           "same": "  không khác", "met": "đạt", "unmet": "không đạt", "absent": "không có quy tắc này",
           "side": "    {version}: {outcome} — {message} ({citation})",
           "recited": "  {count} quy tắc cho cùng kết quả nhưng dẫn căn cứ khác:",
           "recited_rule": "    {rule}: {before} → {after}",
           "summary": "{differing}/{count} hồ sơ sẽ có kết quả khác theo {version}."},
    "en": {"title": "{bloc} — {year}: {count} proposals judged again under rulebook {version}",
           "proposal": "{unit} — {form} (proposal {proposal_id})",
           "verdicts": "  under {applied} (applied): {before}; under {version}: {after}",
           "eligible": "eligible", "ineligible": "not eligible", "no_form": "no such form",
           "same": "  no difference", "met": "met", "unmet": "not met", "absent": "no such rule",
           "side": "    {version}: {outcome} — {message} ({citation})",
           "recited": "  judged alike, cited otherwise ({count}):",
           "recited_rule": "    {rule}: {before} → {after}",
           "summary": "{differing} of {count} proposals would be judged otherwise under {version}."},
}


def _verdict(eligible: bool | None, words: dict[str, str]) -> str:
    return words["no_form"] if eligible is None else words["eligible"] if eligible else words["ineligible"]


def _side(version: str, side: dict[str, Any] | None, words: dict[str, str]) -> str:
    if side is None:
        return f"    {version}: {words['absent']}"
    return words["side"].format(version=version, outcome=words["met"] if side["ok"] else words["unmet"],
                                message=side["message"], citation=side["citation"])


def report_lines(answer: dict[str, Any], language: str) -> list[str]:
    """The what-if for people: each proposal by its unit's and form's names, both verdicts, and each rule that
    would differ with both outcomes and citations."""
    words = WORDS[language]
    version = answer["rulebook"]
    lines = [words["title"].format(bloc=answer["bloc_name"], year=answer["year"], count=len(answer["proposals"]),
                                   version=version)]
    for proposal in answer["proposals"]:
        lines += ["", words["proposal"].format(unit=proposal["unit_name"], form=proposal["award_name"],
                                               proposal_id=proposal["proposal_id"]),
                  words["verdicts"].format(applied=proposal["applied_version"], version=version,
                                           before=_verdict(proposal["eligible_applied"], words),
                                           after=_verdict(proposal["eligible_other"], words))]
        if not proposal["differs"]:
            lines.append(words["same"])
        for difference in proposal["differences"]:
            lines += [f"  • {difference['rule_name']}:",
                      _side(proposal["applied_version"], difference["applied"], words),
                      _side(version, difference["other"], words)]
        if proposal["recited"]:
            lines.append(words["recited"].format(count=len(proposal["recited"])))
            lines += [words["recited_rule"].format(rule=each["rule_name"], before=each["applied"]["citation"],
                                                   after=each["other"]["citation"]) for each in proposal["recited"]]
    lines += ["", words["summary"].format(differing=len(answer["differing"]), count=len(answer["proposals"]),
                                          version=version)]
    return lines


def what_if(
    bloc: Annotated[str, typer.Argument(help="the bloc, e.g. khoi-ban-dang")],
    year: Annotated[int, typer.Argument(help="the award year, e.g. 2023")],
    rulebook: Annotated[str, typer.Option(help="the rulebook version to judge by, e.g. VN-152-2025 "
                                               "(see `thidua awards rulebooks`)")],
    province: Annotated[str, typer.Option(help="the province audited, e.g. HNM")],
    token: Annotated[str, typer.Option(envvar="THIDUA_TOKEN", help="an auditor (or admin) token of the province")],
    url: Annotated[str | None, typer.Option(help="the awards service; default: THIDUA_AWARDS_URL")] = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
    as_json: Annotated[bool, typer.Option("--json", help="the service's answer as JSON, for machines")] = False,
) -> None:
    """What if another rulebook version had applied: each proposal of the bloc-year judged again from the same
    facts, the rules that would differ with both verdicts and citations. Records nothing."""
    base = url or os.environ.get("THIDUA_AWARDS_URL")
    if not base:
        raise typer.BadParameter("give --url or set THIDUA_AWARDS_URL")
    language = lang if lang in WORDS else "vi"

    async def ask() -> Any:
        api = Api(base, token, language)
        try:
            return await api.get(f"/provinces/{province.upper()}/blocs/{bloc}/years/{year}/what-if",
                                 rulebook=rulebook)
        finally:
            await api.close()

    try:
        answer = asyncio.run(ask())
    except ServiceError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    if as_json:
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    for line in report_lines(answer, language):
        typer.echo(line)
