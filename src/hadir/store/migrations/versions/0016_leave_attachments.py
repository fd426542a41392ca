"""Leave attachments (issue 15): the document of a leave request (a doctor's note),
encrypted at rest like evidence photos.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "leave_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leave_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('application/pdf', 'image/jpeg', 'image/png')",
            name=op.f("ck_leave_attachments_content_type"),
        ),
        sa.ForeignKeyConstraint(
            ["leave_id"],
            ["leaves.id"],
            name=op.f("fk_leave_attachments_leave_id_leaves"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_leave_attachments_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_attachments")),
        sa.UniqueConstraint("leave_id", name=op.f("uq_leave_attachments_leave_id")),
    )
    op.create_index(op.f("ix_leave_attachments_employee_id"), "leave_attachments", ["employee_id"])
    op.create_index(op.f("ix_leave_attachments_created_at"), "leave_attachments", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_leave_attachments_created_at"), table_name="leave_attachments")
    op.drop_index(op.f("ix_leave_attachments_employee_id"), table_name="leave_attachments")
    op.drop_table("leave_attachments")
