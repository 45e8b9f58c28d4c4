"""What each event of the contract means, and an example of it, for the AsyncAPI document.

Every event type has an :class:`EventDoc`: a Vietnamese title, an English description (when a service
records it, what it means for a subscriber) and an example: the payload of one real-looking event of the
Hà Nam bloc of Party boards (units, blocs and forms as the province calls them, dates, decision numbers)
and the stream it belongs to. :func:`example_message` makes the whole published message of an example,
hash included, so an example reads with :func:`thidua_contracts.read_event` like any event on Kafka.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from thidua_contracts.base import start_of_day
from thidua_contracts.catalog import EVENT_MODELS
from thidua_contracts.wire import digest, wire


@dataclass(frozen=True)
class EventDoc:
    title_vi: str
    """The event's name as a Vietnamese reader says it."""
    description: str
    """When it is recorded and what it means to a subscriber (English)."""
    stream: str
    """The ``stream_id`` of the example (the Kafka message key)."""
    payload: dict[str, Any]
    """The example's payload, valid for the event's current model."""


_PROVINCE = "HNM"
_BLOC = "khoi-ban-dang"
_BLOC_YEAR = f"bloc-year:{_PROVINCE}:{_BLOC}:2023"
_BLOC_STREAM = f"bloc:{_PROVINCE}:{_BLOC}"
_FLAG_PROPOSAL = "khoi-ban-dang-2023-prov-flag"
_FLAG_STREAM = f"proposal:{_PROVINCE}:{_FLAG_PROPOSAL}"
_GOV_PROPOSAL = "khoi-ban-dang-2023-gov-flag"
_VOTE = "khoi-ban-dang-2023-prov-flag"
_VOTE_STREAM = f"vote:{_PROVINCE}:{_VOTE}"
_NOTIFICATION = "0f3c5a52-6d2e-4b8e-9a61-2f7d8c1e4b90"
_SUBSCRIPTION = "sub-cong-thong-tin-tinh"
_SUBSCRIPTION_PAYLOAD = {
    "subscription_id": _SUBSCRIPTION, "subscriber": "tok-7f3a9c21",
    "subscriber_name": "Cổng thông tin điện tử tỉnh Hà Nam",
    "url": "https://congthongtin.hanam.gov.vn/thidua/webhook", "event_types": ["AwardDecided", "AwardRevoked"],
    "provinces": ["HNM"],
}
_LEADS_BLOC = {"rule": "leads_bloc", "ok": True, "citation": "Điều 26 Luật Thi đua, khen thưởng số 06/2022/QH15",
               "code": "rule.leads_bloc.ok",
               "params": {"bloc_id": _BLOC, "places": 1, "rank": 1, "unit_id": "van-phong", "year": 2023}}

