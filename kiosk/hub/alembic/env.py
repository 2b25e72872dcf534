"""Alembic's environment for the hub: always run by ``kiosk.hub.migrations.upgrade`` with the
connection it opened (inside its write transaction and migration lock); never offline SQL."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("the hub's migrations run through kiosk.hub.migrations.upgrade, "
                       "which passes its own database connection")

context.configure(connection=connection, target_metadata=None,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():  # inside the caller's transaction: no commit of its own
    context.run_migrations()
