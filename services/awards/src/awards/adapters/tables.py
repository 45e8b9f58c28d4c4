"""Awards read-model tables (schema owned by ``awards.migrations``)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, Float, Integer, MetaData, String, Table

metadata = MetaData()

scores = Table(
    "scores", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("total", Float, nullable=False),
    Column("source_event_id", String(36), nullable=False),
    Column("rank", Integer),
    Column("ranking_version", Integer),
)

units = Table(
    "units", metadata,
    Column("province", String(8), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("status", String(12), nullable=False, server_default="active"),
    Column("merged_into", String(100)),
)

proposals = Table(
    "proposals", metadata,
    Column("province", String(8), primary_key=True),
    Column("proposal_id", String(100), primary_key=True),
    Column("bloc_id", String(100)),
    Column("year", Integer, nullable=False),
    Column("unit_id", String(100), nullable=False),
    Column("award_code", String(40), nullable=False),
    Column("state", String(20), nullable=False),
    Column("total", Float),
    Column("rank", Integer),
    Column("rule_version", String(60), nullable=False),
    Column("proposed_at", String(32), nullable=False),
    Column("filed_on", Date),
    Column("vote_id", String(100)),
    Column("documents", JSON),
    Column("missing", JSON),
    Column("council", JSON),
    Column("decision", JSON),
    Column("rejection", JSON),
    Column("forwarding", JSON),
    Column("revocation", JSON),
    Column("frozen", JSON),
    Column("reliances", JSON),
    Column("flags", JSON),
)

members = Table(
    "members", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("joined_on", Date, primary_key=True),
    Column("left_on", Date),
)

votes = Table(
    "votes", metadata,
    Column("province", String(8), primary_key=True),
    Column("vote_id", String(100), primary_key=True),
    Column("bloc_id", String(100), nullable=False),
    Column("year", Integer, nullable=False),
    Column("award_code", String(40), nullable=False),
    Column("candidates", JSON, nullable=False),
    Column("members", Integer, nullable=False),
    Column("threshold", Float, nullable=False),
    Column("voters", JSON, nullable=False),
    Column("state", String(10), nullable=False),
    Column("results", JSON),
    Column("honoured", JSON),
    Column("places", Integer),
    Column("threshold_of", String(10), nullable=False),
    Column("runoff_of", String(100)),
    Column("invalid_ballots", Integer),
    Column("tied", JSON),
    Column("places_left", Integer),
)

sealed_ballots = Table(
    "sealed_ballots", metadata,
    Column("province", String(8), primary_key=True),
    Column("vote_id", String(100), primary_key=True),
    Column("ballot_id", String(36), primary_key=True),
    Column("choices", JSON, nullable=False),
    sqlite_with_rowid=False,
)

freezes = Table(
    "freezes", metadata,
    Column("province", String(8), primary_key=True),
    Column("subject", String(10), primary_key=True),
    Column("subject_id", String(100), primary_key=True),
    Column("ref", String(200), primary_key=True),
    Column("unit_id", String(100), nullable=False),
    Column("reason", String(1000), nullable=False),
    Column("frozen_on", Date),
    Column("unfrozen_on", Date),
    Column("lift_reason", String(1000)),
)

rulebooks = Table(
    "rulebooks", metadata,
    Column("province", String(8), primary_key=True),
    Column("version", String(60), primary_key=True),
    Column("effective_from", Date, nullable=False),
    Column("body", JSON, nullable=False),
)



standings = Table(
    "standings", metadata,
    Column("province", String(8), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("rating", String(20)),
    Column("rating_ref", String(200)),
    Column("rated_on", Date),
    Column("attested", JSON, nullable=False),
    Column("history", JSON, nullable=False),
)
"""A unit's standing in a year: its quality rating and the attested standards (fact -> ref, on, note), with
every change in ``history``."""


target_results = Table(
    "target_results", metadata,
    Column("province", String(8), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("bloc_id", String(100), nullable=False),
    Column("results", JSON, nullable=False),
    Column("recorded_on", Date, nullable=False),
)
"""The results of the targets each unit registered for a year, as scoring last recorded them."""


provinces = Table(
    "provinces", metadata,
    Column("province", String(8), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("merged_into", String(8)),
    Column("merged_on", Date),
)
"""The registry's provinces by name, for the papers (``Hà Nam, ngày …``), and the one each merged into."""

blocs = Table(
    "blocs", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(8), nullable=False),
)
"""The registry's blocs by name, for the papers."""

bloc_leaders = Table(
    "bloc_leaders", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("role", String(12), primary_key=True),
    Column("unit_id", String(100), nullable=False),
)
"""Who chairs (and vice-chairs) each bloc each year, as elected: the papers' signatures."""
