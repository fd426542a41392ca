"""Site calibration (issue 12): the office's own centre and thresholds per contract.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "site_calibrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(length=128), nullable=False),
        sa.Column("model_sha256", sa.String(length=64), nullable=False),
        sa.Column("preprocessing", sa.Text(), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("blocks", sa.Text(), nullable=False),
        sa.Column("centre", sa.LargeBinary(), nullable=False),
        *[
            sa.Column(name, sa.Double(), nullable=False)
            for name in (
                "accept",
                "review",
                "identify",
                "target_fmr",
                "fitted",
            )
        ],
        *[
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("employees", "templates", "impostor_pairs", "genuine_pairs")
        ],
        *[
            sa.Column(name, sa.Double(), nullable=False)
            for name in ("fmr", "fmr_low", "fmr_high", "tar", "tar_low", "tar_high")
        ],
        sa.Column("lowered", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_calibrations")),
    )
    op.create_index(
        "ix_site_calibrations_contract",
        "site_calibrations",
        ["preprocessing", "model_sha256"],
    )


def downgrade() -> None:
    op.drop_index("ix_site_calibrations_contract", table_name="site_calibrations")
    op.drop_table("site_calibrations")
