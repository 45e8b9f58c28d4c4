"""Which events people are told about, whom to tell, and the words, in Vietnamese and English."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from thidua_contracts import EventPayload
from thidua_contracts.awards import AwardDecided, AwardProposed, AwardRevoked, ProposalReturned
from thidua_contracts.notifications import NotificationSent
from thidua_contracts.registry import ChairElected, ViceChairElected
from thidua_shared.aggregate import Aggregate, applies

TEMPLATES: dict[str, dict[str, str]] = {
    "chair_elected": {
        "vi": "Đơn vị {unit_id} được bầu làm trưởng khối thi đua {bloc_id} năm {year} "
              "({votes_for}/{votes_cast} phiếu).",
        "en": "Unit {unit_id} was elected chair of bloc {bloc_id} for {year} ({votes_for}/{votes_cast} votes).",
    },
    "vice_chair_elected": {
        "vi": "Đơn vị {unit_id} được bầu làm phó khối thi đua {bloc_id} năm {year} "
              "({votes_for}/{votes_cast} phiếu).",
        "en": "Unit {unit_id} was elected vice-chair of bloc {bloc_id} for {year} "
              "({votes_for}/{votes_cast} votes).",
    },
    "award_proposed": {
        "vi": "Đơn vị {unit_id} được đề nghị khen thưởng {award_code} năm {year} (hồ sơ {proposal_id}).",
        "en": "Unit {unit_id} was proposed for {award_code} for {year} (proposal {proposal_id}).",
    },
    "award_decided": {
        "vi": "Đơn vị {unit_id} được tặng {award_code} theo quyết định {decision_no} ngày {decided_on} "
              "của {authority}.",
        "en": "Unit {unit_id} was awarded {award_code} by decision {decision_no} of {decided_on} by {authority}.",
    },
    "proposal_returned": {
        "vi": "Hồ sơ {proposal_id} được trả lại để bổ sung: {missing_list} ({reason}).",
        "en": "Proposal {proposal_id} was returned for completion: {missing_list} ({reason}).",
    },
    "award_revoked": {
        "vi": "Khen thưởng theo hồ sơ {proposal_id} bị thu hồi theo quyết định {decision_no}: {reason}.",
        "en": "The award of proposal {proposal_id} was revoked by decision {decision_no}: {reason}.",
    },
}


@dataclass(frozen=True)
class Message:
    template: str
    recipient: str
    text: dict[str, str]


def message_about(payload: EventPayload) -> Message | None:
    """The message an event calls for, or None if nobody is told about it."""
    if isinstance(payload, ViceChairElected):
        template, recipient = "vice_chair_elected", f"bloc:{payload.bloc_id}"
    elif isinstance(payload, ChairElected):
        template, recipient = "chair_elected", f"bloc:{payload.bloc_id}"
    elif isinstance(payload, AwardProposed):
        template, recipient = "award_proposed", f"unit:{payload.unit_id}"
    elif isinstance(payload, AwardDecided):
        template, recipient = "award_decided", f"unit:{payload.unit_id}"
    elif isinstance(payload, ProposalReturned):
        template, recipient = "proposal_returned", f"proposal:{payload.proposal_id}"
    elif isinstance(payload, AwardRevoked):
        template, recipient = "award_revoked", f"proposal:{payload.proposal_id}"
    else:
        return None
    fields = {name: f"{value:%d/%m/%Y}" if isinstance(value, date) else value  # as people write days
              for name, value in payload.model_dump().items()}
    if isinstance(payload, ProposalReturned):
        fields["missing_list"] = ", ".join(payload.missing)
    text = {language: words.format(**fields) for language, words in TEMPLATES[template].items()}
    return Message(template, recipient, text)


def notification_stream(province: str, notification_id: str) -> str:
    return f"notification:{province}:{notification_id}"


class Notification(Aggregate):
    """One message sent, in a stream of its own (e-mail and webhooks will add its retries and failures)."""

    def __init__(self, province: str) -> None:
        self.notification_id = str(uuid.uuid4())
        super().__init__(notification_stream(province, self.notification_id), province)
        self.channel = ""

    @applies(NotificationSent)
    def _sent(self, event: NotificationSent) -> None:
        self.channel = event.channel

    def send(self, message: Message, about_event_id: str) -> None:
        """Record the message as delivered on the log channel (the only one there is yet)."""
        self.record(NotificationSent(notification_id=self.notification_id, channel="log",
                                     recipient=message.recipient, template=message.template,
                                     about_event_id=about_event_id, texts=message.text))
