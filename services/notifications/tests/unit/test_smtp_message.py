"""What a mail reader shows of the message thidua sends: the long Vietnamese subject whole, names in From/To."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from aiosmtplib.email import flatten_message

from notifications.adapters.mail import OutgoingMail
from notifications.adapters.smtp import SmtpSettings, message_of

SUBJECTS = [
    "Kết quả bỏ phiếu suy tôn Cờ thi đua của UBND tỉnh năm 2023 của Khối thi đua các Ban xây dựng Đảng và các "
    "cơ quan trực thuộc Tỉnh ủy",
    "Hồ sơ đề nghị tặng Cờ thi đua của Chính phủ cho Văn phòng Tỉnh ủy đã được trình Trung ương",
    "Ban Tổ chức Tỉnh ủy được tặng Cờ thi đua của UBND tỉnh",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_long_vietnamese_subject_reads_in_the_mailbox_word_for_word(subject: str) -> None:
    mail = OutgoingMail(notification_id="n", about_event_id="e", template="award_decided",
                        to_address="vanphong@hanam.gov.vn", to_name="Văn phòng Tỉnh ủy", language="vi",
                        subject=subject, text="Nội dung", html="<p>Nội dung</p>", message_id="<n@thidua.hnm>")
    sent = flatten_message(message_of(SmtpSettings(sender="thidua@hanam.gov.vn"), mail))

    assert max(len(line) for line in sent.splitlines()) <= 78, "headers are folded as SMTP wants"
    read = message_from_bytes(sent, policy=policy.default)
    assert read["Subject"] == subject
    assert read["To"] == "Văn phòng Tỉnh ủy <vanphong@hanam.gov.vn>"
    [sender] = read["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Hệ thống thi đua, khen thưởng", "thidua@hanam.gov.vn")
    assert read["Message-ID"] == "<n@thidua.hnm>"
    body = read.get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content().strip() == "Nội dung"
