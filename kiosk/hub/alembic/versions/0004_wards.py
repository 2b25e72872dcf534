"""Wards as tenants: the ``wards`` and ``help_points`` tables, ``users.ward`` and pack bytes.

An existing single-ward hub is upgraded in place: every help point it knows (from its devices,
its enrollment codes and its report rows) is placed in one ward, named by the ``ward_name`` entry
of ``hub_settings`` when the hub has one, else ``DEFAULT_WARD`` ("Phường"). Existing accounts stay
city accounts (``users.ward`` NULL): they saw everything before and still do, and an admin can
then give ward accounts to ward staff. ``lesson_packs.data`` is added empty for packs published
before: their files stay in the packs folder of the process that made them.

Revision ID: 0004_wards
Revises: 0003_device_identity
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0004_wards"
down_revision = "0003_device_identity"
branch_labels = None
depends_on = None

DEFAULT_WARD = "Phường"
_POINT_SOURCES = ("devices", "enroll_codes", "report_sessions", "report_lesson_runs",
                  "report_help_requests")


def upgrade() -> None:
    op.create_table(
        "wards",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "help_points",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("ward", sa.String(200), sa.ForeignKey("wards.name"), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("help_points_by_ward", "help_points", ["ward"])
    op.add_column("users", sa.Column("ward", sa.Text))
    op.add_column("lesson_packs", sa.Column("data", sa.LargeBinary))
    _place_existing_points(op.get_bind())


def _place_existing_points(bind) -> None:
    """Put every point the hub already knows into its one ward (made only if there is one)."""
    points: set[str] = set()
    for table in _POINT_SOURCES:
        points |= {row[0] for row in bind.execute(sa.text(f"SELECT DISTINCT point FROM {table}"))
                   if row[0]}
    if not points:
        return
    named = bind.execute(sa.text("SELECT value FROM hub_settings WHERE key = 'ward_name'")
                         ).scalar()
    ward = (named or "").strip() or DEFAULT_WARD
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    bind.execute(sa.text("INSERT INTO wards (name, created_at) VALUES (:w, :at)"),
                 {"w": ward, "at": now})
    bind.execute(sa.text("INSERT INTO help_points (name, ward, created_at) VALUES (:p, :w, :at)"),
                 [{"p": point, "w": ward, "at": now} for point in sorted(points)])


def downgrade() -> None:
    raise RuntimeError("the hub's schema is never downgraded: restore a backup instead")
