"""What makes two requests "the same request" for an Idempotency-Key."""

from __future__ import annotations

import unicodedata

from thidua_shared.idempotency import fingerprint

PATH = "/provinces/HNM/units"


def _hash(body: bytes, content_type: str = "application/json", query: str = "", method: str = "POST",
          path: str = PATH) -> str:
    return fingerprint(method, path, query, content_type, body).request_hash


def test_the_same_json_in_another_key_order_spacing_or_unicode_form_is_the_same_request() -> None:
    name = "Ủy ban Kiểm tra"
    composed = f'{{"unit_id": "ubkt", "name": "{unicodedata.normalize("NFC", name)}"}}'.encode()
    decomposed = f'{{ "name":"{unicodedata.normalize("NFD", name)}","unit_id":"ubkt" }}'.encode()
    assert _hash(composed) == _hash(decomposed, "application/json; charset=utf-8")


def test_another_value_path_method_or_query_is_another_request() -> None:
    body = b'{"unit_id": "ubkt"}'
    assert len({_hash(body), _hash(b'{"unit_id": "btc"}'), _hash(body, path=PATH + "/x"),
                _hash(body, method="PUT"), _hash(body, query="year=2025")}) == 5


def test_an_upload_is_compared_by_its_bytes_and_media_type() -> None:
    csv = "unit_id,unit_name\nubkt,Ủy ban Kiểm tra\n".encode()
    assert _hash(csv, "text/csv") == _hash(csv, "text/csv")
    assert _hash(csv, "text/csv") != _hash(csv + b"\n", "text/csv")
    assert _hash(csv, "text/csv") != _hash(csv, "application/octet-stream")


def test_a_body_that_is_not_json_is_compared_by_its_bytes() -> None:
    assert _hash(b"{not json") == _hash(b"{not json")
    assert _hash(b"{not json") != _hash(b"{not  json")


def test_a_password_is_no_part_of_a_requests_fingerprint() -> None:
    first = _hash('{"username": "lua.dt", "password": "Hoa sen nở 2025"}'.encode())
    other = _hash(b'{"username": "lua.dt", "password": "another one"}')
    nested = _hash(b'{"username": "lua.dt", "new_password": "x", "current_password": "y"}')
    assert first == other == _hash(b'{"username": "lua.dt"}') == nested
