"""Staff records as the civil service keeps them: employee type, grade, echelon, direct
superior, service dates (TMT and end).

Existing employees are typed from their number: a valid 18-digit NIP (spaces and dots
removed) becomes ``pns`` (``pppk`` when it carries the PPPK code 21), anything else
``non_asn``, so every existing number survives. A NIP stored with separators is rewritten
as its 18 digits (and the sign-in account named after it too) unless those digits are
already taken.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hadir.domain.errors import DomainValidationError
from hadir.domain.staff.identity import EmployeeType, parse_nip

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

TYPES = "'pns', 'pppk', 'non_asn'"


def _typed(number: str) -> tuple[str, str]:
    """(employee_type, number to store) for an existing number."""
    try:
        nip = parse_nip(number, EmployeeType.PPPK)
    except DomainValidationError:
        return "non_asn", number
    return ("pppk" if nip.appointment_month is None else "pns"), nip.digits


def _retype_existing() -> None:
    bind = op.get_bind()
    employees = sa.table(
        "employees",
        sa.column("id", sa.Integer),
        sa.column("employee_id", sa.String),
        sa.column("employee_type", sa.String),
    )
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("username", sa.String),
        sa.column("employee_id", sa.Integer),
    )
    rows = bind.execute(sa.select(employees.c.id, employees.c.employee_id)).all()
    taken = {number for _, number in rows}
    names = {name for (name,) in bind.execute(sa.select(users.c.username))}
    for key, number in rows:
        kind, digits = _typed(number)
        values: dict[str, str] = {"employee_type": kind}
        if digits != number and digits not in taken:
            values["employee_id"] = digits
            taken.add(digits)
            if digits not in names:
                bind.execute(
                    users.update()
                    .where(users.c.employee_id == key, users.c.username == number)
                    .values(username=digits)
                )
                names.add(digits)
        bind.execute(employees.update().where(employees.c.id == key).values(**values))


def upgrade() -> None:
    with op.batch_alter_table("employees") as batch:
        batch.add_column(
            sa.Column("employee_type", sa.String(16), server_default="non_asn", nullable=False)
        )
        batch.add_column(sa.Column("grade", sa.String(16), server_default="", nullable=False))
        batch.add_column(sa.Column("echelon", sa.String(16), server_default="", nullable=False))
        batch.add_column(sa.Column("superior_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("end_date", sa.Date(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_employees_superior_id_employees"),
            "employees",
            ["superior_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_employees_superior_id"), ["superior_id"])
        batch.create_check_constraint(
            op.f("ck_employees_employee_type"), f"employee_type IN ({TYPES})"
        )
        batch.create_check_constraint(
            op.f("ck_employees_service_dates"),
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
        )
    _retype_existing()


def downgrade() -> None:
    with op.batch_alter_table("employees") as batch:
        batch.drop_constraint(op.f("ck_employees_service_dates"), type_="check")
        batch.drop_constraint(op.f("ck_employees_employee_type"), type_="check")
        batch.drop_index(op.f("ix_employees_superior_id"))
        batch.drop_constraint(op.f("fk_employees_superior_id_employees"), type_="foreignkey")
        for column in ("end_date", "start_date", "superior_id", "echelon", "grade"):
            batch.drop_column(column)
        batch.drop_column("employee_type")
