"""Texts in Vietnamese (default) and English, chosen by the request's ``Accept-Language``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol, runtime_checkable

Catalogue = Mapping[str, Mapping[str, str]]
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
"""A day as the domain passes it in a message's parameters; people read it as dd/mm/yyyy."""

COMMON: dict[str, dict[str, str]] = {
    "auth.missing_token": {
        "vi": "Thiếu mã truy cập: gửi tiêu đề 'Authorization: Bearer <mã>' (tạo bằng 'thidua token issue').",
        "en": "Missing access token: send 'Authorization: Bearer <token>' (create one with 'thidua token issue').",
    },
    "auth.bad_token": {
        "vi": "Mã truy cập không hợp lệ hoặc đã bị thu hồi.",
        "en": "The access token is unknown or has been revoked.",
    },
    "auth.wrong_province": {
        "vi": "Mã truy cập của tỉnh {token_province} không được dùng cho tỉnh {province}.",
        "en": "A token of province {token_province} cannot be used for province {province}.",
    },
    "auth.role_required": {
        "vi": "Thao tác này cần vai trò {roles}; mã truy cập đang có vai trò {role}.",
        "en": "This needs the role {roles}; the token has the role {role}.",
    },
    "auth.auditor_reads_only": {
        "vi": "Thanh tra, kiểm toán chỉ được đọc; mã truy cập vai trò auditor không được dùng cho yêu cầu {method}.",
        "en": "Auditors only read: a token of the auditor role cannot be used for a {method} request.",
    },
    "auth.own_bloc_only": {
        "vi": "Thư ký khối chỉ được thao tác cho khối của mình ({bloc_id}).",
        "en": "A bloc secretary may act only for its own bloc ({bloc_id}).",
    },
    "auth.own_unit_only": {
        "vi": "Cán bộ đơn vị chỉ được thao tác cho đơn vị của mình ({unit_id}).",
        "en": "A unit officer may act only for its own unit ({unit_id}).",
    },
    "store.conflict": {
        "vi": "Dữ liệu {stream_id} vừa được người khác thay đổi; hãy tải lại rồi thử lại.",
        "en": "{stream_id} was changed by someone else meanwhile; reload and try again.",
    },
    "idempotency.bad_key": {
        "vi": "Tiêu đề Idempotency-Key không hợp lệ ({length} ký tự): cần từ 1 đến 200 ký tự ASCII nhìn thấy được, "
              "không có dấu cách hay dấu tiếng Việt, ví dụ một UUID mới cho mỗi lệnh.",
        "en": "The Idempotency-Key header is malformed ({length} characters): use 1 to 200 visible ASCII "
              "characters, no spaces or accents, e.g. a new UUID for each command.",
    },
    "idempotency.key_reused": {
        "vi": "Khóa Idempotency-Key '{key}' đã được dùng cho một yêu cầu khác ({method} {path}); mỗi lệnh mới cần "
              "một khóa mới, chỉ gửi lại cùng khóa khi thử lại đúng yêu cầu đó.",
        "en": "The Idempotency-Key '{key}' was already used for another request ({method} {path}); send a new "
              "key with each new command, and the same key only to retry that same request.",
    },
    "idempotency.in_progress": {
        "vi": "Yêu cầu đầu tiên mang khóa Idempotency-Key '{key}' chưa xong; hãy thử lại sau ít giây.",
        "en": "The first request with the Idempotency-Key '{key}' has not finished yet; retry in a few seconds.",
    },
    "request.invalid": {
        "vi": "Yêu cầu không hợp lệ: {details}",
        "en": "Invalid request: {details}",
    },
    "ready.broker_unreachable": {
        "vi": "Không kết nối được Kafka: sự kiện chưa được phát đi và chưa nhận được sự kiện của dịch vụ khác.",
        "en": "Kafka does not answer: events are not being published, nor other services' events received.",
    },
    "ready.task_not_running": {
        "vi": "Tác vụ {task} chưa chạy (đã khởi động lại {restarts} lần; lỗi gần nhất: {error}).",
        "en": "Task {task} is not running (restarted {restarts} times; last error: {error}).",
    },
    "ready.task_joining": {
        "vi": "Tác vụ {task} đang chờ Kafka giao phân vùng để đọc (thường vài giây sau khi khởi động).",
        "en": "Task {task} is waiting for Kafka to assign it partitions (usually a few seconds after a start).",
    },
    "request.malformed": {
        "vi": "Nội dung yêu cầu không đọc được: {reason}. Hãy gửi JSON hợp lệ, mã hoá UTF-8.",
        "en": "The request body cannot be read: {reason}. Send valid JSON, encoded in UTF-8.",
    },
    "request.refused": {
        "vi": "Yêu cầu bị từ chối ({status}): {reason}.",
        "en": "The request was refused ({status}): {reason}.",
    },
    "route.not_found": {
        "vi": "Không có đường dẫn {path}; xem các đường dẫn tại /docs.",
        "en": "There is no route {path}; see the routes at /docs.",
    },
    "route.method_not_allowed": {
        "vi": "Đường dẫn {path} không nhận phương thức {method}; xem /docs.",
        "en": "The route {path} does not accept {method}; see /docs.",
    },
    "store.busy": {
        "vi": "Cơ sở dữ liệu đang bận với một thao tác ghi khác; hãy thử lại sau {retry_after} giây.",
        "en": "The database is busy with another write; try again in {retry_after} seconds.",
    },
    "text.control_character": {
        "vi": "Trường {field} chứa ký tự điều khiển {character}; hãy bỏ ký tự đó.",
        "en": "The field {field} holds the control character {character}; remove it.",
    },
    "audit.read_model_unknown": {
        "vi": "Dịch vụ này không có bảng dữ liệu đọc {table}; các bảng: {tables}.",
        "en": "This service keeps no read model {table}; its read models: {tables}.",
    },
    "audit.read_model_cursor": {
        "vi": "Tham số after không phải vị trí trang của bảng {table} ({error}); hãy dùng next_after của trang trước.",
        "en": "The after parameter is not a page position of {table} ({error}); pass the previous page's next_after.",
    },
    "province.unknown": {
        "vi": "Dịch vụ này không phục vụ tỉnh {province}; các tỉnh được phục vụ: {served}.",
        "en": "This service does not serve province {province}; it serves: {served}.",
    },
}


