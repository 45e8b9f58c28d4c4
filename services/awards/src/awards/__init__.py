"""Awards: the rulebook, eligibility, honouring votes, proposals, council and decisions."""
