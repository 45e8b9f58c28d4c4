"""Texts as people type them: one spelling (Unicode NFC) and no invisible control characters.

Vietnamese has two spellings of the same letters: precomposed (NFC, "Ủ" is one character) and
decomposed (NFD, "U" followed by a hook and a dot). They look identical, compare unequal and
PostgreSQL refuses the NUL character outright; so every text is brought to NFC at the edge,
names are compared normalised, and control characters are refused. Pure Python: domains use it.
"""

from __future__ import annotations

import re
import unicodedata

from thidua_shared.errors import Invalid

LINE_BREAKS = frozenset("\n\r\t")
"""The only control characters a multi-line text (a reason, a comment) may hold."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def one_line(text: str) -> str:
    """``text`` with its line breaks and tabs folded into single spaces: a name typed over two lines of a
    spreadsheet cell (Alt+Enter) is the same name on one line."""
    if not LINE_BREAKS & set(text):
        return text
    return " ".join(part for part in _BREAKS.split(text) if part)


_BREAKS = re.compile(r"[ \t\r\n]*[\t\r\n][ \t\r\n]*")


def same_text(first: str, second: str) -> bool:
    """Whether two texts read the same: equal once both are NFC and without surrounding spaces."""
    return nfc(first).strip() == nfc(second).strip()


def forbidden_character(text: str, allowed: frozenset[str] = frozenset()) -> str | None:
    """The first control character (NUL, escape...), or lone surrogate
    in ``text`` that is not ``allowed``, written as ``U+0000``; None when the text is clean."""
    for character in text:
        if character in allowed:
            continue
        if unicodedata.category(character) in ("Cc", "Cs"):
            return f"U+{ord(character):04X}"
    return None


def clean_line(text: str, field: str) -> str:
    """``text`` in NFC without surrounding spaces; refused (422) when it holds a control character. For texts
    that reach a domain without a command model (an imported row)."""
    found = forbidden_character(one_line(text))
    if found is not None:
        raise Invalid("text.control_character", field=field, character=found)
    return nfc(one_line(text)).strip()
