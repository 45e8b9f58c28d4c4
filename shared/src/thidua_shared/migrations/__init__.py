"""Alembic migrations of the store tables; services add their own version folders beside these."""
