"""Security: image hashes on events (replay), sign-in lockout, encrypted evidence photos.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendance_events") as batch:
        batch.add_column(sa.Column("image_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("image_phash", sa.String(16), nullable=True))
        batch.create_unique_constraint(
            op.f("uq_attendance_events_employee_id_image_sha256"),
            ["employee_id", "image_sha256"],
        )
        batch.create_index(
            op.f("ix_attendance_events_employee_id_image_phash"), ["employee_id", "image_phash"]
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "evidence_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["attendance_events.id"],
            name=op.f("fk_evidence_photos_event_id_attendance_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_evidence_photos_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_photos")),
        sa.UniqueConstraint("event_id", name=op.f("uq_evidence_photos_event_id")),
    )
    op.create_index(op.f("ix_evidence_photos_employee_id"), "evidence_photos", ["employee_id"])
    op.create_index(op.f("ix_evidence_photos_expires_at"), "evidence_photos", ["expires_at"])


def downgrade() -> None:
    op.drop_table("evidence_photos")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
    with op.batch_alter_table("attendance_events") as batch:
        batch.drop_index(op.f("ix_attendance_events_employee_id_image_phash"))
        batch.drop_constraint(op.f("uq_attendance_events_employee_id_image_sha256"), type_="unique")
        batch.drop_column("image_phash")
        batch.drop_column("image_sha256")
