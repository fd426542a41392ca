"""Leave kind ``wfh`` (work from home: a working day without the geofence).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

KINDS = "'izin', 'sakit', 'cuti', 'dinas_luar'"


def _kinds(allowed: str) -> None:
    with op.batch_alter_table("leaves") as batch:
        batch.drop_constraint(op.f("ck_leaves_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_leaves_kind"), f"kind IN ({allowed})")


def upgrade() -> None:
    _kinds(KINDS + ", 'wfh'")


def downgrade() -> None:
    op.execute("DELETE FROM leaves WHERE kind = 'wfh'")
    _kinds(KINDS)
