"""The ward dashboard: server-rendered pages for ward staff, served by the hub beside its API.

Vietnamese first (English by ``?lang=en`` or the switch in the header), no JavaScript (but the
lesson studio's own small script) and nothing fetched from outside the hub, so it works on a ward PC with no internet. Viewers read the report
and download it (CSV, XLSX, JSON) or print it; admins also make enrollment codes, publish lesson
packs and import USB bundles. Accounts are made with ``kiosk-hub user add``, each of one ward
(seeing and changing only that ward's points) or of the city (every ward, and the city page
comparing them). No Qt here.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine

from kiosk.hub.keys import HubKeys


def install(app: FastAPI, engine: Engine, keys: HubKeys, *, packs_dir: Path) -> None:
    """Serve the dashboard from ``app`` (see ``routes`` for its addresses)."""
    from kiosk.hub.dashboard.routes import install_dashboard
    from kiosk.hub.dashboard.web import Web
    from kiosk.hub.studio.pages_editor import install_studio

    install_dashboard(app, Web(engine, keys, packs_dir))
    install_studio(app)