EVENT_DOCS: dict[str, EventDoc] = {
    # --- registry ------------------------------------------------------------------------------------
    "ProvinceRegistered": EventDoc(
        "Đăng ký tỉnh", "A province is served by this instance from now on.",
        "province:HNM", {"code": "HNM", "name": "Hà Nam"}),
    "ProvinceSettingsChanged": EventDoc(
        "Thay đổi quy định bầu Trưởng khối, Trưởng cụm của tỉnh",
        "The province changed its rules of blocs' elections; the payload holds all of them as they now stand.",
        "province:HNM", {"code": "HNM", "chair_rest_years": 1, "election_majority_percent": 50,
                         "outgoing_vice_chair_preferred": True}),
    "ProvinceMergerConsented": EventDoc(
        "Tỉnh đồng ý hợp nhất",
        "A province's own administrator consents, under a named legal basis, to merge into another province.",
        "province:HNM", {"code": "HNM", "into_code": "NBH",
                         "legal_basis": "Nghị quyết số 202/2025/QH15 của Quốc hội", "consented_on": "2025-06-20"}),
    "ProvincesMerged": EventDoc(
        "Hợp nhất tỉnh",
        "Provinces were merged into one; their units, blocs and history now belong to the receiving province.",
        "province:NBH", {"from_codes": ["HNM", "NDH"], "into_code": "NBH", "effective_on": "2025-07-01",
                         "legal_basis": "Nghị quyết số 202/2025/QH15 của Quốc hội"}),
    "UnitRegistered": EventDoc(
        "Đăng ký đơn vị",
        "A unit (a Party board, a department, a commune...) enters the province's registry, with its contact "
        "e-mails. Subscribers keep its name to show it: later events name units by ``unit_id`` only.",
        "unit:HNM:van-phong", {"unit_id": "van-phong", "name": "Văn phòng Tỉnh ủy", "short_name": "VPTU",
                               "kind": "party_board", "parent_unit_id": None,
                               "emails": ["vanphong@hanam.dcs.vn"]}),
    "UnitRenamed": EventDoc(
        "Đổi tên đơn vị", "A unit takes a new name from ``effective_on``; its id stays.",
        "unit:HNM:so-giao-duc", {"unit_id": "so-giao-duc", "name": "Sở Giáo dục và Đào tạo tỉnh Hà Nam",
                                 "effective_on": "2024-03-01", "decision_ref": "Quyết định số 412/QĐ-UBND"}),
    "UnitEmailsChanged": EventDoc(
        "Thay đổi địa chỉ thư điện tử của đơn vị",
        "The addresses a unit's officers are told at, from now on (all of them).",
        "unit:HNM:ban-to-chuc", {"unit_id": "ban-to-chuc",
                                 "emails": ["bantochuc@hanam.dcs.vn", "thiduakhenthuong.btc@hanam.dcs.vn"]}),
    "UnitsMerged": EventDoc(
        "Hợp nhất đơn vị",
        "Units were merged into one; the merged units' history (scores, awards) follows the receiving unit.",
        "unit:HNM:ban-tuyen-giao", {"from_unit_ids": ["ban-tuyen-giao", "ban-dan-van"],
                                    "into_unit_id": "ban-tuyen-giao",
                                    "effective_on": "2025-01-01", "decision_ref": "Quyết định số 1258-QĐ/TU"}),
    "UnitDissolved": EventDoc(
        "Giải thể đơn vị", "A unit ceases to exist from ``effective_on``; it can no longer be proposed.",
        "unit:HNM:ban-noi-chinh", {"unit_id": "ban-noi-chinh", "effective_on": "2025-03-01",
                                   "decision_ref": "Quyết định số 1302-QĐ/TU"}),
    "BlocEstablished": EventDoc(
        "Thành lập Khối, Cụm thi đua", "The province established an emulation bloc (khối) or cluster (cụm).",
        _BLOC_STREAM, {"bloc_id": _BLOC, "kind": "khoi",
                       "name": "Khối thi đua các Ban xây dựng Đảng và các cơ quan trực thuộc Tỉnh ủy",
                       "decision_ref": "Quyết định số 2150/QĐ-UBND", "established_on": "2020-03-15"}),
    "UnitJoinedBloc": EventDoc(
        "Đơn vị tham gia Khối thi đua", "A unit is a member of a bloc from ``effective_on``.",
        _BLOC_STREAM, {"bloc_id": _BLOC, "unit_id": "van-phong", "effective_on": "2023-01-01",
                       "decision_ref": "Quyết định số 2150/QĐ-UBND"}),
    "UnitLeftBloc": EventDoc(
        "Đơn vị rời Khối thi đua", "A unit is no longer a member of a bloc from ``effective_on``.",
        _BLOC_STREAM, {"bloc_id": _BLOC, "unit_id": "ban-noi-chinh", "effective_on": "2025-03-01",
                       "decision_ref": "Quyết định số 1302-QĐ/TU"}),
    "BlocSupervisorAssigned": EventDoc(
        "Phân công lãnh đạo theo dõi Khối", "The provincial leader who supervises a bloc for a year.",
        _BLOC_STREAM, {"bloc_id": _BLOC, "person_name": "Đinh Thị Lụa",
                       "title": "Phó Bí thư Thường trực Tỉnh ủy", "year": 2024}),
    "ChairElected": EventDoc(
        "Bầu Trưởng khối",
        "A bloc elected its chair unit for a year, with the tally. ``replaces_reason`` is set when it replaces an "
        "earlier election of the same year.",
        _BLOC_STREAM, {"bloc_id": _BLOC, "year": 2024, "unit_id": "ubkt", "votes_for": 7, "votes_cast": 8,
                       "members": 8, "elected_on": "2024-01-03", "replaces_reason": None,
                       "passed_over_reason": None}),
    "ViceChairElected": EventDoc(
        "Bầu Phó khối", "A bloc elected its vice-chair unit for a year (fields as ``ChairElected``).",
        _BLOC_STREAM, {"bloc_id": _BLOC, "year": 2024, "unit_id": "du-khoi-doanh-nghiep", "votes_for": 7,
                       "votes_cast": 8, "members": 8, "elected_on": "2024-01-03", "replaces_reason": None,
                       "passed_over_reason": None}),
    "LeaderElectionConfirmed": EventDoc(
        "Công nhận kết quả bầu Trưởng khối, Phó khối",
        "The province confirmed a bloc's election of its chair or vice-chair by a decision.",
        _BLOC_STREAM, {"bloc_id": _BLOC, "role": "chair", "year": 2024, "unit_id": "ubkt",
                       "confirmed_on": "2024-01-15", "decision_ref": "Quyết định số 85/QĐ-UBND"}),
    "ChairHandedOver": EventDoc(
        "Bàn giao Trưởng khối", "The outgoing chair unit handed the bloc over to the new one.",
        _BLOC_STREAM, {"bloc_id": _BLOC, "from_unit_id": "ban-to-chuc", "to_unit_id": "ubkt",
                       "handed_over_on": "2024-01-03"}),
    "AccountCreated": EventDoc(
        "Tạo tài khoản",
        "The province's admin created a person's account to sign in with, in a role (for a unit or a bloc when the "
        "role needs one). Never a password or its hash.",
        "account:HNM:lua.dt", {"username": "lua.dt", "full_name": "Đinh Thị Lụa", "role": "bloc_secretary",
                               "unit_id": None, "bloc_id": _BLOC}),
    "AccountPasswordChanged": EventDoc(
        "Đổi mật khẩu tài khoản",
        "The account's password changed: by the person (``reset_by_admin`` false) or reset by the province's admin.",
        "account:HNM:lua.dt", {"username": "lua.dt", "reset_by_admin": False}),
    "AccountSignInFailed": EventDoc(
        "Đăng nhập sai mật khẩu", "A sign-in with a wrong password; ``failures`` counts those in a row.",
        "account:HNM:lua.dt", {"username": "lua.dt", "failures": 2}),
    "AccountLocked": EventDoc(
        "Khóa tài khoản",
        "The account is locked after ``failures`` wrong passwords in a row; only the province's admin unlocks it.",
        "account:HNM:lua.dt", {"username": "lua.dt", "failures": 5}),
    "AccountSignedIn": EventDoc(
        "Đăng nhập", "A person signed in to the account; its failures in a row start again from none.",
        "account:HNM:lua.dt", {"username": "lua.dt"}),
    "AccountUnlocked": EventDoc(
        "Mở khóa tài khoản", "The province's admin unlocked the account.",
        "account:HNM:lua.dt", {"username": "lua.dt"}),
    "AccountDisabled": EventDoc(
        "Vô hiệu hóa tài khoản", "The province's admin disabled the account: it no longer signs in.",
        "account:HNM:lua.dt", {"username": "lua.dt"}),
    # --- scoring -------------------------------------------------------------------------------------
    "ScoringTableAdopted": EventDoc(
        "Ban hành bảng tiêu chí chấm điểm",
        "A bloc-year's scoring table: criteria, the method that turns assessments into points, classification "
        "bands. A later version replaces it (``reason`` says why).",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "table_version": 1, "method": "mean_of_cross",
                     "reason": None, "criteria": [
                         {"code": "C1", "group": "Thực hiện nhiệm vụ chính trị", "max_points": 60.0,
                          "title": "Kết quả thực hiện nhiệm vụ chính trị được giao", "kind": "base",
                          "source": "assessment"},
                         {"code": "C2", "group": "Công tác xây dựng Đảng", "max_points": 30.0,
                          "title": "Xây dựng tổ chức đảng, đoàn thể trong sạch, vững mạnh", "kind": "base",
                          "source": "assessment"},
                         {"code": "B1", "group": "Điểm thưởng", "max_points": 10.0,
                          "title": "Mô hình mới, cách làm hay được nhân rộng", "kind": "bonus",
                          "source": "assessment"}],
                     "bands": [{"name": "Hoàn thành xuất sắc", "min_points": 90.0},
                               {"name": "Hoàn thành tốt", "min_points": 75.0}], "adopted_on": "2023-01-10"}),
    "ScoringWindowSet": EventDoc(
        "Ấn định thời hạn chấm điểm", "The dates between which a bloc-year's assessments are accepted.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "opens_on": "2023-12-01", "closes_on": "2024-01-10"}),
    "TargetsRegistered": EventDoc(
        "Đăng ký chỉ tiêu thi đua", "A member unit registered its targets for the year.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "unit_id": "van-phong", "targets": [
            {"code": "T1", "text": "Tham mưu ban hành đúng hạn 100% văn bản theo chương trình công tác",
             "measure": "%"},
            {"code": "T2", "text": "Số hóa hồ sơ lưu trữ của Văn phòng", "measure": "hồ sơ"}]}),
    "SelfAssessmentSubmitted": EventDoc(
        "Đơn vị tự chấm điểm", "A member unit submitted its self-assessment, criterion by criterion, with evidence.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "unit_id": "van-phong",
                     "scores": {"C1": 58.0, "C2": 28.0, "B1": 9.0},
                     "evidence": ["Báo cáo số 112-BC/VPTU ngày 05/12/2023"], "submitted_on": "2023-12-06"}),
    "CrossAssessmentSubmitted": EventDoc(
        "Chấm điểm chéo", "A member unit assessed another member of its bloc.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "assessor_unit_id": "ban-to-chuc", "unit_id": "van-phong",
                     "scores": {"C1": 57.0, "C2": 28.0, "B1": 9.0},
                     "comments": "Hoàn thành xuất sắc công tác tham mưu", "submitted_on": "2023-12-20"}),
    "ScoreAdjusted": EventDoc(
        "Điều chỉnh điểm", "The bloc's secretariat adjusted one criterion of a unit's score, with its reason.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "unit_id": "ban-dan-van", "code": "C2", "from_points": 27.0,
                     "to_points": 25.0, "reason": "Chưa nộp báo cáo sơ kết đúng hạn"}),
    "SelfAssessmentVerified": EventDoc(
        "Thẩm định bản tự chấm điểm",
        "The chair's team verified a unit's self-assessment against its evidence; these points count.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "unit_id": "van-phong",
                     "scores": {"C1": 58.0, "C2": 28.0, "B1": 9.0},
                     "verified_by": "Tổ thẩm định Khối", "verified_on": "2024-01-08", "notes": None}),
    "TargetResultsRecorded": EventDoc(
        "Ghi nhận kết quả thực hiện chỉ tiêu", "A unit's results against every target it registered for the year.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "unit_id": "van-phong", "recorded_on": "2024-01-05",
                     "results": [{"code": "T1", "attained": True, "achieved": 100.0, "planned": 100.0,
                                  "percent": 100.0},
                                 {"code": "T2", "attained": True, "achieved": 1250.0, "planned": 1000.0,
                                  "percent": 125.0}]}),
    "UnitScored": EventDoc(
        "Điểm tổng hợp của đơn vị", "A unit's final score for the bloc-year, criterion by criterion, and its band.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "unit_id": "van-phong", "total": 95.0,
                     "breakdown": {"C1": 58.0, "C2": 28.0, "B1": 9.0}, "method": "mean_of_cross",
                     "band": "Hoàn thành xuất sắc"}),
    "RankingPublished": EventDoc(
        "Công bố kết quả xếp hạng",
        "A bloc-year's ranking, locked once published; a corrected one comes as a new ``version``.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "version": 1, "reason": None, "resolved_ties": [],
                     "ranking": [{"unit_id": "van-phong", "rank": 1, "total": 95.0, "tied": False,
                                  "band": "Hoàn thành xuất sắc"},
                                 {"unit_id": "ban-to-chuc", "rank": 2, "total": 94.0, "tied": False,
                                  "band": "Hoàn thành xuất sắc"},
                                 {"unit_id": "ubkt", "rank": 3, "total": 91.0, "tied": False,
                                  "band": "Hoàn thành xuất sắc"}], "published_on": "2024-01-03"}),
    "RankingCorrectionOpened": EventDoc(
        "Mở lại kết quả xếp hạng để điều chỉnh",
        "A published ranking is reopened, for a stated reason, to publish a corrected version.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023,
                     "reason": "Phát hiện sai sót khi tổng hợp điểm chấm chéo của Ban Dân vận Tỉnh ủy"}),
    "RankingTieResolved": EventDoc(
        "Giải quyết đồng điểm",
        "The bloc resolved a tie of its ranking by a recorded decision or its vote, never by identifier.",
        _BLOC_YEAR, {"bloc_id": _BLOC, "year": 2023, "total": 88.0, "order": ["du-khoi-doanh-nghiep", "ubkt"],
                     "ground": "vote", "reference": "Biên bản họp Khối ngày 12/01/2024",
                     "resolved_on": "2024-01-12", "notes": None}),
    # --- awards --------------------------------------------------------------------------------------
    "RulebookAdopted": EventDoc(
        "Ban hành quy định khen thưởng",
        "A province adopted its own rulebook version: the award forms (code and Vietnamese name, who decides "
        "them, their rules as data) in force from ``effective_from``. Subscribers take form names from here.",
        "rulebooks:HNM", {"version": "HNM-2024", "effective_from": "2024-01-01",
                          "legal_basis": ["Luật Thi đua, khen thưởng số 06/2022/QH15",
                                          "Nghị định số 98/2023/NĐ-CP"],
                          "forms": [{"code": "PROV_FLAG", "name": "Cờ thi đua của UBND tỉnh",
                                     "decided_by": "Chủ tịch UBND tỉnh", "rules": {"base_multiple": 8}},
                                    {"code": "PROV_MERIT", "name": "Bằng khen của Chủ tịch UBND tỉnh",
                                     "decided_by": "Chủ tịch UBND tỉnh", "rules": {"base_multiple": 3}}],
                          "exclusive": [{"forms": ["GOV_FLAG", "PROV_FLAG", "PROV_MERIT"],
                                         "citation": "khoản 3 Điều 5 Nghị định số 98/2023/NĐ-CP"}]}),
    "HonoringVoteOpened": EventDoc(
        "Mở bỏ phiếu suy tôn", "A bloc opened its honouring vote (suy tôn) for an award form among candidates.",
        _VOTE_STREAM, {"vote_id": _VOTE, "bloc_id": _BLOC, "year": 2023, "award_code": "PROV_FLAG",
                       "candidates": ["van-phong", "ban-to-chuc", "ubkt"], "members": 8, "threshold": 0.5,
                       "quorum": 0.5, "rule_version": "VN-98-2023", "more_than": True, "places": 1,
                       "threshold_of": "members", "runoff_of": None, "opened_on": "2024-01-05"}),
    "BallotCast": EventDoc(
        "Đơn vị đã bỏ phiếu", "A member unit cast its ballot; what it chose is secret and never published.",
        _VOTE_STREAM, {"vote_id": _VOTE, "voter_unit_id": "ban-to-chuc"}),
    "HonoringVoteClosed": EventDoc(
        "Kết thúc bỏ phiếu suy tôn", "The vote's tally and the units it honoured.",
        _VOTE_STREAM, {"vote_id": _VOTE, "ballots_cast": 8, "invalid_ballots": 0, "tied": [], "places_left": 0,
                       "results": [{"unit_id": "van-phong", "votes_for": 7}, {"unit_id": "ban-to-chuc",
                                                                              "votes_for": 1}],
                       "honoured": ["van-phong"], "closed_on": "2024-01-05"}),
    "AwardProposed": EventDoc(
        "Đề nghị khen thưởng",
        "A unit is proposed for an award form for a year, with the basis and each rule checked at filing.",
        _FLAG_STREAM, {"proposal_id": _FLAG_PROPOSAL, "bloc_id": _BLOC, "year": 2023, "unit_id": "van-phong",
                       "award_code": "PROV_FLAG", "filed_on": "2024-01-20",
                       "basis": {"rank": 1, "total": 95.0, "vote_id": _VOTE, "rule_version": "VN-98-2023"},
                       "documents": [{"kind": "submission", "ref": "Tờ trình số 05/TTr-KTĐ"}],
                       "checks": [_LEADS_BLOC], "missing": []}),
    "ProposalReturned": EventDoc(
        "Trả lại hồ sơ đề nghị", "A dossier was returned to be completed; ``missing`` names what it lacks.",
        _FLAG_STREAM, {"proposal_id": _FLAG_PROPOSAL, "reason": "Hồ sơ thiếu biên bản họp bình xét của Khối",
                       "missing": ["vote_minutes"], "returned_on": "2024-01-25"}),
    "ProposalResubmitted": EventDoc(
        "Nộp lại hồ sơ đề nghị", "A returned dossier came back with the documents it lacked.",
        _FLAG_STREAM, {"proposal_id": _FLAG_PROPOSAL, "resubmitted_on": "2024-01-29",
                       "documents": [{"kind": "vote_minutes", "ref": "Biên bản số 02/BB-KTĐ"}]}),
    "CouncilVoteRecorded": EventDoc(
        "Kết quả bỏ phiếu của Hội đồng Thi đua - Khen thưởng",
        "The provincial council's vote on a proposal, with the votes required and whether it passed.",
        _FLAG_STREAM, {"proposal_id": _FLAG_PROPOSAL, "members": 20, "present": 18, "approve": 17, "reject": 1,
                       "written_votes": 2, "held_on": "2024-02-05", "required": 16, "passed": True,
                       "rule_version": "VN-98-2023"}),
    "AwardDecided": EventDoc(
        "Quyết định khen thưởng",
        "The award was decided: decision number and date, the authority, the reward money. The event most "
        "subscribers want.",
        _FLAG_STREAM, {"proposal_id": _FLAG_PROPOSAL, "unit_id": "van-phong", "award_code": "PROV_FLAG",
                       "decision_no": "300/QĐ-UBND", "decided_on": "2024-02-20",
                       "authority": "Ủy ban nhân dân tỉnh Hà Nam", "rule_version": "VN-98-2023",
                       "reward_vnd": 14_400_000, "reward_multiple": 8.0, "base_salary_vnd": 1_800_000,
                       "base_salary_basis": "Nghị định số 24/2023/NĐ-CP", "checks": []}),
    "AwardRejected": EventDoc(
        "Không khen thưởng", "A proposal was rejected, with the reason and by whom; the unit is told.",
        f"proposal:{_PROVINCE}:khoi-ban-dang-2023-prov-merit-ban-dan-van",
        {"proposal_id": "khoi-ban-dang-2023-prov-merit-ban-dan-van",
         "reason": "Không đạt tỷ lệ phiếu đồng ý của Hội đồng", "rejected_on": "2024-02-05",
         "by": "Hội đồng Thi đua - Khen thưởng tỉnh"}),
    "ForwardedToCentral": EventDoc(
        "Trình cấp trên khen thưởng",
        "A proposal for a central form (e.g. the Government's flag) was forwarded with its dossier.",
        f"proposal:{_PROVINCE}:{_GOV_PROPOSAL}",
        {"proposal_id": _GOV_PROPOSAL, "dossier_ref": "Tờ trình số 45/TTr-UBND", "forwarded_on": "2024-03-01",
         "documents": [{"kind": "council_minutes", "ref": "Biên bản số 07/BB-HĐTĐKT"}], "checks": []}),
    "AwardFrozen": EventDoc(
        "Tạm dừng xét khen thưởng",
        "A unit's or a proposal's awards are frozen (e.g. during an inspection): nothing is decided meanwhile.",
        "freeze:HNM:so-tai-chinh", {"unit_id": "so-tai-chinh", "proposal_id": None,
                                    "reason": "Đơn vị đang trong thời gian thanh tra",
                                    "ref": "Công văn số 215/TTr-NV", "on": "2024-02-01"}),
    "AwardUnfrozen": EventDoc(
        "Tiếp tục xét khen thưởng", "A freeze was lifted.",
        "freeze:HNM:so-tai-chinh", {"unit_id": "so-tai-chinh", "proposal_id": None,
                                    "reason": "Kết luận thanh tra không có vi phạm",
                                    "ref": "Kết luận số 12/KL-TTr", "on": "2024-04-10"}),
    "AwardRevoked": EventDoc(
        "Hủy bỏ quyết định khen thưởng",
        "A decided award was revoked, on a ground of Law 2022 art. 93 cl. 2, with what is to be recovered.",
        _FLAG_STREAM, {"proposal_id": _FLAG_PROPOSAL, "decision_no": "1020/QĐ-UBND", "revoked_on": "2024-09-16",
                       "reason": "Hồ sơ đề nghị khen thưởng có số liệu không trung thực", "ground": "a",
                       "money_to_recover_vnd": 14_400_000, "artefact_to_recover": True}),
    "QualityRatingRecorded": EventDoc(
        "Xếp loại chất lượng", "The province rated a unit's year (it replaces an earlier rating of that year).",
        "standing:HNM:van-phong:2023", {"unit_id": "van-phong", "year": 2023, "rating": "excellent",
                                        "ref": "Quyết định số 52-QĐ/TU", "rated_on": "2024-01-18"}),
    "StandardAttested": EventDoc(
        "Xác nhận tiêu chuẩn", "A standard thidua does not compute, recorded with the document attesting it.",
        "standing:HNM:van-phong:2023", {"unit_id": "van-phong", "year": 2023, "fact": "internal_unity",
                                        "ref": "Văn bản số 18-CV/ĐUK", "attested_on": "2024-01-16",
                                        "note": None}),
    "AttestationWithdrawn": EventDoc(
        "Rút xác nhận tiêu chuẩn", "An attested standard was withdrawn, with the reason.",
        "standing:HNM:van-phong:2023", {"unit_id": "van-phong", "year": 2023, "fact": "internal_unity",
                                        "reason": "Văn bản xác nhận ghi nhầm năm", "withdrawn_on": "2024-01-17"}),
    "AwardFlagged": EventDoc(
        "Khen thưởng cần xem xét lại",
        "An award that rested on one since revoked (its quota or consecutive titles) is flagged for review.",
        f"proposal:{_PROVINCE}:{_GOV_PROPOSAL}",
        {"proposal_id": _GOV_PROPOSAL, "unit_id": "ubkt", "award_code": "GOV_FLAG", "year": 2023,
         "rests_on": _FLAG_PROPOSAL, "rests_on_unit_id": "van-phong", "rests_on_award_code": "PROV_FLAG",
         "ground": "quota_leader", "flagged_on": "2024-09-16", "revocation_no": "1020/QĐ-UBND"}),
    # --- notifications -------------------------------------------------------------------------------
    "NotificationSent": EventDoc(
        "Đã gửi thông báo",
        "A notification was delivered to one recipient (e-mail or webhook), about one event of the contract.",
        f"notification:{_PROVINCE}:{_NOTIFICATION}",
        {"notification_id": _NOTIFICATION, "channel": "email", "recipient": "vanphong@hanam.dcs.vn",
         "template": "award_decided", "about_event_id": "01a22f74-9b3e-7c41-8d2a-5e6f7a8b9c0d",
         "texts": {"vi": "Văn phòng Tỉnh ủy được tặng Cờ thi đua của UBND tỉnh theo Quyết định số 300/QĐ-UBND "
                         "ngày 20/02/2024.",
                   "en": "Văn phòng Tỉnh ủy was awarded the Provincial People's Committee's Emulation Flag by "
                         "decision 300/QĐ-UBND of 20/02/2024."},
         "attempts": 1, "status_code": 250, "latency_ms": 38, "subscription_id": None}),
    "NotificationFailed": EventDoc(
        "Gửi thông báo không thành công",
        "Every attempt to deliver a notification failed; ``dead_lettered`` says it waits in the dead-letter "
        "list, to be redelivered on request.",
        f"notification:{_PROVINCE}:{_NOTIFICATION}",
        {"notification_id": _NOTIFICATION, "channel": "webhook",
         "recipient": "https://congthongtin.hanam.gov.vn/thidua/webhook", "attempts": 5,
         "error": "HTTP 503 Service Unavailable", "dead_lettered": True, "template": "AwardDecided",
         "about_event_id": "01a22f74-9b3e-7c41-8d2a-5e6f7a8b9c0d", "status_code": 503, "latency_ms": 212,
         "subscription_id": _SUBSCRIPTION}),
    "SubscriptionCreated": EventDoc(
        "Đăng ký nhận thông báo qua webhook",
        "A subscriber system subscribed a URL to event types of its provinces (the secret is never published).",
        f"subscription:{_PROVINCE}:{_SUBSCRIPTION}", _SUBSCRIPTION_PAYLOAD),
    "SubscriptionRevoked": EventDoc(
        "Hủy đăng ký nhận thông báo", "A webhook subscription was revoked: nothing more is delivered to it.",
        f"subscription:{_PROVINCE}:{_SUBSCRIPTION}", _SUBSCRIPTION_PAYLOAD),
    "SubscriptionPaused": EventDoc(
        "Tạm dừng nhận thông báo qua webhook",
        "The subscriber paused its subscription: deliveries wait, in order, until it is resumed.",
        f"subscription:{_PROVINCE}:{_SUBSCRIPTION}", {"subscription_id": _SUBSCRIPTION}),
    "SubscriptionResumed": EventDoc(
        "Tiếp tục nhận thông báo qua webhook",
        "The subscriber resumed its subscription: the deliveries that waited go out in order.",
        f"subscription:{_PROVINCE}:{_SUBSCRIPTION}", {"subscription_id": _SUBSCRIPTION}),
    "RedeliveryRequested": EventDoc(
        "Yêu cầu gửi lại thông báo qua webhook",
        "The subscriber asked for the deliveries from a position on (dead letters included) to be sent again, in "
        "order, each with the webhook-id it had.",
        f"subscription:{_PROVINCE}:{_SUBSCRIPTION}",
        {"subscription_id": _SUBSCRIPTION, "from_position": 120, "deliveries": 3}),
    "NotificationSettingsChanged": EventDoc(
        "Thay đổi thiết lập người nhận thông báo",
        "The province's settings of who hears what, all of them as they now stand: the TĐKT staff's addresses, "
        "each bloc's secretariat and, per kind of message, its audiences.",
        f"notification-settings:{_PROVINCE}",
        {"staff_emails": ["thiduakhenthuong@hanam.gov.vn"],
         "bloc_secretariats": {_BLOC: ["vanphong@hanam.dcs.vn"]},
         "audiences": {"award_decided": ["unit", "bloc_chair", "province_staff"],
                       "proposal_rejected": ["unit", "province_staff"]},
         "english_addresses": []}),
}


