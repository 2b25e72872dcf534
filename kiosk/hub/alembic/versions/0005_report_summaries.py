"""Report summaries: per (day, help point) and per (month, help point) counts of every figure.

Creates ``report_summary_days``, ``report_summary_months`` and ``report_summary_extras``
(``kiosk.hub.schema``) and counts every record the hub holds into them from its report rows
(``kiosk.hub.summaries.fill``), so an existing hub upgrades in place; from then on the ingest
path keeps them in the same transaction as the records.

Revision ID: 0005_report_summaries
Revises: 0004_wards
"""

from __future__ import annotations

from alembic import op

revision = "0005_report_summaries"
down_revision = "0004_wards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from kiosk.hub.schema import SUMMARY_TABLES, metadata
    from kiosk.hub.summaries import fill

    connection = op.get_bind()
    metadata.create_all(connection, tables=list(SUMMARY_TABLES))
    fill(connection)


def downgrade() -> None:
    raise RuntimeError("the hub's schema is never downgraded: restore a backup instead")
