"""The dossier's papers: the submission (tờ trình) that asks for a form for the units named, and the list of
proposals (danh sách đề nghị) that goes with it.

A bloc submits its proposals to the provincial council (through the Department of Home Affairs); the
province submits those the council passed to whoever decides the form: the Department to the Chairman of the
Provincial People's Committee, or the Committee to the Prime Minister (through the Ministry of Home Affairs)
for a form decided at the central level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from awards.domain.model import ACTIVE, ProposalState
from awards.domain.papers.records import ProposalRecord, VoteRecord
from awards.domain.papers.setting import COUNCIL, HOME_AFFAIRS, Letterhead, Setting, Signature, unnumbered
from awards.domain.papers.words import STATES, decimal, document_kind, percent, short_date
from awards.domain.rulebook import Form

PASSED_COUNCIL = (ProposalState.APPROVED, ProposalState.FORWARDED, ProposalState.DECIDED)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def to_submit(proposals: list[ProposalRecord], form: Form, year: int, bloc_id: str | None) -> list[ProposalRecord]:
    """What a submission asks for: a bloc's proposals that keep their place; the province's, those the council
    passed (or, for a form without a council vote, those that keep their place)."""
    states = ACTIVE if bloc_id is not None or form.rules.council is None else PASSED_COUNCIL
    return sorted((proposal for proposal in proposals
                   if proposal.year == year and proposal.award_code == form.code and proposal.state in states
                   and (bloc_id is None or proposal.bloc_id == bloc_id)),
                  key=lambda proposal: (proposal.bloc_id or "", proposal.rank or 10_000, proposal.unit_id))


@dataclass(frozen=True)
class DossierRow:
    number: int
    unit: str
    bloc: str
    total: str
    rank: str
    result: str


@dataclass(frozen=True)
class Submission:
    letterhead: Letterhead
    subject: str
    addressee: str
    addressee_note: str
    grounds: list[str]
    request: str
    result_heading: str
    rows: list[DossierRow]
    documents: list[str]
    closing: str
    signature: Signature


def _reference(kind: str, ref: str) -> str:
    """``Tờ trình số 01/TTr-KTĐ``; a reference that names its own kind (``TTr 01/…``) is given as it is."""
    return f"{document_kind(kind)} {'số ' if ref[:1].isdigit() else ''}{ref}"


def _documents(setting: Setting, form: Form, proposal: ProposalRecord) -> str:
    order = [*form.rules.documents, *form.rules.forward_documents]
    kinds = sorted(proposal.documents, key=lambda kind: (order.index(kind) if kind in order else len(order), kind))
    listed = "; ".join(_reference(kind, proposal.documents[kind]) for kind in kinds)
    return f"{setting.unit(proposal.unit_id)}: {listed or 'chưa có tài liệu'}."


def _vote_result(proposal: ProposalRecord, votes: Mapping[str, VoteRecord]) -> str:
    vote = votes.get(proposal.vote_id or "")
    if vote is None:
        return ""
    base = vote.ballots_cast if vote.threshold_of == "present" else vote.members
    count = dict(vote.results).get(proposal.unit_id, 0)
    return f"{count}/{base} phiếu ({percent(count, base)})"


def _council_result(proposal: ProposalRecord) -> str:
    council = proposal.council
    if council is None:
        return ""
    return f"{council.approve}/{council.members} phiếu ({percent(council.approve, council.members)})"


def submission(setting: Setting, form: Form, year: int, proposals: list[ProposalRecord], day: date,
               bloc_id: str | None = None, votes: Mapping[str, VoteRecord] | None = None) -> Submission:
    """The submission of ``proposals`` (see :func:`to_submit`) for ``form``, from the bloc or the province."""
    votes = votes or {}
    name = f"{form.name} năm {year}"
    authority = setting.authority(form)
    count = f"{len(proposals)} tập thể"
    if bloc_id is not None:
        bloc = setting.bloc(bloc_id)
        closed = sorted({vote.closed_on for vote in votes.values() if vote.closed_on is not None})
        on_days = f" ngày {', '.join(map(short_date, closed))}" if closed else ""
        head = setting.bloc_head(bloc_id, unnumbered("TTr"), day)
        addressee, note = f"{COUNCIL} {setting.province_in_words()}", f"(qua {HOME_AFFAIRS})"
        facts = f"Căn cứ kết quả chấm điểm, xếp hạng năm {year} và kết quả bỏ phiếu suy tôn{on_days} của {bloc};"
        request = (f"{bloc} kính đề nghị {COUNCIL} tỉnh xem xét, trình {authority} tặng {name} cho {count} sau:")
        closing = f"Kính đề nghị {COUNCIL} tỉnh xem xét./."
        signature = setting.bloc_signature(bloc_id, ["Như trên;", f"{HOME_AFFAIRS};", "Các đơn vị thành viên;",
                                                     "Lưu."])
        heading, results = "Kết quả suy tôn", [_vote_result(proposal, votes) for proposal in proposals]
    else:
        sessions = sorted({proposal.council.held_on for proposal in proposals
                           if proposal.council is not None and proposal.council.held_on is not None})
        on_days = f" ngày {', '.join(map(short_date, sessions))}" if sessions else ""
        facts = (f"Căn cứ kết quả bình xét, suy tôn của các khối, cụm thi đua và kết quả biểu quyết của {COUNCIL} "
                 f"tỉnh{on_days};")
        if form.rules.central:
            head = setting.committee_head(unnumbered("TTr-UBND"), day)
            addressee, note, sender = form.decided_by, "(qua Bộ Nội vụ)", setting.people_committee()
            signature = Signature("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký, đóng dấu)",
                                  recipients=["Như trên;", "Bộ Nội vụ;", "Lưu: VT."])
        else:
            head = setting.department_head(unnumbered("TTr-SNV"), day)
            addressee, note = authority, ""
            sender = f"{HOME_AFFAIRS} (cơ quan thường trực {COUNCIL} tỉnh)"
            signature = Signature("", "GIÁM ĐỐC", "(Ký, đóng dấu)",
                                  recipients=["Như trên;", f"{COUNCIL} tỉnh;", "Lưu: VT."])
        request = f"{sender} kính trình {addressee} xem xét, quyết định tặng {name} cho {count} sau:"
        closing = f"Kính trình {addressee} xem xét, quyết định./."
        heading, results = "Hội đồng tán thành", [_council_result(proposal) for proposal in proposals]
    rows = [DossierRow(number, setting.unit(proposal.unit_id), setting.bloc(proposal.bloc_id),
                       decimal(proposal.total) if proposal.total is not None else "",
                       str(proposal.rank) if proposal.rank is not None else "", result)
            for number, (proposal, result) in enumerate(zip(proposals, results, strict=True), start=1)]
    return Submission(
        letterhead=head, subject=f"Về việc đề nghị tặng {name}", addressee=addressee, addressee_note=note,
        grounds=[*setting.grounds(), facts], request=request, result_heading=heading, rows=rows,
        documents=[_documents(setting, form, proposal) for proposal in proposals], closing=closing,
        signature=signature)


@dataclass(frozen=True)
class ListRow:
    number: int
    unit: str
    bloc: str
    total: str
    rank: str
    state: str


@dataclass(frozen=True)
class ListGroup:
    heading: str
    rows: list[ListRow]


@dataclass(frozen=True)
class ProposalList:
    letterhead: Letterhead
    subject: str
    note: str
    groups: list[ListGroup]
    summary: str
    signature: Signature


def listed(proposals: list[ProposalRecord], year: int, award_code: str | None,
           bloc_id: str | None) -> list[ProposalRecord]:
    """The year's proposals that keep their place (neither rejected nor revoked), of the form and bloc given."""
    return [proposal for proposal in proposals
            if proposal.year == year and proposal.state in ACTIVE
            and (award_code is None or proposal.award_code == award_code)
            and (bloc_id is None or proposal.bloc_id == bloc_id)]


