"""The seed's year end to end on the real broker: the bloc of Hà Nam's Party boards reviews 2023, votes
the Government's flag, the provincial flag and certificates of merit; the council and the deciders decide.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from awards.bootstrap import create_app as awards_app
from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.testing import ApiUnderTest, running_service, within

SCORES = {"van-phong": 95, "ban-to-chuc": 94, "ubkt": 91, "du-khoi-doanh-nghiep": 88, "ban-tuyen-giao": 86,
          "du-khoi-co-quan": 85, "ban-noi-chinh": 84, "ban-dan-van": 82}
OTHER_BLOCS = ("khoi-noi-chinh", "khoi-van-xa", "khoi-kinh-te", "khoi-doanh-nghiep")
DOCUMENTS = [{"kind": "submission", "ref": "TTr 01/KTĐ"}, {"kind": "achievement_report", "ref": "BC 02/KTĐ"}]


@dataclass
class Province:
    awards: ApiUnderTest
    admin: httpx.AsyncClient
    secretary: httpx.AsyncClient

    @property
    def base(self) -> str:
        return self.awards.base

    async def ballot(self, vote_id: str, voter: str, choices: list[str]) -> None:
        async with self.awards.client(await self.awards.token("unit_officer", unit_id=voter)) as http:
            cast = await http.post(f"{self.base}/votes/{vote_id}/ballots",
                                   json={"voter_unit_id": voter, "choices": choices})
        assert cast.status_code == 201, cast.text

    async def vote(self, vote_id: str, award_code: str, ballots: dict[str, list[str]],
                   candidates: list[str] | None = None) -> dict[str, Any]:
        opened = await self.secretary.post(f"{self.base}/votes", json={
            "vote_id": vote_id, "bloc_id": "khoi-ban-dang", "year": 2023, "award_code": award_code,
            "opened_on": "2024-01-03", **({"candidates": candidates} if candidates else {})})
        assert opened.status_code == 201, opened.text
        for voter, choices in ballots.items():
            await self.ballot(vote_id, voter, choices)
        closed = await self.secretary.post(f"{self.base}/votes/{vote_id}/closing")
        assert closed.status_code == 201, closed.text
        tally: dict[str, Any] = (await self.secretary.get(f"{self.base}/votes/{vote_id}")).json()
        return tally

    async def propose(self, proposal_id: str, unit_id: str, award_code: str,
                      documents: list[dict[str, str]]) -> httpx.Response:
        return await self.secretary.post(f"{self.base}/proposals", json={
            "proposal_id": proposal_id, "unit_id": unit_id, "year": 2023, "award_code": award_code,
            "bloc_id": "khoi-ban-dang", "filed_on": "2024-01-05", "documents": documents})

    async def council(self, proposal_id: str, approve: int, held_on: str = "2024-02-05") -> httpx.Response:
        return await self.admin.post(f"{self.base}/proposals/{proposal_id}/council-votes", json={
            "members": 20, "present": 18, "written_votes": 2, "approve": approve, "reject": 20 - approve,
            "held_on": held_on})


@pytest.fixture
async def province(tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[Province]:
    """Registry, scoring and awards of one province: the bloc's 2023 ranking published, four other blocs."""
    async with running_service(awards_app, tmp_path / "awards", kafka_bootstrap) as awards, \
            running_service(registry_app, tmp_path / "registry", kafka_bootstrap, awards.province) as registry, \
            running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap, awards.province) as scoring:
        base = awards.base
        async with registry.client(await registry.token("admin")) as http:
            for bloc_id in ("khoi-ban-dang", *OTHER_BLOCS):
                await http.post(f"{base}/blocs", json={"bloc_id": bloc_id, "name": bloc_id, "kind": "khoi",
                                                       "decision_ref": "QĐ 1"})
            members = [(unit_id, "khoi-ban-dang") for unit_id in SCORES]
            members += [(f"leader-of-{bloc_id}", bloc_id) for bloc_id in OTHER_BLOCS]
            for unit_id, bloc_id in members:
                assert (await http.post(f"{base}/units", json={"unit_id": unit_id, "name": unit_id})).status_code == 201
                joined = await http.post(f"{base}/blocs/{bloc_id}/members", json={
                    "unit_id": unit_id, "effective_on": "2023-01-01", "decision_ref": "QĐ 2"})
                assert joined.status_code == 201
        async with scoring.client(await scoring.token("admin")) as http:
            async def scoring_knows_the_members() -> bool:
                board = (await http.get(f"{base}/blocs/khoi-ban-dang/years/2023/scoreboard")).json()
                return len(board.get("members", [])) == len(SCORES)

            await within(20, scoring_knows_the_members)
            for unit_id, total in SCORES.items():
                scored = await http.post(f"{base}/blocs/khoi-ban-dang/years/2023/scores",
                                         json={"unit_id": unit_id, "breakdown": {"C1": total}})
                assert scored.status_code == 201, scored.text
            assert (await http.post(f"{base}/blocs/khoi-ban-dang/years/2023/ranking", json={})).status_code == 201
        async with awards.client(await awards.token("admin"), language="en") as admin, \
                awards.client(await awards.token("bloc_secretary", bloc_id="khoi-ban-dang"), language="en") as sec:
            async def awards_knows_ranking_and_blocs() -> bool:
                ranked = [row for row in (await admin.get(f"{base}/scores")).json() if row["rank"] is not None]
                units = (await admin.get(f"{base}/units")).json()
                return len(ranked) == len(SCORES) and len(units) == len(members)

            await within(20, awards_knows_ranking_and_blocs)
            yield Province(awards, admin, sec)


