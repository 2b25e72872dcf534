"""Getting records from the kiosk to the ward hub: outbox, hub client, USB bundles (no Qt)."""
