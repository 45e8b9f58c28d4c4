"""Benchmark: our event store against the ``eventsourcing`` library, on SQLite and PostgreSQL.

Run from the repository root with ``python -m bench`` (``--help`` for the options).
"""
