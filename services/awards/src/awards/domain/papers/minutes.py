"""The minutes: of a bloc's honouring vote (biên bản họp bình xét, suy tôn), from its closed tally, and of the
provincial council's session (biên bản họp Hội đồng Thi đua - Khen thưởng), from the council votes recorded on
each proposal that day. Who voted for what is never in them: votes are secret, only the tally is known."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from awards.domain.papers.records import ProposalRecord, VoteRecord
from awards.domain.papers.setting import Letterhead, Setting, Signature, unnumbered
from awards.domain.papers.words import BLANK, date_in_words, percent, share

CLOSING = (f"Cuộc họp kết thúc vào hồi {BLANK} giờ {BLANK} cùng ngày; biên bản đã được đọc lại và thông qua "
           "tại cuộc họp./.")


@dataclass(frozen=True)
class TallyRow:
    number: int
    unit: str
    votes: int
    share: str
    outcome: str


@dataclass(frozen=True)
class VoteMinutes:
    letterhead: Letterhead
    subject: str
    opening: str
    attendance: list[str]
    candidates: str
    rule: str
    count: str
    rows: list[TallyRow]
    conclusions: list[str]
    closing: str
    clerk: Signature
    chair: Signature


def votes_needed(threshold: float, base: int, more_than: bool) -> int:
    """The fewest votes that pass: more than ``threshold`` of ``base``, or at least it."""
    exact = threshold * base
    return math.floor(exact + 1e-9) + 1 if more_than else max(math.ceil(exact - 1e-9), 0)


def _names(setting: Setting, unit_ids: list[str]) -> str:
    return "; ".join(setting.unit(unit_id) for unit_id in unit_ids)


def vote_minutes(setting: Setting, vote: VoteRecord, held_on: date | None) -> VoteMinutes:
    """The minutes of a closed vote, dated the day of the meeting."""
    form = setting.form_name(vote.award_code)
    bloc = setting.bloc(vote.bloc_id)
    of_present = vote.threshold_of == "present"
    base = vote.ballots_cast if of_present else vote.members
    places = vote.places or len(vote.candidates)
    valid = vote.ballots_cast - vote.invalid_ballots
    chair = setting.chair(vote.bloc_id)
    round_ = " vòng sau giữa các đơn vị bằng phiếu ở suất cuối của vòng trước," if vote.runoff_of else ""
    needed = f"{'trên' if vote.more_than else 'từ'} {share(vote.threshold)}"
    whole = f"số phiếu bầu ({base})" if of_present else f"số đơn vị thành viên của khối ({base})"
    rows = []
    for number, (unit_id, votes) in enumerate(vote.results, start=1):
        outcome = ("Được suy tôn" if unit_id in vote.honoured else
                   "Bằng phiếu ở suất cuối" if unit_id in vote.tied else "Không được suy tôn")
        rows.append(TallyRow(number, setting.unit(unit_id), votes, percent(votes, base), outcome))
    if vote.honoured:
        conclusions = [f"{bloc} thống nhất suy tôn {len(vote.honoured)} đơn vị đề nghị tặng {form} năm {vote.year}: "
                       f"{_names(setting, vote.honoured)}."]
    else:
        conclusions = ["Không có đơn vị nào đạt số phiếu cần có để được suy tôn."]
    if vote.tied:
        conclusions.append(f"Các đơn vị {_names(setting, vote.tied)} bằng số phiếu ở suất cuối; khối bỏ phiếu vòng "
                           f"sau giữa các đơn vị này cho {vote.places_left} suất còn lại.")
    when = date_in_words(held_on) if held_on else f"ngày {BLANK}"
    return VoteMinutes(
        letterhead=setting.bloc_head(vote.bloc_id, unnumbered("BB"), held_on),
        subject=f"Họp bình xét, suy tôn {form} năm {vote.year}",
        opening=f"Hôm nay, {when}, {bloc} họp bình xét, bỏ phiếu{round_} suy tôn đơn vị đề nghị tặng {form} "
                f"năm {vote.year}.",
        attendance=[f"Chủ trì: {chair}, đơn vị Trưởng khối năm {vote.year}." if chair else f"Chủ trì: {BLANK}",
                    f"Số đơn vị thành viên của khối: {vote.members}; số đơn vị tham gia bỏ phiếu: "
                    f"{vote.ballots_cast}.",
                    f"Thư ký: {BLANK}"],
        candidates=f"Danh sách đơn vị được đề cử ({len(vote.candidates)}): {_names(setting, vote.candidates)}.",
        rule=f"Bỏ phiếu kín; mỗi phiếu chọn không quá {places} đơn vị, phiếu không chọn đơn vị nào hoặc chọn quá "
             f"số đơn vị là phiếu không hợp lệ. Đơn vị được suy tôn phải đạt {needed} tổng {whole}, tức ít nhất "
             f"{votes_needed(vote.threshold, base, vote.more_than)} phiếu, lấy theo số phiếu từ cao xuống thấp "
             f"đến đủ {places} suất.",
        count=f"Kết quả kiểm phiếu: số phiếu thu về {vote.ballots_cast}; số phiếu hợp lệ {valid}; "
              f"số phiếu không hợp lệ {vote.invalid_ballots}.",
        rows=rows, conclusions=conclusions, closing=CLOSING,
        clerk=Signature("", "THƯ KÝ"),
        chair=Signature("", "CHỦ TRÌ", unit=chair or ""))


@dataclass(frozen=True)
class CouncilRow:
    number: int
    unit: str
    approve: int
    reject: int
    share: str
    outcome: str


@dataclass(frozen=True)
class CouncilSection:
    heading: str
    rule: str
    rows: list[CouncilRow]
    conclusion: str


@dataclass(frozen=True)
class CouncilMinutes:
    letterhead: Letterhead
    subject: str
    opening: str
    attendance: list[str]
    sections: list[CouncilSection]
    closing: str
    clerk: Signature
    chair: Signature


def council_sessions(proposals: list[ProposalRecord]) -> list[date]:
    """The days the council voted on any of ``proposals``, latest first."""
    return sorted({proposal.council.held_on for proposal in proposals
                   if proposal.council is not None and proposal.council.held_on is not None}, reverse=True)


def council_minutes(setting: Setting, year: int, held_on: date, proposals: list[ProposalRecord],
                    award_code: str | None = None) -> CouncilMinutes:
    """The session of ``held_on``: each form the council voted on, each proposal's approvals and rejections
    against the number its rulebook required; ``proposals`` are those with a council vote that day."""
    voted = [proposal for proposal in proposals if proposal.council is not None]
    first = voted[0].council
    assert first is not None
    sections = []
    codes = [form.code for form in setting.rulebook.forms]
    by_form = sorted({proposal.award_code for proposal in voted}, key=lambda code: (
        codes.index(code) if code in codes else len(codes), code))
    for index, code in enumerate(by_form, start=1):
        form = setting.form(code)
        rows: list[CouncilRow] = []
        passed: list[str] = []
        for proposal in (proposal for proposal in voted if proposal.award_code == code):
            council = proposal.council
            assert council is not None
            ok = bool(council.passed) if council.passed is not None else council.approve >= (council.required or 0)
            if ok:
                passed.append(setting.unit(proposal.unit_id))
            rows.append(CouncilRow(len(rows) + 1, setting.unit(proposal.unit_id), council.approve, council.reject,
                                   percent(council.approve, council.members), "Đạt" if ok else "Không đạt"))
        required = sorted({proposal.council.required for proposal in voted
                           if proposal.award_code == code and proposal.council and proposal.council.required})
        decider = setting.authority(form) if form is not None else BLANK
        name = setting.form_name(code)
        sections.append(CouncilSection(
            heading=f"{index}. {name}",
            rule=(f"Số phiếu tán thành cần có: {', '.join(map(str, required))} trên tổng số {first.members} "
                  "thành viên Hội đồng." if required else f"Số phiếu tán thành cần có: {BLANK}."),
            rows=rows,
            conclusion=(f"Hội đồng thống nhất đề nghị {decider} tặng {name} năm {year} cho: {'; '.join(passed)}."
                        if passed else f"Không có đơn vị nào đạt số phiếu tán thành cần có để đề nghị tặng {name}.")))
    subject = (f"Họp Hội đồng Thi đua - Khen thưởng tỉnh xét đề nghị tặng {setting.form_name(award_code)} năm {year}"
               if award_code else f"Họp Hội đồng Thi đua - Khen thưởng tỉnh xét đề nghị khen thưởng năm {year}")
    return CouncilMinutes(
        letterhead=setting.council_head(unnumbered("BB-HĐTĐKT"), held_on),
        subject=subject,
        opening=f"Hôm nay, {date_in_words(held_on)}, Hội đồng Thi đua - Khen thưởng {setting.province_in_words()} "
                f"họp xét các đề nghị khen thưởng năm {year}.",
        attendance=[f"Tổng số thành viên Hội đồng: {first.members}; số thành viên có mặt: {first.present}; số thành "
                    f"viên vắng mặt có ý kiến bằng văn bản: {first.written_votes}.",
                    f"Chủ trì: {BLANK}, Chủ tịch Hội đồng.", f"Thư ký: {BLANK}"],
        sections=sections, closing=CLOSING,
        clerk=Signature("", "THƯ KÝ"), chair=Signature("TM. HỘI ĐỒNG", "CHỦ TỊCH"))
