"""What if another rulebook version had applied: a bloc-year's proposals judged again, read only.

A query, not a command: it reads the facts through the ``GatherFacts`` port and records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from awards.application.ports import GatherFacts
from awards.domain.rulebook import NATIONAL_DEFAULTS, Rulebook, filing_season, in_force
from awards.domain.what_if import FiledProposal, Rejudged, rejudge


def known_versions(adopted: Iterable[Rulebook]) -> dict[str, Rulebook]:
    """Every rulebook version of the province by its name: the national defaults, then its own."""
    return {book.version: book for book in (*NATIONAL_DEFAULTS, *adopted)}


async def what_if(gather: GatherFacts, province: str, proposals: list[FiledProposal], other: Rulebook,
                  adopted: list[Rulebook]) -> list[Rejudged]:
    """Each proposal under the version pinned on it (or, were that version unknown, the one in force in its
    year's filing season) and under ``other``, from the same facts, its own proposal left out of the counts."""
    books = known_versions(adopted)
    judged = []
    for proposal in proposals:
        applied = books.get(proposal.rule_version) or in_force(filing_season(proposal.year), adopted)
        facts = []
        for book in (applied, other):
            form = book.form(proposal.award_code)
            facts.append(None if form is None else await gather(
                province, proposal.unit_id, proposal.year, form, proposal.bloc_id, "proposal", proposal.proposal_id))
        if facts[0] is None:
            continue  # the filed version has no such form: nothing was judged under it to compare with
        judged.append(rejudge(proposal, applied, facts[0], other, facts[1] or facts[0]))
    return judged
