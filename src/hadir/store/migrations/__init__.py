"""Alembic migrations of the Hadir schema (run by ``hadir.store.db.migrate``)."""
