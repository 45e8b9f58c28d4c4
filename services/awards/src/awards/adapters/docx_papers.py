"""The papers as Word files (DOCX): each paper of ``awards.domain.papers`` fills its template in
``paper_templates`` (docxtpl: a document laid out in Word, with Jinja tags where the paper's words go).

Every value is escaped as XML (``autoescape``): a name with ``&`` or ``<`` stays text. A tag that names a field
the paper lacks fails the rendering (``StrictUndefined``) instead of leaving a blank.
"""

from __future__ import annotations

import io
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from awards.domain.papers.decision import DraftDecision
from awards.domain.papers.dossier import ProposalList, Submission
from awards.domain.papers.minutes import CouncilMinutes, VoteMinutes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEMPLATES = Path(__file__).parent / "paper_templates"
Paper = VoteMinutes | CouncilMinutes | Submission | ProposalList | DraftDecision
TEMPLATE_OF: dict[type, str] = {VoteMinutes: "vote_minutes.docx", CouncilMinutes: "council_minutes.docx",
                                Submission: "submission.docx", ProposalList: "proposals.docx",
                                DraftDecision: "decision.docx"}


def render(paper: Paper) -> bytes:
    """The paper's DOCX file."""
    template = DocxTemplate(TEMPLATES / TEMPLATE_OF[type(paper)])
    template.render({"paper": paper}, jinja_env=Environment(autoescape=True, undefined=StrictUndefined))
    content = io.BytesIO()
    template.save(content)
    return content.getvalue()