def canonical(document: dict[str, Any]) -> bytes:
    """The body form the services write: sorted keys, no spaces, UTF-8."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _occurred_at(act_day: str | None) -> str:
    """An example's ``occurred_at``: the start of its act's day in Viet Nam, or the moment it was recorded."""
    if not act_day:
        return "2024-02-20T02:00:00.000000Z"
    return start_of_day(date.fromisoformat(act_day)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def example_envelope(event_type: str) -> dict[str, Any]:
    """The whole envelope of the example of ``event_type``, as published (``hash`` included)."""
    doc = EVENT_DOCS[event_type]
    model = EVENT_MODELS[event_type]
    index = list(EVENT_MODELS).index(event_type) + 1
    body = {
        "event_id": f"01939f4c-7a2e-7{index:03x}-8b4d-2c6e9f1a3d57",
        "event_type": event_type,
        "schema_version": model.schema_version,
        "province": doc.stream.split(":")[1] if doc.stream.count(":") >= 2 else doc.stream.split(":")[-1],
        "source": model.source,
        "stream_id": doc.stream,
        "stream_version": 1,
        "position": index,
        "occurred_at": _occurred_at(model.act_date and doc.payload.get(model.act_date)),
        "recorded_at": "2024-02-20T02:15:31.402117Z",
        "actor": {"id": "to-thu-ky-khoi", "role": "admin", "unit_id": None},
        "correlation_id": "6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8",
        "causation_id": None,
        "prev_hash": "7c4a8d09ca3762af61e59520943dc26494f8941b7c4a8d09ca3762af61e59520",
        "payload": doc.payload,
    }
    return {**body, "hash": digest(canonical(body))}


def example_message(event_type: str) -> bytes:
    """The example of ``event_type`` as the bytes of a Kafka message's value."""
    envelope = example_envelope(event_type)
    body = canonical({name: value for name, value in envelope.items() if name != "hash"})
    return wire(body, envelope["hash"])
