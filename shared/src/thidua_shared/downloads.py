"""Files the services hand out: a ``Content-Disposition`` any name survives, and spreadsheet cells that
a spreadsheet shows rather than runs.

Not domain-specific: any service that answers with a file, or writes a CSV or XLSX, uses them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What makes a spreadsheet read a text cell as a formula (OWASP's CSV injection advice: ``=``, ``+``,
``-``, ``@``, tab and carriage return; with their full-width forms, which some spreadsheets fold)."""

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()-]+")
_STROKED = str.maketrans({"Đ": "D", "đ": "d"})
MAX_NAME = 200


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def defused_cell(value: Any) -> Any:
    """A CSV cell as text a spreadsheet shows: a leading ``'`` before what it would run as a formula.

    Numbers stay numbers (a negative total is not a formula); only text is prefixed.
    """
    return "'" + value if looks_like_formula(value) else value


def safe_filename(name: str, fallback: str = "file") -> str:
    """A file name with no folder, no control or format characters (line breaks, bidi overrides), in NFC,
    of at most ``MAX_NAME`` characters; ``fallback`` when nothing is left (``..``, empty)."""
    base = re.split(r"[\\/]", name)[-1]
    kept = "".join(char for char in unicodedata.normalize("NFC", base)
                   if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
    kept = kept.strip().strip(".").strip()
    return kept[:MAX_NAME] or fallback


def _ascii_name(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.translate(_STROKED)).encode("ascii", "ignore").decode()
    return _UNSAFE_ASCII.sub("_", plain).strip("_ ") or "file"


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """An RFC 6266 ``Content-Disposition``: an ASCII ``filename`` for old clients and, when the name is
    not plain ASCII, ``filename*`` in UTF-8 (RFC 8187). No quote, semicolon or line break of the name
    can add a parameter or a header; no folder of it reaches the client."""
    name = safe_filename(name)
    fallback = _ascii_name(name)
    header = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


SAFE_FILE_HEADERS = {"X-Content-Type-Options": "nosniff",
                     "Content-Security-Policy": "default-src 'none'; sandbox"}
"""Headers for a file someone uploaded: the browser neither guesses its type nor runs it."""
