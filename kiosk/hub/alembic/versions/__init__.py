"""Alembic revisions of the hub's schema, one file per revision; once shipped, never edited."""
