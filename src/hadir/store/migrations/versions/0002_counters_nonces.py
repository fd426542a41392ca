"""Change counters (cross-process index freshness), single-use nonces, liveness per office.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    counters = op.create_table(
        "change_counters",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_counters")),
    )
    op.bulk_insert(counters, [{"name": "templates", "version": 0}])
    op.create_table(
        "used_nonces",
        sa.Column("nonce_hash", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nonce_hash", name=op.f("pk_used_nonces")),
    )
    op.create_index(op.f("ix_used_nonces_expires_at"), "used_nonces", ["expires_at"])
    with op.batch_alter_table("offices") as batch:
        batch.add_column(
            sa.Column("require_liveness", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        batch.drop_column("require_liveness")
    op.drop_table("used_nonces")
    op.drop_table("change_counters")
