"""Device identity: each device's Ed25519 public key, and codes bound to one device.

``devices.public_key`` (base64, raw key) and ``devices.key_registered_at``: NULL for a kiosk
enrolled before keys existed, until its first signed batch registers one (docs/sync-protocol.md,
"Upgrading"). ``enroll_codes.for_device``: a code made by ``kiosk-hub device reenroll`` that only
that device may redeem. Columns are only added, so a database made before keeps every row.

Revision ID: 0003_device_identity
Revises: 0002_sign_in_throttle
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_device_identity"
down_revision = "0002_sign_in_throttle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("public_key", sa.String(64)))
    op.add_column("devices", sa.Column("key_registered_at", sa.String(40)))
    op.add_column("enroll_codes", sa.Column("for_device", sa.String(64)))


def downgrade() -> None:
    raise RuntimeError("the hub's schema is never downgraded: restore a backup instead")
