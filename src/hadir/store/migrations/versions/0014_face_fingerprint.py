"""A fingerprint of the aligned face per check-in event (issue 13, finding 6): an edited
copy of an earlier check-in photo is a replay.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendance_events") as batch:
        batch.add_column(sa.Column("face_fingerprint", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attendance_events") as batch:
        batch.drop_column("face_fingerprint")
