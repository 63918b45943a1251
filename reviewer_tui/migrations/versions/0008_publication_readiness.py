"""publication readiness: timescale dates, the delay log, accepted quality items

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Issue 16 items 3 and 4: the dates each kind's timescales run from (one row per review), the
delay log (a reason and a revised date for each deadline missed or about to be), and the weaknesses
of the pre-publication check the reviewer accepted with a reason, keyed by a stable identity.
New tables only: nothing existing changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "timescale_dates",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("incident_known_on", sa.Date(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("panel_notified_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("action_plan_finalised_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_timescale_dates_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_timescale_dates")),
    )
    op.create_table(
        "delay_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("deadline", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("revised_due", sa.Date(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_delay_entry_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delay_entry")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("delay_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delay_entry_review_id"), ["review_id"], unique=False)
    op.create_table(
        "quality_acceptance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("identity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_quality_acceptance_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_acceptance")),
        sa.UniqueConstraint(
            "review_id", "identity", name=op.f("uq_quality_acceptance_review_id_identity")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("quality_acceptance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quality_acceptance_review_id"), ["review_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("quality_acceptance")
    op.drop_table("delay_entry")
    op.drop_table("timescale_dates")