FIELD_PROBLEMS: dict[str, dict[str, str]] = {
    "missing": {"vi": "thiếu trường này", "en": "this field is required"},
    "extra_forbidden": {"vi": "trường không được phép (hãy bỏ đi)", "en": "unknown field (remove it)"},
    "string_type": {"vi": "phải là chuỗi ký tự", "en": "must be a string"},
    "int_type": {"vi": "phải là số nguyên JSON (không đặt trong ngoặc kép)",
                 "en": "must be a JSON integer (not in quotes)"},
    "int_from_float": {"vi": "phải là số nguyên", "en": "must be a whole number"},
    "float_type": {"vi": "phải là số JSON (không đặt trong ngoặc kép, không phải true/false)",
                   "en": "must be a JSON number (not in quotes, not true/false)"},
    "bool_type": {"vi": "phải là true hoặc false", "en": "must be true or false"},
    "finite_number": {"vi": "phải là số hữu hạn", "en": "must be a finite number"},
    "string_too_short": {"vi": "cần ít nhất {min_length} ký tự", "en": "needs at least {min_length} characters"},
    "string_too_long": {"vi": "tối đa {max_length} ký tự", "en": "at most {max_length} characters"},
    "too_short": {"vi": "cần ít nhất {min_length} mục", "en": "needs at least {min_length} items"},
    "too_long": {"vi": "tối đa {max_length} mục", "en": "at most {max_length} items"},
    "string_pattern_mismatch": {"vi": "không đúng mẫu {pattern}", "en": "does not match {pattern}"},
    "greater_than": {"vi": "phải lớn hơn {gt}", "en": "must be greater than {gt}"},
    "greater_than_equal": {"vi": "phải từ {ge} trở lên", "en": "must be {ge} or more"},
    "less_than": {"vi": "phải nhỏ hơn {lt}", "en": "must be less than {lt}"},
    "less_than_equal": {"vi": "phải từ {le} trở xuống", "en": "must be {le} or less"},
    "literal_error": {"vi": "phải là một trong {expected}", "en": "must be one of {expected}"},
    "enum": {"vi": "phải là một trong {expected}", "en": "must be one of {expected}"},
    "date_type": {"vi": "phải là ngày dạng YYYY-MM-DD", "en": "must be a day written YYYY-MM-DD"},
    "date_parsing": {"vi": "phải là ngày dạng YYYY-MM-DD", "en": "must be a day written YYYY-MM-DD"},
    "date_from_datetime_parsing": {"vi": "phải là ngày dạng YYYY-MM-DD", "en": "must be a day written YYYY-MM-DD"},
    "date_from_datetime_inexact": {"vi": "phải là ngày dạng YYYY-MM-DD", "en": "must be a day written YYYY-MM-DD"},
    "list_type": {"vi": "phải là danh sách JSON", "en": "must be a JSON list"},
    "dict_type": {"vi": "phải là đối tượng JSON", "en": "must be a JSON object"},
    "model_type": {"vi": "phải là đối tượng JSON", "en": "must be a JSON object"},
    "model_attributes_type": {"vi": "phải là đối tượng JSON", "en": "must be a JSON object"},
    "json_invalid": {"vi": "JSON không hợp lệ ({error})", "en": "invalid JSON ({error})"},
    "text_control_character": {"vi": "chứa ký tự điều khiển {character}; hãy bỏ ký tự đó",
                               "en": "holds the control character {character}; remove it"},
}
"""What is wrong with one field, by the validation error's type; others keep the validator's English words."""


@runtime_checkable
class Localized(Protocol):
    """A value that words itself in a language (a citation, say): messages and answers ask it for theirs."""

    def in_language(self, language: str) -> str: ...


def pick_language(accept_language: str | None) -> str:
    if not accept_language:
        return DEFAULT_LANGUAGE
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def render(catalogue: Catalogue, code: str, language: str, params: Mapping[str, Any]) -> str:
    """The message of ``code`` in ``language``. A parameter whose value the catalogue names as
    ``"value.<parameter>.<value>"`` (a role, a state) is given in words, not as the code."""
    texts = catalogue.get(code) or COMMON.get(code)
    if texts is None:
        return code
    template = texts.get(language) or texts[DEFAULT_LANGUAGE]
    worded = {name: _worded(catalogue, name, value, language) for name, value in params.items()}
    try:
        return template.format(**worded)
    except (KeyError, IndexError):
        return template


def _worded(catalogue: Catalogue, name: str, value: Any, language: str) -> Any:
    """A parameter as a person reads it: a role or a state in words, a date as dd/mm/yyyy, a localized value in
    the language."""
    if isinstance(value, Localized):
        return value.in_language(language)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if not isinstance(value, str):
        return value
    if ISO_DAY.fullmatch(value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    texts = catalogue.get(f"value.{name}.{value}")
    if texts is None:
        return value
    return texts.get(language) or texts[DEFAULT_LANGUAGE]
