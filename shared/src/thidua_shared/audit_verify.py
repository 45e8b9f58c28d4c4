"""An auditor's check of a service's log as its HTTP API gives it (:mod:`thidua_shared.audit_api`), trusting
nothing the service says about itself but its public key and the checkpoints the auditor already holds.

Each finding names the position and what is wrong, in Vietnamese and English: an altered event (its body no
longer matches its hash), a removed or reordered one (a gap in positions, a body naming another position, a
broken chain), a cut tail (the head or a checkpoint names a later position than the log holds), and a rewrite
with consistently recomputed hashes (a signed checkpoint names another hash at its position). The findings of a
topic compared with the log (:mod:`thidua_shared.audit_topics`) are worded here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from thidua_contracts.wire import digest
from thidua_shared.checkpoints import Checkpoint
from thidua_shared.hashing import GENESIS

PROBLEMS: dict[str, dict[str, str]] = {
    "gap": {"vi": "thiếu sự kiện: mong đợi vị trí {expected}",
            "en": "missing events: expected position {expected}"},
    "altered": {"vi": "bị sửa: nội dung không khớp với mã băm",
                "en": "altered: the body does not match its hash"},
    "moved": {"vi": "bị đảo chỗ: nội dung ghi vị trí {named}",
              "en": "reordered: the body names position {named}"},
    "chain": {"vi": "đứt chuỗi: không nối với mã băm của sự kiện trước",
              "en": "chain broken: it does not chain to the previous event's hash"},
    "rewritten": {"vi": "bị viết lại (nội dung và mã băm): sự kiện sau nối với mã băm khác",
                  "en": "rewritten (body and hash): the next event chains to another hash"},
    "truncated": {"vi": "bị cắt đuôi: {who} ghi vị trí {named}, nhật ký chỉ đến {last}",
                  "en": "tail cut: {who} names position {named}, the log ends at {last}"},
    "head": {"vi": "đầu nhật ký ghi mã băm khác với sự kiện cuối", "en": "the log head names another hash than "
             "the last event's"},
    "checkpoint_hash": {"vi": "bị viết lại trước điểm kiểm tra đã ký lúc {signed_at}: mã băm khác",
                        "en": "rewritten before the checkpoint signed at {signed_at}: another hash"},
    "checkpoint_signature": {"vi": "chữ ký điểm kiểm tra lúc {signed_at} không hợp lệ với khóa công khai",
                             "en": "the checkpoint signed at {signed_at} does not verify with the public key"},
    "unpublished": {"vi": "dịch vụ ghi là đã phát lên chủ đề {topic} (đến vị trí {published}) nhưng chủ đề không có",
                    "en": "the service says it published it to the topic {topic} (up to position {published}), but the "
                          "topic does not hold it"},
    "not_stored": {"vi": "có trên chủ đề {topic} (phân vùng {partition}, offset {offset}) nhưng không có trong "
                         "nhật ký: sự kiện {event_id}",
                   "en": "on the topic {topic} (partition {partition}, offset {offset}) but not in the log: "
                         "event {event_id}"},
    "differs": {"vi": "bản trên chủ đề {topic} (phân vùng {partition}, offset {offset}) có nội dung hoặc mã băm khác "
                      "với bản trong nhật ký",
                "en": "the copy on the topic {topic} (partition {partition}, offset {offset}) has another body or hash "
                      "than the log's"},
    "topic_unreadable": {"vi": "tin nhắn trên chủ đề {topic} (phân vùng {partition}, offset {offset}) không phải một "
                               "sự kiện đã phát",
                         "en": "the message on the topic {topic} (partition {partition}, offset {offset}) is not a "
                               "published event"},
}
WHO = {"head": {"vi": "đầu nhật ký", "en": "the log head"},
       "checkpoint": {"vi": "điểm kiểm tra", "en": "a checkpoint"}}


@dataclass(frozen=True)
class Finding:
    position: int
    problem: str
    params: dict[str, Any] = field(default_factory=dict)

    def words(self, language: str = "vi") -> str:
        params = {key: WHO[value][language] if key == "who" else value for key, value in self.params.items()}
        return PROBLEMS[self.problem][language].format(**params)


@dataclass(frozen=True)
class Entry:
    position: int
    hash: str
    prev_hash: str
    body: str | None


def verify_log_entries(entries: Sequence[Entry], head_position: int, head_hash: str) -> list[Finding]:
    """The chain of the entries in order, and the head: an event whose body and hash were both rewritten still
    matches its own hash, but the next event chains to its original hash, so that event is named."""
    findings: list[Finding] = []
    prev_hash, prev_position, prev_in_place = GENESIS, 0, False
    for entry in entries:
        gap = entry.position != prev_position + 1
        if gap:
            findings.append(Finding(entry.position, "gap", {"expected": prev_position + 1}))
        intact, moved, chains_to = True, False, entry.prev_hash
        if entry.body is not None:
            intact = digest(entry.body.encode()) == entry.hash
            document = _document(entry.body)
            moved = document.get("position") != entry.position
            chains_to = str(document.get("prev_hash", ""))
            if not intact:
                findings.append(Finding(entry.position, "altered"))
            if moved and intact:
                findings.append(Finding(entry.position, "moved", {"named": document.get("position")}))
        if chains_to != prev_hash:
            if intact and not gap and not moved and prev_in_place:
                findings.append(Finding(prev_position, "rewritten"))
            elif not gap and intact:
                findings.append(Finding(entry.position, "chain"))
        prev_hash, prev_position, prev_in_place = entry.hash, entry.position, intact and not gap and not moved
    if head_position > prev_position:
        findings.append(Finding(prev_position + 1, "truncated", {"who": "head", "named": head_position,
                                                                  "last": prev_position}))
    elif head_position == prev_position and head_hash != prev_hash and prev_position > 0:
        findings.append(Finding(prev_position, "head"))
    return findings


def verify_checkpoints(entries: Sequence[Entry], checkpoints: Sequence[Checkpoint],
                       public_key_pem: str) -> list[Finding]:
    """Each checkpoint verifies with the public key, and the log holds at its position the hash it signed."""
    hashes = {entry.position: entry.hash for entry in entries}
    last = max(hashes, default=0)
    findings: list[Finding] = []
    for checkpoint in checkpoints:
        if not checkpoint.verified_by(public_key_pem):
            findings.append(Finding(checkpoint.position, "checkpoint_signature", {"signed_at": checkpoint.signed_at}))
        elif checkpoint.position > last:
            findings.append(Finding(last + 1, "truncated", {"who": "checkpoint", "named": checkpoint.position,
                                                             "last": last}))
        elif checkpoint.position > 0 and hashes.get(checkpoint.position) != checkpoint.hash:
            findings.append(Finding(checkpoint.position, "checkpoint_hash", {"signed_at": checkpoint.signed_at}))
    return findings


def first_of(findings: Sequence[Finding]) -> Finding | None:
    return min(findings, key=lambda finding: finding.position, default=None)


def _document(body: str) -> dict[str, Any]:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return {}
    return document if isinstance(document, dict) else {}
