"""Work schedules with their own hours on some weekdays (a shorter Friday).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("work_schedules") as batch:
        batch.add_column(sa.Column("weekday_hours", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("work_schedules") as batch:
        batch.drop_column("weekday_hours")
