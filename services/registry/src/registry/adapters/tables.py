"""Registry read-model tables (their schema is owned by the migrations in ``registry.migrations``)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, Integer, MetaData, String, Table, Text

metadata = MetaData()

units = Table(
    "units", metadata,
    Column("province", String(8), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("short_name", String(100), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("parent_unit_id", String(100)),
    Column("version", Integer, nullable=False),
    Column("dissolved_on", Date),
    Column("emails", JSON, nullable=False, server_default="[]"),
)

blocs = Table(
    "blocs", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("decision_ref", String(200), nullable=False),
    Column("version", Integer, nullable=False),
)

memberships = Table(
    "memberships", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("joined_on", Date, primary_key=True),
    Column("left_on", Date),
    Column("decision_ref", String(200), nullable=False),
)

leadership = Table(
    "leadership", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("role", String(20), primary_key=True),
    Column("unit_id", String(100), nullable=False),
    Column("votes_for", Integer, nullable=False),
    Column("votes_cast", Integer, nullable=False),
    Column("members", Integer, nullable=False),
    Column("elected_on", Date, nullable=False),
    Column("replaces_reason", Text),
    Column("passed_over_reason", Text),
    Column("confirmed_on", Date),
    Column("confirmation_ref", String(300)),
)

provinces = Table(
    "provinces", metadata,
    Column("code", String(8), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("chair_rest_years", Integer, nullable=False),
    Column("election_majority_percent", Integer, nullable=False),
    Column("outgoing_vice_chair_preferred", Boolean, nullable=False),
)

supervisors = Table(
    "supervisors", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("person_name", String(200), nullable=False),
    Column("title", String(300), nullable=False),
)

handovers = Table(
    "handovers", metadata,
    Column("province", String(8), primary_key=True),
    Column("bloc_id", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("from_unit_id", String(100), nullable=False),
    Column("to_unit_id", String(100), nullable=False),
    Column("handed_over_on", Date, nullable=False),
)

lineage = Table(
    "lineage", metadata,
    Column("province", String(8), primary_key=True),
    Column("unit_id", String(100), primary_key=True),
    Column("predecessor_id", String(100), primary_key=True),
    Column("effective_on", Date, nullable=False),
    Column("decision_ref", String(200), nullable=False),
)

province_lineage = Table(
    "province_lineage", metadata,
    Column("code", String(8), primary_key=True),
    Column("predecessor_code", String(8), primary_key=True),
    Column("effective_on", Date, nullable=False),
    Column("legal_basis", String(500), nullable=False),
)

accounts = Table(
    "accounts", metadata,
    Column("province", String(8), primary_key=True),
    Column("username", String(40), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("role", String(30), nullable=False),
    Column("unit_id", String(100)),
    Column("bloc_id", String(100)),
    Column("locked", Boolean, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("last_signed_in_at", String(32)),
    Column("version", Integer, nullable=False),
)

account_credentials = Table(
    "account_credentials", metadata,
    Column("province", String(8), primary_key=True),
    Column("username", String(40), primary_key=True),
    Column("password_hash", String(300), nullable=False),
    Column("changed_at", String(32), nullable=False),
)
"""Not a read model: the accounts' password hashes, never in an event, written in the transaction of the event
that sets each (``AccountCreated``, ``AccountPasswordChanged``); a replay of the log leaves them as they are."""
