"""Corrections of a day's attendance (issue 15): ``corrections`` and the event method
``correction`` (the check-ins/check-outs an approved correction writes).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None

METHODS = "'verify', 'identify'"


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason_kind", sa.String(length=32), nullable=False),
        sa.Column("check_in", sa.Time(), nullable=True),
        sa.Column("check_out", sa.Time(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=255), nullable=False),
        sa.Column("decided_by", sa.String(length=255), nullable=True),
        sa.Column("decider_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason_kind IN ('forgot_check_out', 'forgot_check_in', 'device_failed', "
            "'duty_elsewhere')",
            name=op.f("ck_corrections_reason_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'approved', 'refused')", name=op.f("ck_corrections_status")
        ),
        sa.CheckConstraint(
            "check_in IS NOT NULL OR check_out IS NOT NULL", name=op.f("ck_corrections_some_time")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_corrections_employee_id_employees"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decider_id"],
            ["users.id"],
            name=op.f("fk_corrections_decider_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index(op.f("ix_corrections_employee_id_day"), "corrections", ["employee_id", "day"])
    op.create_index(op.f("ix_corrections_status"), "corrections", ["status"])
    with op.batch_alter_table("attendance_events") as batch:
        batch.drop_constraint(op.f("ck_attendance_events_method"), type_="check")
        batch.create_check_constraint(
            op.f("ck_attendance_events_method"), f"method IN ({METHODS}, 'correction')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM attendance_events WHERE method = 'correction'")
    with op.batch_alter_table("attendance_events") as batch:
        batch.drop_constraint(op.f("ck_attendance_events_method"), type_="check")
        batch.create_check_constraint(op.f("ck_attendance_events_method"), f"method IN ({METHODS})")
    op.drop_index(op.f("ix_corrections_status"), table_name="corrections")
    op.drop_index(op.f("ix_corrections_employee_id_day"), table_name="corrections")
    op.drop_table("corrections")
