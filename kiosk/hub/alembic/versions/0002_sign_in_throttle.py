"""Dashboard sign-in failures kept in the database (survive a restart, shared by processes).

Also records legacy version 3 in ``hub_schema_version``, so a release from before Alembic
refuses this database ("newer than this program") instead of misreading it.

Revision ID: 0002_sign_in_throttle
Revises: 0001_baseline
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0002_sign_in_throttle"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("scope", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_ms", sa.BigInteger, nullable=False),
        sa.Column("locked_until_ms", sa.BigInteger, nullable=False),
    )
    op.create_index("sign_in_failures_by_time", "sign_in_failures", ["last_failed_ms"])
    op.get_bind().execute(
        sa.text("INSERT INTO hub_schema_version (version, applied_at) VALUES (3, :at)"),
        {"at": datetime.now(timezone.utc).isoformat(timespec="milliseconds")})


def downgrade() -> None:
    raise RuntimeError("the hub's schema is never downgraded: restore a backup instead")
