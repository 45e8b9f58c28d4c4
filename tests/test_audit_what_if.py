"""``thidua audit what-if`` over the whole system after the seed's year: the bloc's proposals judged again under
another rulebook version, from the logs, with an auditor's token, and nothing recorded.

The two national versions (Decree 98/2023 and Decree 152/2025) carry the same rules and differ in what they cite,
so they judge the seed alike; a province's own version in which only the first of a ranking leads its bloc (a
provincial choice: the national default counts the first three) would refuse the second of the ranking its flag.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from typer.testing import CliRunner

from thidua_cli import demo
from thidua_cli.main import _issue, app
from thidua_cli.system import LocalSystem

BLOC = "khoi-ban-dang"
SEED_PROPOSALS = {f"{BLOC}-2023-gov-flag", f"{BLOC}-2023-prov-flag", f"{BLOC}-2023-merit-ubkt",
                  f"{BLOC}-2023-merit-du-khoi-doanh-nghiep"}


def _first_only(national: dict[str, Any]) -> dict[str, Any]:
    """The province's own version: Decree 152/2025's forms, but only the first of a ranking leads its bloc."""
    forms = [{key: form[key] for key in ("code", "name", "decided_by", "rules")} for form in national["forms"]]
    for form in forms:
        for rule in form["rules"]["eligibility"]:
            if rule["rule"] == "leads_bloc":
                rule["places"] = 1
    return {"version": "HNM-FIRST", "effective_from": "2026-01-01", "legal_basis": ["QĐ 12/2025/QĐ-UBND"],
            "forms": forms}


async def _head(auditor: httpx.AsyncClient, base: str) -> tuple[int, str]:
    page = (await auditor.get(f"{base}/log", params={"after": 0, "limit": 1})).json()
    return int(page["head_position"]), str(page["head_hash"])


async def test_what_if_names_the_seeds_verdicts_another_rulebook_would_change_and_records_nothing(
        system: LocalSystem) -> None:
    admin_token, _ = await _issue(system.data_dir, "HNM", "admin", "e2e", None, None)
    auditor_token, _ = await _issue(system.data_dir, "HNM", "auditor", "e2e", None, None)
    officer_token, _ = await _issue(system.data_dir, "HNM", "unit_officer", "e2e", "ubkt", None)
    await demo.play(system, admin_token)
    base = f"{system.urls['awards']}/provinces/HNM"
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {admin_token}"}, timeout=30) as admin:
        versions = (await admin.get(f"{base}/rulebooks")).json()["versions"]
        national = {book["version"]: book for book in versions if not book["adopted_by_province"]}
        assert set(national) == {"VN-98-2023", "VN-152-2025"}
        adopted = await admin.post(f"{base}/rulebooks", json=_first_only(national["VN-152-2025"]))
        assert adopted.status_code == 201, adopted.text

    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {auditor_token}"}, timeout=30) as auditor:
        before = await _head(auditor, base)
        alike = (await auditor.get(f"{base}/blocs/{BLOC}/years/2023/what-if",
                                   params={"rulebook": "VN-152-2025"})).json()
        first_only = (await auditor.get(f"{base}/blocs/{BLOC}/years/2023/what-if",
                                        params={"rulebook": "HNM-FIRST"},
                                        headers={"Accept-Language": "en"})).json()
        unknown_version = await auditor.get(f"{base}/blocs/{BLOC}/years/2023/what-if",
                                            params={"rulebook": "VN-1-1999"}, headers={"Accept-Language": "en"})
        unknown_bloc = await auditor.get(f"{base}/blocs/khoi-khong-co/years/2023/what-if",
                                         params={"rulebook": "VN-152-2025"}, headers={"Accept-Language": "en"})
        no_year = await auditor.get(f"{base}/blocs/{BLOC}/years/2022/what-if",
                                    params={"rulebook": "VN-152-2025"}, headers={"Accept-Language": "en"})
        after_http = await _head(auditor, base)

    common = ["--province", "HNM", "--token", auditor_token, "--url", system.urls["awards"]]

    def thidua(*arguments: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["audit", "what-if", BLOC, "2023", *arguments, *common])
        return result.exit_code, result.output

    printed = await asyncio.to_thread(thidua, "--rulebook", "HNM-FIRST")
    printed_alike = await asyncio.to_thread(thidua, "--rulebook", "VN-152-2025", "--lang", "en")
    as_json = await asyncio.to_thread(thidua, "--rulebook", "HNM-FIRST", "--json")
    refused = await asyncio.to_thread(thidua, "--rulebook", "VN-1-1999", "--lang", "en")
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {officer_token}"}, timeout=30) as officer:
        forbidden = await officer.get(f"{base}/blocs/{BLOC}/years/2023/what-if", params={"rulebook": "VN-152-2025"})
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {auditor_token}"}, timeout=30) as auditor:
        after = await _head(auditor, base)

    assert {each["proposal_id"] for each in alike["proposals"]} == SEED_PROPOSALS
    assert {each["applied_version"] for each in alike["proposals"]} == {"VN-98-2023"}
    assert alike["differing"] == [], "the two decrees' versions carry the same rules: the seed is judged alike"
    assert all(each["recited"] for each in alike["proposals"]), "what they cite differs"
    frozen = next(each for each in alike["proposals"][0]["recited"] if each["rule"] == "not_frozen")
    assert frozen["other"]["citation"] == "khoản 4 Điều 4 Nghị định số 152/2025/NĐ-CP"

    assert first_only["differing"] == [f"{BLOC}-2023-prov-flag"]
    [flag] = [each for each in first_only["proposals"] if each["differs"]]
    assert (flag["unit_name"], flag["award_name"]) == ("Ban Tổ chức Tỉnh ủy", "Cờ thi đua của UBND tỉnh")
    assert (flag["eligible_applied"], flag["eligible_other"]) == (True, False)
    [leads] = flag["differences"]
    assert (leads["rule"], leads["rule_name"]) == ("leads_bloc", "leads its bloc")
    assert (leads["applied"]["ok"], leads["other"]["ok"]) == (True, False)
    assert "a provincial choice" in leads["other"]["citation"], "cited in the caller's language"
    assert leads["other"]["message"].startswith("Does not lead bloc Khối thi đua các Ban xây dựng Đảng"), \
        "blocs by their names"

    assert unknown_version.status_code == 404
    assert "VN-98-2023, VN-152-2025, HNM-FIRST" in unknown_version.json()["message"]
    assert unknown_bloc.status_code == 404
    assert "There is no emulation bloc" in unknown_bloc.json()["message"]
    assert no_year.status_code == 404
    assert "the years with proposals: 2023" in no_year.json()["message"]
    assert forbidden.status_code == 403

    assert printed[0] == 0, printed[1]
    assert "Ban Tổ chức Tỉnh ủy — Cờ thi đua của UBND tỉnh" in printed[1]
    assert "• dẫn đầu khối:" in printed[1]
    assert "HNM-FIRST: không đạt" in printed[1]
    assert "1/4 hồ sơ sẽ có kết quả khác theo HNM-FIRST." in printed[1]
    assert printed_alike[0] == 0, printed_alike[1]
    assert "0 of 4 proposals would be judged otherwise under VN-152-2025." in printed_alike[1]
    assert "khoản 4 Điều 4 Nghị định số 152/2025/NĐ-CP" not in printed_alike[1], "citations in English"
    assert json.loads(as_json[1])["differing"] == [f"{BLOC}-2023-prov-flag"]
    assert refused[0] == 2
    assert "no rulebook version VN-1-1999" in refused[1]

    assert before == after_http == after, "judging again appended nothing to the awards log"
