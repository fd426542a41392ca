"""The audit chain's head outside the rows it covers (issue 13, finding 5).

Filled from the existing chain: its length, newest id and newest hash.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

GENESIS_HASH = "0" * 64


def upgrade() -> None:
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    bind = op.get_bind()
    entries = bind.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one()
    newest = bind.execute(
        sa.text("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
    ).first()
    head_id, head_hash = (newest[0], newest[1]) if newest else (0, GENESIS_HASH)
    op.bulk_insert(
        head, [{"id": 1, "entries": entries, "head_id": head_id, "head_hash": head_hash}]
    )


def downgrade() -> None:
    op.drop_table("audit_head")
