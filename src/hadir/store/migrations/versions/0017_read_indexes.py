"""Indexes for the console's reads at a regency's volume (issue 17): the review queue and
the refused attempts (partial indexes on the few events with those decisions, so neither
walks a year of accepted events) and the leave lists by status.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | None = None
depends_on: str | None = None

_PARTIAL = {"needs_review": "ix_attendance_events_needs_review",
            "rejected": "ix_attendance_events_rejected"}  # fmt: skip


def upgrade() -> None:
    for decision, name in _PARTIAL.items():
        where = sa.text(f"decision = '{decision}'")
        op.create_index(
            name,
            "attendance_events",
            ["occurred_at", "id"],
            sqlite_where=where,
            postgresql_where=where,
        )
    op.create_index(op.f("ix_leaves_status_start_date"), "leaves", ["status", "start_date"])


def downgrade() -> None:
    op.drop_index(op.f("ix_leaves_status_start_date"), table_name="leaves")
    for name in _PARTIAL.values():
        op.drop_index(name, table_name="attendance_events")
