"""The hub's routes are module-level functions: each can be imported and called on its own,
with its shared state passed in as FastAPI would (``Depends``), no app needed."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from kiosk.hub import api
from kiosk.hub.dashboard import admin_actions, routes
from kiosk.hub.dashboard.admin_view import kiosks_values
from kiosk.hub.dashboard.render import render, t
from kiosk.hub.studio import pages, pages_editor, pages_upload

pytestmark = pytest.mark.timeout(60)


def test_api_routes_take_the_hub_as_a_dependency(hub_engine, hub_keys, tmp_path):
    hub = api.Hub(hub_engine, hub_keys, tmp_path)
    answer = api.health(hub=hub)
    assert answer["hub"] == "kiosk-hub" and answer["hub_id"] == hub_keys.hub_id
    signed = api.hello(api.HelloRequest(challenge="x" * 20), hub=hub)
    assert signed["proof"] and signed["hub"] == "kiosk-hub"
    with pytest.raises(api.HubError) as refused:
        api.lessons_current(("device", None), hub=hub)
    assert refused.value.status == 404


def test_every_page_is_a_route_of_a_module_level_router():
    paths = {route.path for module in (routes, admin_actions, pages, pages_editor, pages_upload)
             for route in module.router.routes if isinstance(route, APIRoute)}
    assert {"/signin", "/dashboard", "/dashboard/kiosks", "/dashboard/import", "/studio",
            "/studio/lessons/{lesson_id}", "/studio/lessons/{lesson_id}/publish"} <= paths
    assert {route.path for route in api.router.routes} >= {"/api/v1/health", "/api/v1/batches"}


def test_a_page_is_its_template_filled_with_what_the_route_gathered(hub_engine):
    values = kiosks_values(hub_engine, "en", admin=False)
    page = render("kiosks.html.j2", lang="en", title="Kiosks", user=None, csrf="<tok>",
                  active="kiosks", here="/dashboard/kiosks", query=None, printable=False,
                  **values)
    assert "<h1>Kiosks</h1>" in page and t("en", "no_devices") in page
    page = render("refused.html.j2", lang="vi", title="<b>", user=None, csrf="", active="",
                  here="/", query=None, printable=False, key="admins_only")
    assert "<title>&lt;b&gt;" in page  # autoescaped
