"""The managed tree of units (issue 15): ``units`` and ``employees.unit_id``.

Every distinct non-blank unit text of the existing employees becomes a top-level unit
(the text kept as it is, so reports, schedules and supervisors' scopes keep matching)
and its employees are linked to it; HR then moves each under its parent in the console.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from hadir.store.types import UtcDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("head_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_units_name_not_empty")),
        sa.ForeignKeyConstraint(["parent_id"], ["units.id"], name=op.f("fk_units_parent_id_units")),
        sa.ForeignKeyConstraint(
            ["head_id"],
            ["employees.id"],
            name=op.f("fk_units_head_id_employees"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("name", name=op.f("uq_units_name")),
    )
    op.create_index(op.f("ix_units_parent_id"), "units", ["parent_id"])
    op.create_index(op.f("ix_units_head_id"), "units", ["head_id"])
    with op.batch_alter_table("employees") as batch:
        batch.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_employees_unit_id_units"),
            "units",
            ["unit_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch.create_index(batch.f("ix_employees_unit_id"), ["unit_id"])

    conn = op.get_bind()
    units = sa.table(
        "units",
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("created_at", UtcDateTime()),
    )
    texts = conn.execute(
        sa.text("SELECT DISTINCT unit FROM employees WHERE TRIM(unit) <> '' ORDER BY unit")
    ).scalars()
    now = datetime.now(UTC)
    for name in list(texts):
        conn.execute(units.insert().values(name=name, created_at=now))
    conn.execute(
        sa.text(
            "UPDATE employees SET unit_id = (SELECT units.id FROM units "
            "WHERE units.name = employees.unit) WHERE TRIM(unit) <> ''"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("employees") as batch:
        batch.drop_index(batch.f("ix_employees_unit_id"))
        batch.drop_constraint(batch.f("fk_employees_unit_id_units"), type_="foreignkey")
        batch.drop_column("unit_id")
    op.drop_index(op.f("ix_units_head_id"), table_name="units")
    op.drop_index(op.f("ix_units_parent_id"), table_name="units")
    op.drop_table("units")
