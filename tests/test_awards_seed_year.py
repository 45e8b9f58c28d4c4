"""A province of five blocs through the year's end on the real broker, under the rules the review settled.

The bloc of Hà Nam's Party boards (the seed) and four other blocs review 2023: the registry's members, the
targets' results and the ranking from scoring, the standards attested in awards. Each bloc honours its
leaders by vote; one leader's unity is found wanting after the vote and it no longer meets the provincial
flag's standard, so the
Government flag's quota counts five qualifying leaders of six. A tie at the certificates' last place goes to
a second round. The council and the deciders decide, one form per unit. A revoked provincial flag flags the
Government flag whose quota counted its unit.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from docx import Document

from awards.bootstrap import create_app as awards_app
from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.testing import ApiUnderTest, running_service, within

PARTY_BLOC = "khoi-ban-dang"
SCORES = {"van-phong": 95, "ban-to-chuc": 94, "ubkt": 91, "du-khoi-doanh-nghiep": 88, "ban-tuyen-giao": 86,
          "du-khoi-co-quan": 85, "ban-noi-chinh": 84, "ban-dan-van": 82}
NAMES = {"van-phong": "Văn phòng Tỉnh ủy", "ban-to-chuc": "Ban Tổ chức Tỉnh ủy", "ubkt": "Ủy ban Kiểm tra Tỉnh ủy",
         "du-khoi-doanh-nghiep": "Đảng ủy Khối Doanh nghiệp tỉnh", "ban-tuyen-giao": "Ban Tuyên giáo Tỉnh ủy",
         "du-khoi-co-quan": "Đảng ủy Khối các cơ quan tỉnh", "ban-noi-chinh": "Ban Nội chính Tỉnh ủy",
         "ban-dan-van": "Ban Dân vận Tỉnh ủy", "so-van-hoa": "Sở Văn hóa, Thể thao và Du lịch"}
OTHER_BLOCS = {"khoi-noi-chinh": ("cong-an-tinh", "toa-an", "vien-kiem-sat"),
               "khoi-van-xa": ("so-giao-duc", "so-y-te", "so-van-hoa"),
               "khoi-kinh-te": ("so-tai-chinh", "so-cong-thuong", "so-xay-dung"),
               "khoi-huyen": ("ubnd-phu-ly", "ubnd-duy-tien", "ubnd-kim-bang")}
DISUNITED = "ubnd-phu-ly"
"""The leader of the districts' bloc: honoured by its bloc; its unity's attestation was withdrawn after the vote."""
LEADERS = ["van-phong", "ban-to-chuc", *(units[0] for units in OTHER_BLOCS.values())]
DOCUMENTS = [{"kind": "submission", "ref": "TTr 01/TTr-KTĐ"}, {"kind": "achievement_report", "ref": "BC 02/BC-KTĐ"}]
MINUTES = {"kind": "vote_minutes", "ref": "BB 03/BB-KTĐ"}


@dataclass
class Province:
    awards: ApiUnderTest
    admin: httpx.AsyncClient

    @property
    def base(self) -> str:
        return self.awards.base

    async def vote(self, vote_id: str, bloc_id: str, award_code: str, ballots: dict[str, list[str]],
                   candidates: list[str] | None = None, **opening: Any) -> dict[str, Any]:
        async with self.awards.client(await self.awards.token("bloc_secretary", bloc_id=bloc_id),
                                      language="en") as secretary:
            opened = await secretary.post(f"{self.base}/votes", json={
                "vote_id": vote_id, "bloc_id": bloc_id, "year": 2023, "award_code": award_code,
                "opened_on": "2024-01-03", **({"candidates": candidates} if candidates else {}), **opening})
            assert opened.status_code == 201, opened.text
            for voter, choices in ballots.items():
                async with self.awards.client(await self.awards.token("unit_officer", unit_id=voter)) as officer:
                    cast = await officer.post(f"{self.base}/votes/{vote_id}/ballots",
                                              json={"voter_unit_id": voter, "choices": choices})
                assert cast.status_code == 201, cast.text
            closed = await secretary.post(f"{self.base}/votes/{vote_id}/closing")
            assert closed.status_code == 201, closed.text
            tally: dict[str, Any] = (await secretary.get(f"{self.base}/votes/{vote_id}")).json()
        return tally

    async def propose(self, proposal_id: str, unit_id: str, award_code: str, bloc_id: str = PARTY_BLOC,
                      documents: list[dict[str, str]] | None = None) -> httpx.Response:
        return await self.admin.post(f"{self.base}/proposals", json={
            "proposal_id": proposal_id, "unit_id": unit_id, "year": 2023, "award_code": award_code,
            "bloc_id": bloc_id, "filed_on": "2024-01-05", "documents": DOCUMENTS if documents is None else documents})

    async def council(self, proposal_id: str, approve: int = 17) -> httpx.Response:
        return await self.admin.post(f"{self.base}/proposals/{proposal_id}/council-votes", json={
            "members": 20, "present": 18, "written_votes": 2, "approve": approve, "reject": 20 - approve,
            "held_on": "2024-02-05"})

    async def decide(self, proposal_id: str, number: str, on: str = "2024-02-20") -> httpx.Response:
        return await self.admin.post(f"{self.base}/proposals/{proposal_id}/decision",
                                     json={"decision_no": number, "decided_on": on})


async def _register(registry: ApiUnderTest) -> list[tuple[str, str]]:
    members = [(unit_id, PARTY_BLOC) for unit_id in SCORES]
    members += [(unit_id, bloc_id) for bloc_id, units in OTHER_BLOCS.items() for unit_id in units]
    async with registry.client(await registry.token("admin")) as http:
        for bloc_id in (PARTY_BLOC, *OTHER_BLOCS):
            await http.post(f"{registry.base}/blocs", json={"bloc_id": bloc_id, "name": f"Khối {bloc_id}",
                                                            "kind": "khoi", "decision_ref": "QĐ 1"})
        for unit_id, bloc_id in members:
            registered = await http.post(f"{registry.base}/units",
                                         json={"unit_id": unit_id, "name": NAMES.get(unit_id, unit_id)})
            assert registered.status_code == 201, registered.text
            joined = await http.post(f"{registry.base}/blocs/{bloc_id}/members", json={
                "unit_id": unit_id, "effective_on": "2023-01-01", "decision_ref": "QĐ 2"})
            assert joined.status_code == 201, joined.text
    return members


async def _score(scoring: ApiUnderTest) -> None:
    """Every bloc's leaders register two targets and record their results; then the final scores and the
    rankings are published."""
    base = scoring.base
    blocs = {PARTY_BLOC: SCORES, **{bloc_id: dict(zip(units, (90, 85, 80), strict=True))
                                    for bloc_id, units in OTHER_BLOCS.items()}}
    async with scoring.client(await scoring.token("admin")) as http:
        async def scoring_knows_every_member() -> bool:
            for bloc_id, totals in blocs.items():
                board = (await http.get(f"{base}/blocs/{bloc_id}/years/2023/scoreboard")).json()
                if len(board.get("members", [])) != len(totals):
                    return False
            return True

        await within(30, scoring_knows_every_member)
        for bloc_id, totals in blocs.items():
            for unit_id in LEADERS:
                if unit_id not in totals:
                    continue
                targets = await http.post(f"{base}/blocs/{bloc_id}/years/2023/targets", json={
                    "unit_id": unit_id, "targets": [{"code": "CT1", "text": "Hoàn thành chương trình công tác"},
                                                    {"code": "CT2", "text": "Giải quyết đơn thư", "measure": "hồ sơ"}]})
                assert targets.status_code == 201, targets.text
                results = await http.post(f"{base}/blocs/{bloc_id}/years/2023/target-results", json={
                    "unit_id": unit_id, "recorded_on": "2023-12-20", "results": [
                        {"code": "CT1", "attained": True},
                        {"code": "CT2", "attained": True, "achieved": 130, "planned": 120}]})
                assert results.status_code == 201, results.text
            for unit_id, total in totals.items():
                scored = await http.post(f"{base}/blocs/{bloc_id}/years/2023/scores",
                                         json={"unit_id": unit_id, "breakdown": {"C1": total}})
                assert scored.status_code == 201, scored.text
            published = await http.post(f"{base}/blocs/{bloc_id}/years/2023/ranking", json={})
            assert published.status_code == 201, published.text


@pytest.fixture
async def province(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[Province]:
    """Registry, scoring and awards of one province, its five blocs' 2023 rankings published, the leaders'
    unity and Party organisations attested."""
    async with running_service(awards_app, tmp_path / "awards", kafka_bootstrap) as awards, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, awards.province) as registry, \
            running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap, awards.province) as scoring:
        members = await _register(registry)
        await _score(scoring)
        async with awards.client(await awards.token("admin"), language="en") as admin:
            base = awards.base

            async def awards_knows_rankings_and_results() -> bool:
                ranked = [row for row in (await admin.get(f"{base}/scores")).json() if row["rank"] is not None]
                units = (await admin.get(f"{base}/units")).json()
                verdict = (await admin.get(f"{base}/eligibility", params={
                    "unit_id": LEADERS[-1], "year": 2023, "award_code": "PROV_FLAG"})).json()
                targets = next(check for check in verdict["checks"] if check["rule"] == "exceeded_targets")
                return len(ranked) == len(members) and len(units) == len(members) and targets["ok"]

            await within(30, awards_knows_rankings_and_results)
            for unit_id in LEADERS:
                for fact in ("internal_unity", "party_excellent"):
                    attested = await admin.post(f"{base}/units/{unit_id}/years/2023/attestations", json={
                        "fact": fact, "ref": "BB 05/BB-KTĐ", "attested_on": "2024-01-03"})
                    assert attested.status_code == 201, attested.text
            yield Province(awards, admin)


async def test_five_blocs_honour_their_leaders_and_the_government_flags_quota_counts_the_qualifying_ones(
        province: Province) -> None:
    base, admin = province.base, province.admin
    party = list(SCORES)

    # The Party boards' bloc: the Government flag's candidates lead the ranking and meet the provincial
    # flag's standard, judged from the facts (no provincial flag was given).
    candidates = (await admin.get(f"{base}/blocs/{PARTY_BLOC}/years/2023/candidates",
                                  params={"award_code": "GOV_FLAG"})).json()
    assert candidates["eligible"] == ["ban-to-chuc", "van-phong"]
    assert candidates["rule_version"] == "VN-98-2023"
    ubkt = next(member for member in candidates["members"] if member["unit_id"] == "ubkt")
    [standard] = [check for check in ubkt["checks"] if check["rule"] == "meets_form_standard"]
    words = "Does not meet the Cờ thi đua của UBND tỉnh standard for 2023: exceeded its targets"
    assert words in standard["message"], "verdicts name forms and rules in words"
    gov_vote = await province.vote("v-gov", PARTY_BLOC, "GOV_FLAG", {unit: ["van-phong"] for unit in party},
                                   places=1)
    assert gov_vote["honoured"] == ["van-phong"]
    assert (await province.propose("p-gov", "van-phong", "GOV_FLAG")).status_code == 201

    # One achievement, one form: the next unit stands for the provincial flag.
    flag_vote = await province.vote("v-flag", PARTY_BLOC, "PROV_FLAG", {unit: ["ban-to-chuc"] for unit in party})
    assert flag_vote["candidates"] == ["ban-to-chuc"], "van-phong is proposed for the Government flag"
    assert flag_vote["honoured"] == ["ban-to-chuc"]
    both = await province.propose("p-flag-vp", "van-phong", "PROV_FLAG", documents=[*DOCUMENTS, MINUTES])
    assert both.status_code == 409
    held = "One achievement, one form: unit Văn phòng Tỉnh ủy already holds Cờ thi đua của Chính phủ (proposed)"
    assert held in both.json()["message"]
    assert (await province.propose("p-flag-btc", "ban-to-chuc", "PROV_FLAG",
                                   documents=[*DOCUMENTS, MINUTES])).status_code == 201

    # The other blocs honour their leaders; after the vote a complaint shows the districts' leader disunited.
    refused = await admin.post(f"{base}/votes", json={
        "vote_id": "v-third", "bloc_id": "khoi-van-xa", "year": 2023, "award_code": "PROV_FLAG",
        "opened_on": "2024-01-03", "candidates": ["so-van-hoa"]})
    assert refused.status_code == 409, "a candidate that is not eligible is refused when the vote opens"
    assert "Sở Văn hóa, Thể thao và Du lịch cannot stand for Cờ thi đua của UBND tỉnh of 2023" in refused.json()[
        "message"], "a refusal names the unit and the form as people call them"
    assert "Did not exceed its targets for 2023" in refused.json()["message"]
    for bloc_id, units in OTHER_BLOCS.items():
        tally = await province.vote(f"v-flag-{bloc_id}", bloc_id, "PROV_FLAG", {unit: [units[0]] for unit in units},
                                    candidates=[units[0]])
        assert tally["honoured"] == [units[0]]
    withdrawn = await admin.post(f"{base}/units/{DISUNITED}/years/2023/attestations/withdrawal", json={
        "fact": "internal_unity", "reason": "Kết luận giải quyết khiếu nại số 12/KL-TTr", "withdrawn_on": "2024-01-04"})
    assert withdrawn.status_code == 201, withdrawn.text
    disunited = await province.propose("p-flag-pl", DISUNITED, "PROV_FLAG", "khoi-huyen", [*DOCUMENTS, MINUTES])
    assert disunited.status_code == 409
    assert "No attestation of internal unity for 2023" in disunited.json()["message"]
    for bloc_id in ("khoi-noi-chinh", "khoi-van-xa"):
        leader = OTHER_BLOCS[bloc_id][0]
        assert (await province.propose(f"p-flag-{leader}", leader, "PROV_FLAG", bloc_id,
                                       [*DOCUMENTS, MINUTES])).status_code == 201

    # A tie at the certificates' last place goes to a second round among the tied.
    merit_vote = await province.vote("v-merit", PARTY_BLOC, "PROV_MERIT", {
        "van-phong": ["ubkt", "du-khoi-doanh-nghiep"], "ban-to-chuc": ["ubkt", "ban-tuyen-giao"],
        "ubkt": ["du-khoi-doanh-nghiep", "ban-tuyen-giao"], "du-khoi-doanh-nghiep": ["ubkt", "ban-tuyen-giao"],
        "ban-tuyen-giao": ["ubkt", "du-khoi-doanh-nghiep"], "du-khoi-co-quan": ["ubkt", "ban-tuyen-giao"],
        "ban-noi-chinh": ["ubkt", "du-khoi-doanh-nghiep"], "ban-dan-van": ["du-khoi-doanh-nghiep", "ban-tuyen-giao"]},
        candidates=["ubkt", "du-khoi-doanh-nghiep", "ban-tuyen-giao"], places=2)
    assert merit_vote["honoured"] == ["ubkt"]
    assert (merit_vote["tied"], merit_vote["places_left"]) == (["ban-tuyen-giao", "du-khoi-doanh-nghiep"], 1)
    runoff = await province.vote("v-merit-2", PARTY_BLOC, "PROV_MERIT", {
        unit: ["du-khoi-doanh-nghiep"] if index < 5 else ["ban-tuyen-giao"] for index, unit in enumerate(party)},
        runoff_of="v-merit")
    assert runoff["candidates"] == ["ban-tuyen-giao", "du-khoi-doanh-nghiep"]
    assert runoff["honoured"] == ["du-khoi-doanh-nghiep"]
    for unit_id in ("ubkt", "du-khoi-doanh-nghiep"):
        assert (await province.propose(f"p-merit-{unit_id}", unit_id, "PROV_MERIT")).status_code == 201

    # The council, the Chairman's decisions, the forwarding within the quota.
    for proposal_id in ("p-gov", "p-flag-btc", "p-flag-cong-an-tinh", "p-flag-so-giao-duc", "p-merit-ubkt",
                        "p-merit-du-khoi-doanh-nghiep"):
        assert (await province.council(proposal_id)).status_code == 201
    for proposal_id, number in (("p-flag-btc", "300/QĐ-UBND"), ("p-flag-cong-an-tinh", "301/QĐ-UBND"),
                                ("p-flag-so-giao-duc", "302/QĐ-UBND"), ("p-merit-ubkt", "303/QĐ-UBND"),
                                ("p-merit-du-khoi-doanh-nghiep", "304/QĐ-UBND")):
        decided = await province.decide(proposal_id, number)
        assert decided.status_code == 201, decided.text
    forwarded = await admin.post(f"{base}/proposals/p-gov/forwarding", json={
        "dossier_ref": "TTr 45/TTr-UBND", "forwarded_on": "2024-03-01",
        "documents": [{"kind": "council_minutes", "ref": "BB 07/BB-HĐTĐKT"}]})
    assert forwarded.status_code == 201, forwarded.text
    [forwarding] = [step for step in (await admin.get(f"{base}/proposals/p-gov/explanation")).json()["steps"]
                    if step["event_type"] == "ForwardedToCentral"]
    [quota] = [check for check in forwarding["checks"] if check["rule"] == "quota_leaders"]
    assert quota["message"] == (
        "Within the quota: 0 of 1 Cờ thi đua của Chính phủ for 2023 (20% of the 5 collectives honoured as bloc "
        "leaders that meet the Cờ thi đua của UBND tỉnh standard: Ban Tổ chức Tỉnh ủy, cong-an-tinh, so-giao-duc, "
        "so-tai-chinh, Văn phòng Tỉnh ủy; not meeting it: ubnd-phu-ly (attested)).")
    assert quota["citation"] == "Decree 98/2023/NĐ-CP (the Government flag's standard)"
    assert (await province.decide("p-gov", "500/QĐ-TTg", on="2024-05-10")).status_code == 201

    # A provincial flag revoked: the Government flag whose quota counted its unit is flagged for review.
    revoked = await admin.post(f"{base}/proposals/p-flag-cong-an-tinh/revocation", json={
        "decision_no": "99/QĐ-UBND", "reason": "Kê khai không trung thực", "revoked_on": "2025-03-01", "ground": "a"})
    assert revoked.status_code == 201, revoked.text
    assert [event["event_type"] for event in revoked.json()["events"]] == ["AwardRevoked", "AwardFlagged"]

    async def flag_shown() -> bool:
        return bool((await admin.get(f"{base}/proposals/p-gov")).json().get("flags"))

    await within(60, flag_shown)
    [flag] = (await admin.get(f"{base}/proposals/p-gov")).json()["flags"]
    assert (flag["rests_on"], flag["ground"], flag["revocation_no"]) == (
        "p-flag-cong-an-tinh", "quota_leader", "99/QĐ-UBND")

    board = (await admin.get(f"{base}/proposals", params={"year": 2023})).json()
    forms = {row["unit_id"]: row["award_code"] for row in board["proposals"] if row["state"] in ("decided", "revoked")}
    assert forms == {"van-phong": "GOV_FLAG", "ban-to-chuc": "PROV_FLAG", "cong-an-tinh": "PROV_FLAG",
                     "so-giao-duc": "PROV_FLAG", "ubkt": "PROV_MERIT", "du-khoi-doanh-nghiep": "PROV_MERIT"}, \
        "each unit one form"
    decisions = {row["proposal_id"]: row["decision"] for row in board["proposals"] if row["decision"]}
    assert decisions["p-gov"]["authority"] == "Thủ tướng Chính phủ"
    assert decisions["p-gov"]["rule_version"] == "VN-98-2023"
    assert decisions["p-gov"]["reward_vnd"] == 21_600_000, "12 times the base salary of 10/05/2024"

    # The papers the province signs, generated from what was recorded.
    minutes = await _paper(admin, f"{base}/votes/v-merit/minutes.docx")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in minutes
    assert "Ủy ban Kiểm tra Tỉnh ủy" in minutes
    assert "Đảng ủy Khối Doanh nghiệp tỉnh" in minutes
    assert "Bằng khen của Chủ tịch UBND tỉnh" in minutes
    assert "v-merit" not in minutes.replace("v-merit-2", ""), "papers name things, never by their ids"
    rows = [line for line in minutes.splitlines() if line.strip()]
    assert "6" in rows[rows.index("Ủy ban Kiểm tra Tỉnh ủy") + 1], "ubkt's six votes of eight"
    decision = await _paper(admin, f"{base}/papers/decision.docx", year=2023, award_code="PROV_FLAG",
                            decision_no="300/QĐ-UBND")
    assert "300/QĐ-UBND" in decision
    assert "Ban Tổ chức Tỉnh ủy" in decision
    assert "Cờ thi đua của UBND tỉnh" in decision
    council = await _paper(admin, f"{base}/papers/council-minutes.docx", year=2023)
    assert "Văn phòng Tỉnh ủy" in council
    assert "17" in council
    listed = await _paper(admin, f"{base}/papers/proposals.docx", year=2023)
    assert all(NAMES[unit_id] in listed for unit_id in ("van-phong", "ban-to-chuc", "ubkt", "du-khoi-doanh-nghiep"))


async def _paper(admin: httpx.AsyncClient, url: str, **params: Any) -> str:
    """A generated paper's text: its paragraphs, then its tables' cells, one per line."""
    answer = await admin.get(url, params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    document = Document(io.BytesIO(answer.content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)
