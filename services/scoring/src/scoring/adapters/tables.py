"""Scoring read-model tables (schema owned by ``scoring.migrations``)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, Float, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

units = Table(
    "units", metadata,
    Column("province", String(8), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
)

blocs = Table(
    "blocs", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
)

members = Table(
    "members", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("joined_on", Date, primary_key=True),
    Column("left_on", Date),
)

scores = Table(
    "scores", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("total", Float, nullable=False),
    Column("breakdown", JSON, nullable=False),
    Column("method", String(50), nullable=False),
    Column("version", Integer, nullable=False),
    Column("band", String(100)),
)

scoring_tables = Table(
    "scoring_tables", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("table_version", Integer, nullable=False),
    Column("criteria", JSON, nullable=False),
    Column("method", String(30), nullable=False),
    Column("opens_on", Date),
    Column("closes_on", Date),
    Column("bands", JSON),
)

assessments = Table(
    "assessments", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("assessor_unit_id", String(100), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("scores", JSON, nullable=False),
    Column("submissions", Integer, nullable=False),
    Column("submitted_at", String(32), nullable=False),
    Column("verified_on", Date),
    Column("verified_by", String(200)),
    Column("verification_notes", Text),
)

rankings = Table(
    "rankings", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("ranking", JSON, nullable=False),
    Column("published_at", String(32), nullable=False),
    Column("published_on", Date),
    Column("reason", Text),
    Column("locked", Boolean, nullable=False),
    Column("resolved_ties", JSON),
)

targets = Table(
    "targets", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("targets", JSON, nullable=False),
    Column("registered_at", String(32), nullable=False),
)

evidence_files = Table(
    "evidence_files", metadata,
    Column("province", String(8), primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("content_type", String(200), nullable=False),
    Column("filename", String(300), nullable=False),
    Column("uploaded_at", String(32), nullable=False),
)

lineage = Table(
    "lineage", metadata,
    Column("province", String(8), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("predecessor_id", String(100), primary_key=True),
    Column("effective_on", Date, nullable=False),
)

target_results = Table(
    "target_results", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("results", JSON, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)

tie_resolutions = Table(
    "tie_resolutions", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("stream_version", Integer, primary_key=True),
    Column("total", Float, nullable=False),
    Column("unit_ids", JSON, nullable=False),
    Column("ground", String(10), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("resolved_on", Date, nullable=False),
    Column("notes", Text),
)
