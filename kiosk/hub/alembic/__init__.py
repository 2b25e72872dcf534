"""The hub's Alembic migration scripts (``env.py`` and ``versions/``), shipped inside the package
and run by ``kiosk.hub.migrations`` without an ``alembic.ini``."""
