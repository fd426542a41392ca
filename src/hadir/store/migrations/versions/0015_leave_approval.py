"""Leave as the rules know it (issue 15): the place of an official duty, and the direct
superior's approval before HR's (status ``endorsed``, ``endorsed_by``).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None

STATUSES = "'requested', 'approved', 'rejected'"


def upgrade() -> None:
    with op.batch_alter_table("leaves") as batch:
        batch.add_column(sa.Column("place", sa.String(255), server_default="", nullable=False))
        batch.add_column(sa.Column("endorsed_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_leaves_endorsed_by_users"),
            "users",
            ["endorsed_by"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.drop_constraint(op.f("ck_leaves_status"), type_="check")
        batch.create_check_constraint(
            op.f("ck_leaves_status"), "status IN ('requested', 'endorsed', 'approved', 'rejected')"
        )


def downgrade() -> None:
    op.execute("UPDATE leaves SET status = 'requested' WHERE status = 'endorsed'")
    with op.batch_alter_table("leaves") as batch:
        batch.drop_constraint(op.f("ck_leaves_status"), type_="check")
        batch.create_check_constraint(op.f("ck_leaves_status"), f"status IN ({STATUSES})")
        batch.drop_constraint(op.f("fk_leaves_endorsed_by_users"), type_="foreignkey")
        batch.drop_column("endorsed_by")
        batch.drop_column("place")
