"""The ward hub: HTTP API, storage (SQLite by default, PostgreSQL by URL), key and pack handling.

No Qt here. ``kiosk.hub.ingest`` is the one path by which records enter the hub, whether they came
over the network or on a USB stick (DESIGN.md invariant 4).
"""

HUB_NAME = "kiosk-hub"  # every JSON answer carries {"hub": HUB_NAME}; kiosks check it
API_VERSION = 1
