"""revision round: sends, per-部署 state, 課 comments; history remembers a workbook as its source

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("history") as batch:
        batch.add_column(sa.Column("source", sa.Text(), nullable=True))
    op.create_table(
        "round_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("sent_by", sa.Text(), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("return_to", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_sends")),
        sa.UniqueConstraint("digest", name=op.f("uq_round_sends_digest")),
    )
    op.create_index("ix_round_sends_year_department", "round_sends", ["fiscal_year", "department"])
    op.create_table(
        "round_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("collected_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_states")),
        sa.UniqueConstraint("fiscal_year", "department", name="uq_round_states_year_department"),
    )
    op.create_table(
        "round_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_comments")),
        sa.UniqueConstraint("fiscal_year", "program_id", name="uq_round_comments_year_program"),
    )


def downgrade() -> None:
    op.drop_table("round_comments")
    op.drop_table("round_states")
    op.drop_index("ix_round_sends_year_department", table_name="round_sends")
    op.drop_table("round_sends")
    with op.batch_alter_table("history") as batch:
        batch.drop_column("source")
