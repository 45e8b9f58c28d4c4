"""The draft decision (dự thảo quyết định) of a form decided in the province: the units the council passed,
each with its reward money, for the decider to sign; or a decision already recorded, with its number.

Reward money is the decision's own where it was recorded; otherwise the form's multiple of the base salary in
force on the draft's day (``awards.domain.money``). A form decided at the central level gets no draft here:
the province submits it (``dossier.submission``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from awards.domain.model import ProposalState
from awards.domain.money import reward_on
from awards.domain.papers.records import ProposalRecord
from awards.domain.papers.setting import HOME_AFFAIRS, Letterhead, Setting, Signature, unnumbered
from awards.domain.papers.words import BLANK, amount_in_words, decimal, figures, short_date
from awards.domain.rulebook import Form


def to_decide(proposals: list[ProposalRecord], form: Form, year: int,
              decision_no: str | None = None) -> list[ProposalRecord]:
    """The decision's proposals: those with ``decision_no``; else those the council passed and no one decided
    yet; else, when all are decided, the decided ones."""
    mine = [proposal for proposal in proposals if proposal.year == year and proposal.award_code == form.code]
    decided = [proposal for proposal in mine
               if proposal.state == ProposalState.DECIDED and proposal.decision is not None]
    if decision_no is not None:
        chosen = [proposal for proposal in decided
                  if proposal.decision is not None and proposal.decision.decision_no == decision_no]
    else:
        chosen = [proposal for proposal in mine if proposal.state == ProposalState.APPROVED] or decided
    return sorted(chosen, key=lambda proposal: (proposal.bloc_id or "", proposal.rank or 10_000, proposal.unit_id))


@dataclass(frozen=True)
class RewardRow:
    number: int
    unit: str
    reward: str


@dataclass(frozen=True)
class DraftDecision:
    letterhead: Letterhead
    subject: str
    authority: str
    grounds: list[str]
    article_1: str
    """Each article's text, after its number (``Điều 1.``), which the layout sets in bold."""
    rows: list[RewardRow]
    total: str
    article_2: str
    article_3: str
    signature: Signature


def _reward(proposal: ProposalRecord, form: Form, day: date) -> tuple[int | None, str]:
    """The proposal's reward in đồng and how it was reckoned (the multiple, the base salary and its decree)."""
    decision = proposal.decision
    if decision is not None and decision.reward_vnd is not None:
        multiple = decision.reward_multiple if decision.reward_multiple is not None else form.rules.base_multiple
        base, basis = decision.base_salary_vnd, decision.base_salary_basis
        how = f"{decimal(multiple)} lần mức lương cơ sở"
        if base is not None:
            how += f" ({figures(base)} đồng{f', theo {basis}' if basis else ''})"
        return decision.reward_vnd, how
    reward = reward_on(form.rules.base_multiple, day)
    if reward is None:
        return None, f"{decimal(form.rules.base_multiple)} lần mức lương cơ sở"
    return reward.vnd, (f"{decimal(reward.multiple)} lần mức lương cơ sở ({figures(reward.base_salary.vnd)} đồng, "
                        f"theo {reward.base_salary.basis})")


def draft_decision(setting: Setting, form: Form, year: int, proposals: list[ProposalRecord],
                   day: date) -> DraftDecision:
    """The decision of ``proposals`` (see :func:`to_decide`): numbered and dated as recorded when they all share
    one recorded decision, left blank for the office otherwise."""
    decisions = {(proposal.decision.decision_no, proposal.decision.decided_on)
                 for proposal in proposals if proposal.decision is not None}
    recorded = next(iter(decisions)) if len(decisions) == 1 and all(proposal.decision for proposal in proposals) \
        else None
    number, dated = recorded if recorded is not None else (unnumbered("QĐ-UBND"), None)
    rewards = [_reward(proposal, form, day) for proposal in proposals]
    amounts = [amount for amount, _ in rewards]
    known = [amount for amount in amounts if amount is not None]
    total = sum(known)
    rows = [RewardRow(index, setting.unit(proposal.unit_id), figures(amount) if amount is not None else BLANK)
            for index, (proposal, amount) in enumerate(zip(proposals, amounts, strict=True), start=1)]
    reckonings = sorted({how for _, how in rewards})
    if len(set(amounts)) == 1 and known:
        each = (f"Mỗi tập thể được thưởng {reckonings[0]}, thành tiền {figures(known[0])} đồng "
                f"(Bằng chữ: {amount_in_words(known[0])}).")
    else:
        each = f"Mỗi tập thể được thưởng {'; '.join(reckonings)}; số tiền của từng tập thể tại Điều 1."
    sum_up = (f" Tổng số tiền thưởng: {figures(total)} đồng (Bằng chữ: {amount_in_words(total)})."
              if len(known) == len(amounts) and known else "")
    sessions = sorted({proposal.council.held_on for proposal in proposals
                       if proposal.council is not None and proposal.council.held_on is not None})
    council = ([f"Căn cứ kết quả biểu quyết của Hội đồng Thi đua - Khen thưởng tỉnh ngày "
                f"{', '.join(map(short_date, sessions))};"] if sessions else [])
    department = f"Theo đề nghị của Giám đốc {HOME_AFFAIRS} tại Tờ trình số {unnumbered('TTr-SNV')} ngày {BLANK}."
    decider = setting.authority(form)
    return DraftDecision(
        letterhead=setting.committee_head(number, dated),
        subject=f"Về việc tặng {form.name} năm {year}",
        authority=decider.upper(),
        grounds=[*setting.grounds(), *council, department],
        article_1=f"Tặng {form.name} năm {year} cho {len(proposals)} tập thể sau:",
        rows=rows, total=figures(total) if known else BLANK,
        article_2=f"{each}{sum_up} Kinh phí khen thưởng chi theo quy định hiện hành.",
        article_3=("Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc "
                   f"{HOME_AFFAIRS}, thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể có tên tại Điều 1 chịu "
                   "trách nhiệm thi hành Quyết định này./."),
        signature=Signature("", "CHỦ TỊCH" if decider.startswith("Chủ tịch") else form.decided_by.upper(),
                            "(Ký, đóng dấu)", recipients=["Như Điều 3;", f"Lưu: VT, {HOME_AFFAIRS}."]))
