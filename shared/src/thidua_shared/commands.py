"""What every service's commands share: strict models and the form of identifiers."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from thidua_shared.contracts.base import STRICT

Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$",
                                  description="lower-case letters, digits and hyphens, e.g. 'ban-to-chuc'")]
Year = Annotated[int, Field(ge=2000, le=2100)]
EMAIL_FORM = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
Email = Annotated[str, Field(pattern=EMAIL_FORM, max_length=254, description="e.g. vanphong@hanam.gov.vn")]


class Command(BaseModel):
    """Imperative, immutable, strict: unknown fields, NaN and infinity are refused."""

    model_config = STRICT
