"""The lesson studio: the hub's lessons and drafts, every published version, uploaded pictures;
and an index that finds a lesson's runs for its funnel without reading every run.

Revision ID: 0006_lesson_studio
Revises: 0005_report_summaries
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_lesson_studio"
down_revision = "0005_report_summaries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "studio_lessons",
        sa.Column("lesson_id", sa.String(100), primary_key=True),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("draft", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "studio_versions",
        sa.Column("lesson_id", sa.String(100), sa.ForeignKey("studio_lessons.lesson_id"),
                  nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("lesson", sa.Text, nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
        sa.Column("published_at", sa.String(40), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("pack_version", sa.Integer),
        sa.PrimaryKeyConstraint("lesson_id", "number"),
        sa.UniqueConstraint("lesson_id", "version", name="studio_versions_version"),
    )
    op.create_table(
        "studio_pictures",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("extension", sa.String(8), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("uploaded_at", sa.String(40), nullable=False),
    )
    op.create_index("report_lesson_runs_by_lesson", "report_lesson_runs", ["lesson_id", "point"])


def downgrade() -> None:
    raise RuntimeError("the hub's schema is never downgraded: restore a backup instead")
