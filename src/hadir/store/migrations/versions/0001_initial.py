"""Initial schema: offices, employees, face templates, attendance, calendar, access, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Plain SQLAlchemy types only (no imports from ``hadir``), so this script keeps working
whatever later happens to the models. ``DateTime(timezone=True)`` is what
``hadir.store.types.UtcDateTime`` stores.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

ROLES = "role IN ('admin', 'operator', 'supervisor', 'employee', 'kiosk')"


def _ts(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id(table: str) -> tuple[sa.Column[int], sa.PrimaryKeyConstraint]:
    return sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint(
        "id", name=op.f(f"pk_{table}")
    )


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _double(name: str) -> sa.Column[float]:
    return sa.Column(name, sa.Double(), nullable=True)


def upgrade() -> None:
    op.create_table(
        "offices",
        *_id("offices"),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("timezone", sa.String(64), server_default="Asia/Jakarta", nullable=False),
        _double("latitude"),
        _double("longitude"),
        _double("radius_m"),
        sa.UniqueConstraint("code", name=op.f("uq_offices_code")),
    )
    op.create_table(
        "employees",
        *_id("employees"),
        sa.Column("employee_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("unit", sa.String(255), server_default="", nullable=False),
        sa.Column("position", sa.String(255), server_default="", nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(255), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        _ts("consent_at", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.CheckConstraint(
            "length(employee_id) > 0", name=op.f("ck_employees_employee_id_not_empty")
        ),
        _fk("employees", "office_id", "offices", "RESTRICT"),
        sa.UniqueConstraint("employee_id", name=op.f("uq_employees_employee_id")),
    )
    op.create_index(op.f("ix_employees_office_id"), "employees", ["office_id"])
    op.create_index(op.f("ix_employees_unit"), "employees", ["unit"])

    op.create_table(
        "face_templates",
        *_id("face_templates"),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(128), nullable=False),
        sa.Column("model_sha256", sa.String(64), nullable=False),
        sa.Column("preprocessing", sa.String(255), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        *(_double(n) for n in ("face_size_px", "sharpness", "brightness", "yaw", "roll")),
        _double("detection_score"),
        sa.Column("image_sha256", sa.String(64), nullable=True),
        _ts("created_at"),
        sa.CheckConstraint("dim > 0", name=op.f("ck_face_templates_dim_positive")),
        _fk("face_templates", "employee_id", "employees", "CASCADE"),
    )
    op.create_index(op.f("ix_face_templates_employee_id"), "face_templates", ["employee_id"])

    op.create_table(
        "users",
        *_id("users"),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(255), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        _ts("created_at"),
        sa.CheckConstraint(ROLES, name=op.f("ck_users_role")),
        _fk("users", "employee_id", "employees", "SET NULL"),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        *_id("api_tokens"),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        _ts("created_at"),
        _ts("expires_at", nullable=True),
        _ts("revoked_at", nullable=True),
        _ts("last_used_at", nullable=True),
        sa.CheckConstraint(ROLES, name=op.f("ck_api_tokens_role")),
        _fk("api_tokens", "user_id", "users", "CASCADE"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"])

    op.create_table(
        "attendance_events",
        *_id("attendance_events"),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        _ts("occurred_at"),
        sa.Column("decision", sa.String(16), nullable=False),
        _double("similarity"),
        _double("threshold"),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("device", sa.String(128), nullable=True),
        _double("latitude"),
        _double("longitude"),
        _double("accuracy_m"),
        sa.Column("client_request_id", sa.String(128), nullable=True),
        sa.Column("refusal_code", sa.String(64), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        _ts("reviewed_at", nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        _ts("created_at"),
        sa.CheckConstraint(
            "decision IN ('accepted', 'rejected', 'needs_review')",
            name=op.f("ck_attendance_events_decision"),
        ),
        sa.CheckConstraint(
            "kind IN ('check_in', 'check_out')", name=op.f("ck_attendance_events_kind")
        ),
        sa.CheckConstraint(
            "method IN ('verify', 'identify')", name=op.f("ck_attendance_events_method")
        ),
        _fk("attendance_events", "employee_id", "employees", "RESTRICT"),
        sa.ForeignKeyConstraint(
            ["reviewed_by"],
            ["users.id"],
            name=op.f("fk_attendance_events_reviewed_by_users"),
            ondelete="SET NULL",
        ),
        # NULLs are distinct on SQLite and PostgreSQL: only bites when both are present.
        sa.UniqueConstraint(
            "employee_id",
            "client_request_id",
            name=op.f("uq_attendance_events_employee_id_client_request_id"),
        ),
    )
    op.create_index(
        op.f("ix_attendance_events_employee_id_occurred_at"),
        "attendance_events",
        ["employee_id", "occurred_at"],
    )
    op.create_index(op.f("ix_attendance_events_occurred_at"), "attendance_events", ["occurred_at"])

    single_scope = "office_id IS NULL OR unit IS NULL"
    op.create_table(
        "work_schedules",
        *_id("work_schedules"),
        sa.Column("scope_key", sa.String(300), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(255), nullable=True),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("grace_minutes", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("checkin_opens_at", sa.Time(), nullable=True),
        sa.CheckConstraint(single_scope, name=op.f("ck_work_schedules_single_scope")),
        sa.CheckConstraint(
            "working_days BETWEEN 0 AND 127", name=op.f("ck_work_schedules_working_days_mask")
        ),
        _fk("work_schedules", "office_id", "offices", "CASCADE"),
        sa.UniqueConstraint("scope_key", name=op.f("uq_work_schedules_scope_key")),
    )
    op.create_table(
        "schedule_overrides",
        *_id("schedule_overrides"),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(255), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("grace_minutes", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(255), server_default="", nullable=False),
        sa.CheckConstraint(single_scope, name=op.f("ck_schedule_overrides_single_scope")),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_schedule_overrides_date_order")),
        _fk("schedule_overrides", "office_id", "offices", "CASCADE"),
    )
    op.create_index(
        op.f("ix_schedule_overrides_start_date_end_date"),
        "schedule_overrides",
        ["start_date", "end_date"],
    )
    op.create_table(
        "holidays",
        *_id("holidays"),
        sa.Column("scope_key", sa.String(64), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.CheckConstraint("source IN ('national', 'office')", name=op.f("ck_holidays_source")),
        _fk("holidays", "office_id", "offices", "CASCADE"),
        sa.UniqueConstraint("scope_key", "day", name=op.f("uq_holidays_scope_key_day")),
    )
    op.create_index(op.f("ix_holidays_day"), "holidays", ["day"])

    op.create_table(
        "leaves",
        *_id("leaves"),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        _ts("decided_at", nullable=True),
        _ts("created_at"),
        sa.CheckConstraint(
            "kind IN ('izin', 'sakit', 'cuti', 'dinas_luar')", name=op.f("ck_leaves_kind")
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'approved', 'rejected')", name=op.f("ck_leaves_status")
        ),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_leaves_date_order")),
        _fk("leaves", "employee_id", "employees", "RESTRICT"),
        _fk("leaves", "approver_id", "users", "SET NULL"),
    )
    op.create_index(
        op.f("ix_leaves_employee_id_start_date"), "leaves", ["employee_id", "start_date"]
    )

    op.create_table(
        "audit_log",
        *_id("audit_log"),
        _ts("at"),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(255), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_log_prev_hash")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "leaves",
        "holidays",
        "schedule_overrides",
        "work_schedules",
        "attendance_events",
        "api_tokens",
        "users",
        "face_templates",
        "employees",
        "offices",
    ):
        op.drop_table(table)
