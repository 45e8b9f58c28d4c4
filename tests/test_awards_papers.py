"""The dossier's papers through the awards HTTP API, on the real broker, with the awards database on SQLite and
on PostgreSQL: a bloc of Hà Nam votes, proposes, the council votes, the Chairman decides one certificate of
merit; each paper comes as a Word file that names what was recorded, and a paper that cannot be made is refused
with a reason."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from docx import Document
from sqlalchemy import func, select

from awards.adapters.tables import bloc_leaders, blocs, provinces
from awards.bootstrap import create_app as awards_app
from registry.bootstrap import create_app as registry_app
from scoring.bootstrap import create_app as scoring_app
from thidua_shared.config import ServiceSettings
from thidua_shared.store.db import create_engine
from thidua_shared.testing import ApiUnderTest, database_url_for, running_service, unique_province, within

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BLOC = "khoi-ban-dang"
BLOC_NAME = "Khối thi đua các Ban xây dựng Đảng và các cơ quan trực thuộc Tỉnh ủy"
UNITS = {"van-phong": ("Văn phòng Tỉnh ủy", 95), "ban-to-chuc": ("Ban Tổ chức Tỉnh ủy", 94),
         "ubkt": ("Ủy ban Kiểm tra Tỉnh ủy", 91), "ban-dan-van": ("Ban Dân vận Tỉnh ủy", 86),
         "ban-noi-chinh": ("Ban Nội chính Tỉnh ủy", 84)}
DOCUMENTS = [{"kind": "submission", "ref": "01/TTr-KTĐ"}, {"kind": "achievement_report", "ref": "02/BC-KTĐ"}]


def text_of(content: bytes) -> str:
    """The document's paragraphs, then its tables' cells (a merged cell once), one per line."""
    document = Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        seen: list[object] = []
        for row in table.rows:
            for cell in row.cells:
                if not any(cell._tc is other for other in seen):
                    seen.append(cell._tc)
                    lines += [paragraph.text for paragraph in cell.paragraphs]
    return "\n".join(lines)


@dataclass
class Bloc:
    awards: ApiUnderTest
    admin: httpx.AsyncClient
    secretary: httpx.AsyncClient

    async def vote(self, vote_id: str, award_code: str, ballots: dict[str, list[str]], close: bool = True,
                   **options: Any) -> None:
        opened = await self.secretary.post(f"{self.awards.base}/votes", json={
            "vote_id": vote_id, "bloc_id": BLOC, "year": 2023, "award_code": award_code, "opened_on": "2024-01-03",
            **options})
        assert opened.status_code == 201, opened.text
        for voter, choices in ballots.items():
            async with self.awards.client(await self.awards.token("unit_officer", unit_id=voter)) as http:
                cast = await http.post(f"{self.awards.base}/votes/{vote_id}/ballots",
                                       json={"voter_unit_id": voter, "choices": choices})
            assert cast.status_code == 201, cast.text
        if close:
            assert (await self.secretary.post(f"{self.awards.base}/votes/{vote_id}/closing")).status_code == 201

    async def step(self, path: str, body: dict[str, Any]) -> None:
        answer = await self.admin.post(f"{self.awards.base}{path}", json=body)
        assert answer.status_code == 201, answer.text


async def _registry_and_scores(awards: ApiUnderTest, registry: ApiUnderTest, scoring: ApiUnderTest) -> None:
    base = awards.base
    async with registry.client(await registry.token("admin")) as http:
        assert (await http.post(f"{base}/registration", json={"name": "Hà Nam"})).status_code == 201
        assert (await http.post(f"{base}/blocs", json={"bloc_id": BLOC, "name": BLOC_NAME, "kind": "khoi",
                                                       "decision_ref": "QĐ 1"})).status_code == 201
        for unit_id, (name, _) in UNITS.items():
            assert (await http.post(f"{base}/units", json={"unit_id": unit_id, "name": name})).status_code == 201
            assert (await http.post(f"{base}/blocs/{BLOC}/members", json={
                "unit_id": unit_id, "effective_on": "2023-01-01", "decision_ref": "QĐ 2"})).status_code == 201
        elected = await http.post(f"{base}/blocs/{BLOC}/elections", json={
            "role": "chair", "year": 2023, "unit_id": "ban-to-chuc", "votes_for": 5, "votes_cast": 5, "members": 5,
            "elected_on": "2023-01-05"})
        assert elected.status_code == 201, elected.text
    async with scoring.client(await scoring.token("admin")) as http:
        async def scoring_knows_the_members() -> bool:
            board = (await http.get(f"{base}/blocs/{BLOC}/years/2023/scoreboard")).json()
            return len(board.get("members", [])) == len(UNITS)

        await within(60, scoring_knows_the_members)
        for unit_id, (_, total) in UNITS.items():
            assert (await http.post(f"{base}/blocs/{BLOC}/years/2023/scores",
                                    json={"unit_id": unit_id, "breakdown": {"C1": total}})).status_code == 201
        assert (await http.post(f"{base}/blocs/{BLOC}/years/2023/ranking", json={})).status_code == 201
    engine = create_engine(awards.settings.database_for("awards"))
    try:
        async def awards_knows_ranking_and_names() -> bool:
            ranked = [row for row in (await awards_admin_get(awards, "/scores")) if row["rank"] is not None]
            async with engine.connect() as connection:
                named = [await connection.scalar(select(func.count()).select_from(table))
                         for table in (provinces, blocs, bloc_leaders)]
            return len(ranked) == len(UNITS) and named == [1, 1, 1]

        await within(60, awards_knows_ranking_and_names)
    finally:
        await engine.dispose()


async def awards_admin_get(awards: ApiUnderTest, path: str) -> Any:
    async with awards.client(await awards.token("admin")) as http:
        return (await http.get(f"{awards.base}{path}")).json()


@pytest.fixture(params=["sqlite", "postgres"])
async def bloc(request: pytest.FixtureRequest, tmp_path: Path, kafka_bootstrap: str) -> AsyncIterator[Bloc]:
    """Hà Nam's bloc of Party boards after its 2023 review: two certificates of merit voted and passed by the
    council, one decided."""
    with database_url_for(request.param, tmp_path) as url:
        settings = ServiceSettings(data_dir=tmp_path / "awards", provinces=unique_province(), database_url=url,
                                   kafka_bootstrap_servers=kafka_bootstrap)
        app = awards_app(settings)
        async with app.router.lifespan_context(app):
            awards = ApiUnderTest(app, settings)
            async with running_service(registry_app, tmp_path / "registry", kafka_bootstrap,
                                       awards.province) as registry, \
                    running_service(scoring_app, tmp_path / "scoring", kafka_bootstrap, awards.province) as scoring:
                await _registry_and_scores(awards, registry, scoring)
            async with awards.client(await awards.token("admin"), language="en") as admin, \
                    awards.client(await awards.token("bloc_secretary", bloc_id=BLOC), language="en") as secretary:
                played = Bloc(awards, admin, secretary)
                await played.vote("v-merit", "PROV_MERIT", {
                    "van-phong": ["ban-to-chuc", "ubkt"], "ban-to-chuc": ["ban-to-chuc", "ubkt"],
                    "ubkt": ["ban-to-chuc", "ubkt"], "ban-dan-van": ["ban-to-chuc", "ban-dan-van"],
                    "ban-noi-chinh": ["ban-to-chuc", "ubkt", "ban-dan-van"]},
                    candidates=["ban-to-chuc", "ubkt", "ban-dan-van"], places=2)
                for proposal_id, unit_id, documents in (
                        ("p-merit-btc", "ban-to-chuc", [*DOCUMENTS, {"kind": "vote_minutes", "ref": "03/BB"}]),
                        ("p-merit-ubkt", "ubkt", DOCUMENTS)):
                    await played.step("/proposals", {
                        "proposal_id": proposal_id, "unit_id": unit_id, "year": 2023, "award_code": "PROV_MERIT",
                        "bloc_id": BLOC, "filed_on": "2024-01-05", "documents": documents})
                for proposal_id, approve in (("p-merit-btc", 18), ("p-merit-ubkt", 16)):
                    await played.step(f"/proposals/{proposal_id}/council-votes", {
                        "members": 20, "present": 18, "written_votes": 2, "approve": approve, "reject": 20 - approve,
                        "held_on": "2024-02-05"})
                await played.step("/proposals/p-merit-btc/decision", {"decision_no": "301/QĐ-UBND",
                                                                      "decided_on": "2024-02-20"})
                yield played


async def _paper(bloc: Bloc, path: str, **params: Any) -> str:
    answer = await bloc.admin.get(f"{bloc.awards.base}{path}", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == DOCX
    text = text_of(answer.content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in text
    assert not any(unit_id in text for unit_id in (*UNITS, BLOC)), "units and blocs go by their names"
    return text


async def test_the_bloc_and_the_province_get_their_papers_as_word_files(bloc: Bloc) -> None:
    minutes = await bloc.admin.get(f"{bloc.awards.base}/votes/v-merit/minutes.docx")
    assert minutes.headers["content-disposition"] == 'attachment; filename="bien-ban-hop-suy-ton-v-merit.docx"'
    text = await _paper(bloc, "/votes/v-merit/minutes.docx", held_on="2024-01-03")
    assert BLOC_NAME.upper() in text
    assert "Hà Nam, ngày 03 tháng 01 năm 2024" in text
    assert "Chủ trì: Ban Tổ chức Tỉnh ủy, đơn vị Trưởng khối năm 2023." in text
    assert "số phiếu thu về 5; số phiếu hợp lệ 4; số phiếu không hợp lệ 1" in text
    assert "Ban Tổ chức Tỉnh ủy\n4\n80%\nĐược suy tôn" in text
    assert "Ban Dân vận Tỉnh ủy\n1\n20%\nKhông được suy tôn" in text

    text = await _paper(bloc, "/papers/submission.docx", year=2023, award_code="PROV_MERIT", on="2024-02-10")
    assert "Hà Nam, ngày 10 tháng 02 năm 2024" in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Hà Nam" in text
    assert "Ban Tổ chức Tỉnh ủy\n" + BLOC_NAME + "\n94\n2\n18/20 phiếu (90%)" in text
    assert "Ủy ban Kiểm tra Tỉnh ủy\n" + BLOC_NAME + "\n91\n3\n16/20 phiếu (80%)" in text
    text = await _paper(bloc, "/papers/submission.docx", year=2023, award_code="PROV_MERIT", bloc_id=BLOC,
                        on="2024-01-05")
    assert "Ban Tổ chức Tỉnh ủy\n" + BLOC_NAME + "\n94\n2\n4/5 phiếu (80%)" in text
    assert "Biên bản họp suy tôn số 03/BB" in text

    text = await _paper(bloc, "/papers/proposals.docx", year=2023)
    assert "Quyết định số 301/QĐ-UBND ngày 20/02/2024" in text
    assert "Hội đồng đã thông qua" in text
    assert "Tổng cộng: 2 đề nghị của 2 tập thể." in text

    text = await _paper(bloc, "/papers/council-minutes.docx", year=2023)
    assert "Hôm nay, ngày 05 tháng 02 năm 2024, Hội đồng Thi đua - Khen thưởng tỉnh Hà Nam" in text
    assert "Ban Tổ chức Tỉnh ủy\n18\n2\n90%\nĐạt" in text

    text = await _paper(bloc, "/papers/decision.docx", year=2023, award_code="PROV_MERIT", on="2024-02-20")
    assert "Số: ……/QĐ-UBND" in text, "the one the council passed and no one decided yet"
    assert "Ủy ban Kiểm tra Tỉnh ủy\n5.400.000" in text
    assert "thành tiền 5.400.000 đồng (Bằng chữ: Năm triệu bốn trăm nghìn đồng)" in text
    text = await _paper(bloc, "/papers/decision.docx", year=2023, award_code="PROV_MERIT", decision_no="301/QĐ-UBND")
    assert "Số: 301/QĐ-UBND" in text
    assert "Hà Nam, ngày 20 tháng 02 năm 2024" in text
    assert "Ban Tổ chức Tỉnh ủy\n5.400.000" in text


async def test_a_paper_that_cannot_be_made_is_refused_with_the_reason(bloc: Bloc) -> None:
    base = bloc.awards.base
    await bloc.vote("v-open", "PROV_MERIT", {}, close=False, candidates=["ban-noi-chinh"])
    still_open = await bloc.admin.get(f"{base}/votes/v-open/minutes.docx")
    unknown = await bloc.admin.get(f"{base}/votes/v-none/minutes.docx")
    central = await bloc.admin.get(f"{base}/papers/decision.docx", params={"year": 2023, "award_code": "GOV_FLAG"})
    no_decision = await bloc.admin.get(f"{base}/papers/decision.docx", params={
        "year": 2023, "award_code": "PROV_MERIT", "decision_no": "999/QĐ-UBND"})
    nothing = await bloc.admin.get(f"{base}/papers/proposals.docx", params={"year": 2022})
    assert (still_open.status_code, still_open.json()["message"]) == (
        409, "Vote v-open is still open; its minutes are made once the ballots are counted.")
    assert (unknown.status_code, unknown.json()["message"]) == (404, "No vote v-none.")
    assert central.status_code == 409
    assert central.json()["error"] == "paper.central_decision"
    assert (no_decision.status_code, no_decision.json()["error"]) == (404, "paper.no_such_decision")
    assert nothing.status_code == 409
    async with bloc.awards.client(await bloc.awards.token("auditor")) as auditor:
        in_vietnamese = await auditor.get(f"{base}/votes/v-none/minutes.docx")
        readable = await auditor.get(f"{base}/papers/proposals.docx", params={"year": 2023})
    async with bloc.awards.client(await bloc.awards.token("admin", province="NBH")) as other_province, \
            bloc.awards.client() as anonymous:
        foreign = await other_province.get(f"{base}/papers/proposals.docx", params={"year": 2023})
        no_token = await anonymous.get(f"{base}/papers/proposals.docx", params={"year": 2023})
    assert in_vietnamese.json()["message"] == "Không có cuộc bỏ phiếu v-none."
    assert readable.status_code == 200, "read like the other read routes"
    assert (foreign.status_code, no_token.status_code) == (403, 401)
