"""After provinces merge, the new province's Chairman decides the provincial forms: awards learns the merger from
the registry over the real broker and records the authority in office on the decision's day."""

from __future__ import annotations

from pathlib import Path

from awards.bootstrap import create_app as awards_app
from registry.bootstrap import create_app as registry_app
from thidua_shared.testing import ApiUnderTest, running_service, unique_province, within

OLD, NEW = unique_province("H"), unique_province("N")
PROVINCES = f"{OLD},{NEW}"


async def _merge_hanam_into_ninhbinh(registry: ApiUnderTest) -> None:
    old_admin, new_admin = await registry.token("admin", province=OLD), await registry.token("admin", province=NEW)
    async with registry.client(old_admin) as http:
        assert (await http.post(f"/provinces/{OLD}/registration", json={"name": "Hà Nam"})).status_code == 201
        assert (await http.post(f"/provinces/{OLD}/units", json={
            "unit_id": "so-tu-phap", "name": "Sở Tư pháp"})).status_code == 201
        consented = await http.post(f"/provinces/{OLD}/merger-consents", json={
            "into_code": NEW, "legal_basis": "Nghị quyết 202/2025/QH15", "consented_on": "2025-06-20"})
        assert consented.status_code == 201
    async with registry.client(new_admin) as http:
        assert (await http.post(f"/provinces/{NEW}/registration", json={"name": "Ninh Bình"})).status_code == 201
        assert (await http.post(f"/provinces/{NEW}/province-mergers", json={
            "from_codes": [OLD], "effective_on": "2025-07-01",
            "legal_basis": "Nghị quyết 202/2025/QH15"})).status_code == 201


async def _excellent_collective_approved(awards: ApiUnderTest, admin: str) -> None:
    """Sở Tư pháp, rated excellent for 2024 with its members' titles attested, filed and approved by the council."""
    base = f"/provinces/{OLD}"
    async with awards.client(admin) as http:
        for path, body in (
            ("/units/so-tu-phap/years/2024/quality-rating",
             {"rating": "excellent", "ref": "QĐ 12/QĐ-UBND", "rated_on": "2025-01-05"}),
            ("/units/so-tu-phap/years/2024/attestations",
             {"fact": "member_titles", "ref": "QĐ 3/QĐ-SNV", "attested_on": "2025-01-05"})):
            answer = await (http.put if path.endswith("rating") else http.post)(base + path, json=body)
            assert answer.status_code == 201, answer.text
        filed = await http.post(f"{base}/proposals", json={
            "proposal_id": "p-tu-phap", "unit_id": "so-tu-phap", "year": 2024, "award_code": "EXCELLENT_COLLECTIVE",
            "filed_on": "2025-01-10", "documents": [{"kind": "submission", "ref": "01/TTr"},
                                                    {"kind": "achievement_report", "ref": "02/BC"}]})
        assert filed.status_code == 201, filed.text
        council = await http.post(f"{base}/proposals/p-tu-phap/council-votes", json={
            "members": 20, "present": 18, "approve": 17, "reject": 1, "written_votes": 0, "held_on": "2025-02-01"})
        assert council.status_code == 201, council.text


async def test_after_the_merger_the_new_provinces_chairman_is_recorded_as_deciding(
    tmp_path: Path, kafka_bootstrap: str,
) -> None:
    async with (running_service(awards_app, tmp_path / "awards", kafka_bootstrap, PROVINCES) as awards,
                running_service(registry_app, tmp_path / "registry", kafka_bootstrap, PROVINCES) as registry):
        await _merge_hanam_into_ninhbinh(registry)
        admin = await awards.token("admin", province=OLD)

        async def awards_knows_the_merger() -> bool:
            """Six registry events: Hà Nam's registration, unit, consent and merger, Ninh Bình's two."""
            async with awards.client(admin) as http:
                consumers = (await http.get("/health")).json()["consumers"]
            return sum(int(health["processed"]) for name, health in consumers.items() if "registry" in name) >= 6

        await within(60, awards_knows_the_merger)
        await _excellent_collective_approved(awards, admin)
        async with awards.client(admin) as http:
            decided = await http.post(f"/provinces/{OLD}/proposals/p-tu-phap/decision", json={
                "decision_no": "1520/QĐ-UBND", "decided_on": "2025-07-10"})
            proposal = await http.get(f"/provinces/{OLD}/proposals/p-tu-phap")
    assert decided.status_code == 201, decided.text
    assert proposal.json()["decision"]["authority"] == "Chủ tịch UBND tỉnh Ninh Bình", \
        "the merger took effect on 01/07/2025: Ninh Bình's Chairman decides"
