"""The messages' templates: one file per kind, language and part (``<kind>.<lang>.subject.j2``, ``.txt.j2``,
``.html.j2``) in the package's ``templates`` folder; HTML is escaped, a missing word is an error."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from notifications.domain.recipients import Kind, Language

PARTS = ("subject", "txt", "html")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str

    @property
    def summary(self) -> str:
        """The message in one sentence: the text's first paragraph, on one line."""
        return " ".join(self.text.split("\n\n", 1)[0].split())


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("notifications", "templates"), undefined=StrictUndefined,
                       autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
                       keep_trailing_newline=True)


def render(kind: Kind, language: Language, words: dict[str, Any]) -> Rendered:
    environment = _environment()
    subject, text, html = (environment.get_template(f"{kind}.{language}.{part}.j2").render(words) for part in PARTS)
    return Rendered(subject=" ".join(subject.split()), text=text.strip() + "\n", html=html)