async def test_the_seed_year_from_ranking_to_the_central_decision(province: Province) -> None:
    base, admin = province.base, province.admin
    everyone = list(SCORES)

    candidates = (await admin.get(f"{base}/blocs/khoi-ban-dang/years/2023/candidates",
                                  params={"award_code": "PROV_FLAG", "on": "2024-01-03"})).json()
    assert candidates["eligible"] == ["van-phong"], "only the leader of the published ranking"
    assert candidates["rule_version"] == "VN-98-2023"
    second = next(member for member in candidates["members"] if member["unit_id"] == "ban-to-chuc")
    assert "Does not lead bloc khoi-ban-dang in 2023: rank 2" in second["checks"][1]["message"]

    flag_vote = await province.vote("v-prov-flag", "PROV_FLAG", {unit: ["van-phong"] for unit in everyone})
    assert flag_vote["candidates"] == ["van-phong"], "the default candidates are the eligible members"
    assert (flag_vote["threshold"], flag_vote["honoured"]) == (0.5, ["van-phong"])
    prov_flag = await province.propose("p-prov-flag", "van-phong", "PROV_FLAG",
                                       [*DOCUMENTS, {"kind": "vote_minutes", "ref": "BB 03/KTĐ"}])
    assert prov_flag.status_code == 201, prov_flag.text
    another = await province.propose("p-prov-flag-2", "ban-to-chuc", "PROV_FLAG", DOCUMENTS)
    assert another.status_code == 409
    assert "bloc khoi-ban-dang already has 1 of 1 PROV_FLAG for 2023" in another.json()["message"]

    gov_vote = await province.vote("v-gov-flag", "GOV_FLAG", {unit: ["van-phong"] for unit in everyone[:6]})
    assert gov_vote["candidates"] == ["van-phong"], "it meets the provincial-flag standard now"
    assert gov_vote["honoured"] == ["van-phong"]
    gov_flag = await province.propose("p-gov-flag", "van-phong", "GOV_FLAG", DOCUMENTS[:1])
    assert gov_flag.status_code == 201, gov_flag.text
    twice = await province.propose("p-gov-flag-2", "van-phong", "GOV_FLAG", DOCUMENTS)
    assert twice.status_code == 409
    assert "Unit van-phong already has a proposal for GOV_FLAG of 2023: p-gov-flag" in twice.json()["message"]
    incomplete = await province.council("p-gov-flag", approve=18)
    assert incomplete.status_code == 409
    assert "lacks achievement_report" in incomplete.json()["message"]
    returned = await admin.post(f"{base}/proposals/p-gov-flag/return", json={"reason": "Thiếu báo cáo thành tích",
                                                                              "returned_on": "2024-01-20"})
    assert returned.status_code == 201
    assert (await admin.get(f"{base}/proposals/p-gov-flag")).json()["missing"] == ["achievement_report"]
    resubmitted = await province.secretary.post(f"{base}/proposals/p-gov-flag/resubmission", json={
        "documents": [DOCUMENTS[1]], "resubmitted_on": "2024-01-25"})
    assert resubmitted.status_code == 201, resubmitted.text

    merit_vote = await province.vote("v-merit", "PROV_MERIT", {
        unit: [choice for choice, needed in (("ban-to-chuc", 7), ("ubkt", 5), ("du-khoi-doanh-nghiep", 3))
               if index < needed] for index, unit in enumerate(everyone)},
        candidates=["ban-to-chuc", "ubkt", "du-khoi-doanh-nghiep"])
    assert merit_vote["results"] == [{"unit_id": "ban-to-chuc", "votes_for": 7}, {"unit_id": "ubkt", "votes_for": 5},
                                     {"unit_id": "du-khoi-doanh-nghiep", "votes_for": 3}]
    assert merit_vote["honoured"] == ["ban-to-chuc", "ubkt"], "more than 4 of 8 votes: a simple majority"
    for unit_id in ("ban-to-chuc", "ubkt"):
        assert (await province.propose(f"p-merit-{unit_id}", unit_id, "PROV_MERIT", DOCUMENTS)).status_code == 201
    not_honoured = await province.propose("p-merit-x", "du-khoi-doanh-nghiep", "PROV_MERIT", DOCUMENTS)
    assert not_honoured.status_code == 409
    assert "Meets none of: honoured by its bloc's vote, titles in consecutive years" in not_honoured.json()["message"]

    short = await province.council("p-prov-flag", approve=15)
    assert short.status_code == 201
    assert [event["event_type"] for event in short.json()["events"]] == ["CouncilVoteRecorded", "AwardRejected"]
    assert (await admin.get(f"{base}/proposals/p-prov-flag")).json()["state"] == "rejected"
    # The council met again on a new proposal of the same flag, which the quota now allows.
    again = await province.propose("p-prov-flag-b", "van-phong", "PROV_FLAG",
                                   [*DOCUMENTS, {"kind": "vote_minutes", "ref": "BB 03/KTĐ"}])
    assert again.status_code == 201, again.text
    for proposal_id in ("p-prov-flag-b", "p-gov-flag", "p-merit-ban-to-chuc", "p-merit-ubkt"):
        assert (await province.council(proposal_id, approve=17)).status_code == 201
    for proposal_id, number in (("p-prov-flag-b", "300/QĐ-UBND"), ("p-merit-ban-to-chuc", "301/QĐ-UBND"),
                                ("p-merit-ubkt", "302/QĐ-UBND")):
        decided = await admin.post(f"{base}/proposals/{proposal_id}/decision",
                                   json={"decision_no": number, "decided_on": "2024-02-20"})
        assert decided.status_code == 201, decided.text

    too_soon = await admin.post(f"{base}/proposals/p-gov-flag/decision",
                                json={"decision_no": "500/QĐ-TTg", "decided_on": "2024-05-10"})
    assert too_soon.status_code == 409
    assert "this step needs it to be forwarded" in too_soon.json()["message"]
    no_minutes = await admin.post(f"{base}/proposals/p-gov-flag/forwarding",
                                  json={"dossier_ref": "TTr 45/TTr-UBND", "forwarded_on": "2024-03-01"})
    assert no_minutes.status_code == 409
    assert "The dossier for the central level lacks council_minutes" in no_minutes.json()["message"]
    forwarded = await admin.post(f"{base}/proposals/p-gov-flag/forwarding", json={
        "dossier_ref": "TTr 45/TTr-UBND", "forwarded_on": "2024-03-01",
        "documents": [{"kind": "council_minutes", "ref": "BB 07/BB-HĐTĐKT"}]})
    assert forwarded.status_code == 201
    central = await admin.post(f"{base}/proposals/p-gov-flag/decision",
                               json={"decision_no": "500/QĐ-TTg", "decided_on": "2024-05-10"})
    assert central.status_code == 201, central.text

    board = (await admin.get(f"{base}/proposals", params={"year": 2023})).json()
    assert board["by_state"] == {"decided": 4, "rejected": 1}
    assert board["by_form"] == {"GOV_FLAG": 1, "PROV_FLAG": 2, "PROV_MERIT": 2}
    decisions = {row["proposal_id"]: row["decision"] for row in board["proposals"] if row["state"] == "decided"}
    assert decisions["p-gov-flag"]["authority"] == "Thủ tướng Chính phủ"
    assert decisions["p-prov-flag-b"]["authority"] == "Chủ tịch UBND tỉnh"
    assert (decisions["p-gov-flag"]["reward_vnd"], decisions["p-gov-flag"]["base_salary_basis"]) == (
        21_600_000, "Nghị định số 24/2023/NĐ-CP"), "12 times the base salary of 10/05/2024"
    assert {row["rule_version"] for row in decisions.values()} == {"VN-98-2023"}

    why = (await admin.get(f"{base}/proposals/p-gov-flag/explanation")).json()
    assert why["ranking"][0] == {"unit_id": "van-phong", "rank": 1, "total": 95.0, "ranking_version": 1}
    assert why["vote"]["honoured"] == ["van-phong"]
    steps = [step["event_type"] for step in why["steps"]]
    assert steps == ["HonoringVoteOpened", *["BallotCast"] * 6, "HonoringVoteClosed", "AwardProposed",
                     "ProposalReturned", "ProposalResubmitted", "CouncilVoteRecorded", "ForwardedToCentral",
                     "AwardDecided"]
    assert all(step["payload"]["voter_unit_id"] == "(secret)" for step in why["steps"]
               if step["event_type"] == "BallotCast")
    checks = why["steps"][8]["checks"]
    assert [check["rule"] for check in checks] == ["registered", "leads_bloc", "honoured_by_vote",
                                                  "meets_form_standard", "not_frozen", "quota_province_year"]
    assert checks[5]["message"] == "Within the quota: 0 of 1 GOV_FLAG for 2023 (20% of 5 blocs)."
    council = why["steps"][11]["payload"]
    assert (council["approve"], council["required"], council["passed"]) == (17, 16, True)

    history = (await admin.get(f"{base}/units/van-phong/awards")).json()
    assert [(row["award_code"], row["state"]) for row in history["awards"]] == [
        ("GOV_FLAG", "decided"), ("PROV_FLAG", "rejected"), ("PROV_FLAG", "decided")]