def _state(proposal: ProposalRecord) -> str:
    decision = proposal.decision
    if proposal.state == ProposalState.DECIDED and decision is not None:
        return f"Quyết định số {decision.decision_no} ngày {short_date(decision.decided_on)}"
    return STATES.get(proposal.state, proposal.state)


def proposal_list(setting: Setting, year: int, proposals: list[ProposalRecord], day: date,
                  award_code: str | None = None, bloc_id: str | None = None) -> ProposalList:
    """``proposals`` (see :func:`listed`) by form, in the rulebook's order of forms, each by bloc and rank."""
    codes = [form.code for form in setting.rulebook.forms]
    forms = sorted({proposal.award_code for proposal in proposals},
                   key=lambda code: (codes.index(code) if code in codes else len(codes), code))
    groups = []
    for index, code in enumerate(forms):
        chosen = sorted((proposal for proposal in proposals if proposal.award_code == code),
                        key=lambda proposal: (setting.bloc(proposal.bloc_id), proposal.rank or 10_000,
                                              setting.unit(proposal.unit_id)))
        groups.append(ListGroup(
            f"{ROMAN[index] if index < len(ROMAN) else index + 1}. {setting.form_name(code).upper()}",
            [ListRow(number, setting.unit(proposal.unit_id), setting.bloc(proposal.bloc_id),
                     decimal(proposal.total) if proposal.total is not None else "",
                     str(proposal.rank) if proposal.rank is not None else "", _state(proposal))
             for number, proposal in enumerate(chosen, start=1)]))
    what = f"tặng {setting.form_name(award_code)}" if award_code else "khen thưởng"
    if bloc_id is not None:
        head = setting.bloc_head(bloc_id, unnumbered("DS"), day)
        signature = setting.bloc_signature(bloc_id)
        by = f" của {setting.bloc(bloc_id)}"
    else:
        head = setting.department_head(unnumbered("DS-SNV"), day)
        signature = Signature("", "GIÁM ĐỐC", "(Ký, đóng dấu)")
        by = ""
    return ProposalList(
        letterhead=head, subject=f"Tập thể đề nghị {what} năm {year}",
        note=f"(Kèm theo Tờ trình số {unnumbered('TTr')} ngày {short_date(day)}{by})",
        groups=groups, signature=signature,
        summary=f"Tổng cộng: {len(proposals)} đề nghị của {len({p.unit_id for p in proposals})} tập thể.")
