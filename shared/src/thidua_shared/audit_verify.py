"""An auditor's check of a service's log as its HTTP API gives it (:mod:`thidua_shared.audit_api`), trusting
nothing the service says about itself but its public key and the checkpoints the auditor already holds.

Each finding names the position and what is wrong, in Vietnamese and English: an altered event (its body no
longer matches its hash), a removed or reordered one (a gap in positions, a body naming another position, a
broken chain), a cut tail (the head or a checkpoint names a later position than the log holds), and a rewrite
with consistently recomputed hashes (a signed checkpoint names another hash at its position). The findings of a
topic compared with the log (:mod:`thidua_shared.audit_topics`) are worded here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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


class ChainCheck:
    """The chain of a log's entries fed in order, page by page, holding nothing of them but the last hash and the
    hashes at ``keep`` (the positions checkpoints name): an auditor checks a log of millions of events in constant
    memory. :meth:`finish` compares the end with the head and gives the findings."""

    def __init__(self, keep: Iterable[int] = ()) -> None:
        self.findings: list[Finding] = []
        self.count = 0
        self.hashes: dict[int, str] = {}
        """The hash at each position of ``keep`` the log holds."""
        self._keep = set(keep)
        self._prev_hash, self._prev_position, self._prev_in_place = GENESIS, 0, False

    @property
    def last(self) -> int:
        return self._prev_position

    def feed(self, entry: Entry) -> None:
        """An event whose body and hash were both rewritten still matches its own hash, but the next event chains
        to its original hash, so that event is named."""
        self.count += 1
        gap = entry.position != self._prev_position + 1
        if gap:
            self.findings.append(Finding(entry.position, "gap", {"expected": self._prev_position + 1}))
        intact, moved, chains_to = True, False, entry.prev_hash
        if entry.body is not None:
            intact = digest(entry.body.encode()) == entry.hash
            document = _document(entry.body)
            moved = document.get("position") != entry.position
            chains_to = str(document.get("prev_hash", ""))
            if not intact:
                self.findings.append(Finding(entry.position, "altered"))
            if moved and intact:
                self.findings.append(Finding(entry.position, "moved", {"named": document.get("position")}))
        if chains_to != self._prev_hash:
            if intact and not gap and not moved and self._prev_in_place:
                self.findings.append(Finding(self._prev_position, "rewritten"))
            elif not gap and intact:
                self.findings.append(Finding(entry.position, "chain"))
        if entry.position in self._keep:
            self.hashes[entry.position] = entry.hash
        self._prev_hash, self._prev_position = entry.hash, entry.position
        self._prev_in_place = intact and not gap and not moved

    def finish(self, head_position: int, head_hash: str) -> list[Finding]:
        findings = list(self.findings)
        if head_position > self._prev_position:
            findings.append(Finding(self._prev_position + 1, "truncated", {
                "who": "head", "named": head_position, "last": self._prev_position}))
        elif head_position == self._prev_position and head_hash != self._prev_hash and self._prev_position > 0:
            findings.append(Finding(self._prev_position, "head"))
        return findings


def verify_log_entries(entries: Iterable[Entry], head_position: int, head_hash: str) -> list[Finding]:
    """The chain of the entries in order, and the head (see :class:`ChainCheck`)."""
    check = ChainCheck()
    for entry in entries:
        check.feed(entry)
    return check.finish(head_position, head_hash)


def verify_checkpoints(hashes: Mapping[int, str], last: int, checkpoints: Sequence[Checkpoint],
                       public_key_pem: str) -> list[Finding]:
    """Each checkpoint verifies with the public key, and the log (its hashes at the checkpoints' positions, as
    :class:`ChainCheck` keeps them, and its last position) holds at its position the hash it signed."""
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
