"""What every service's commands share: strict models and bounded types for what people send.

Every value a command takes from JSON is strict (``"5"`` or ``true`` is not a number) and bounded:
years and days within :data:`FIRST_YEAR`-:data:`LAST_YEAR`, texts NFC-normalised, without control
characters and of a limited length, lists of a limited count. The bounds appear in the OpenAPI.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

from thidua_shared.text import LINE_BREAKS, forbidden_character, nfc, one_line

FIRST_YEAR, LAST_YEAR = 1945, 2100
"""From the founding of the Democratic Republic of Viet Nam (and its first emulation movement) on."""
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
IDENTIFIER_FORM = r"^[a-z0-9][a-z0-9-]{0,99}$"
EMAIL_FORM = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _clean(allowed: frozenset[str]) -> Any:
    def clean(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if not allowed:
            value = one_line(value)
        found = forbidden_character(value, allowed)
        if found is not None:
            raise PydanticCustomError("text_control_character",
                                      "the text holds the control character {character}; remove it",
                                      {"character": found})
        return nfc(value)

    return BeforeValidator(clean)


CLEAN_LINE = _clean(frozenset())
CLEAN_PARAGRAPH = _clean(LINE_BREAKS)
Line = Annotated[str, CLEAN_LINE]
"""One line of text (a name, a title, a reference): NFC, line breaks folded into spaces, no other control
character. Each field gives its bounds,
``name: Line = Field(min_length=1, max_length=300)``; an alias puts them first,
``Annotated[str, Field(max_length=200), CLEAN_LINE]``, so that they apply to the text itself."""
Paragraph = Annotated[str, CLEAN_PARAGRAPH]
"""Text that may run over lines (a reason, a comment): NFC, no control character but line breaks and tabs."""
Identifier = Annotated[str, Field(pattern=IDENTIFIER_FORM, max_length=100,
                                  description="lower-case letters, digits and hyphens, e.g. 'ban-to-chuc'")]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR, description="e.g. 2025")]
Day = Annotated[date, Strict(False), Field(ge=FIRST_DAY, le=LAST_DAY, description="YYYY-MM-DD")]
"""A calendar day, written ``YYYY-MM-DD`` in JSON, between 1945-01-01 and 2100-12-31."""
Email = Annotated[str, Field(pattern=EMAIL_FORM, max_length=254, description="e.g. vanphong@hanam.gov.vn")]


class Command(BaseModel):
    """Imperative, immutable, strict: unknown fields, NaN and infinity are refused, and no value is
    coerced (a number is a JSON number, a flag a JSON boolean; days are the one text that is parsed)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, strict=True)
