"""The city page: every ward side by side, for city staff only.

Each ward's column of numbers is that ward's ``ward_report`` (the one query layer, DESIGN.md
lesson 12), so a ward's row here is the same as its own dashboard shows its staff; the last row
is the whole city's report. Only aggregates are shown.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from kiosk.hub.dashboard.render import t
from kiosk.hub.dashboard.report_view import SATISFACTION_TARGET
from kiosk.hub.reports import ward_report
from kiosk.hub.wards import list_wards
from kiosk.core.journal import SERVICES, UNSOLVED_REASONS
from kiosk.reporting.figures import value_label

WARD_COLUMNS = ("points", "people_helped", "elderly_share", "services", "dossiers",
                "not_solved", "satisfaction", "target_met", "last_sync")  # ui.json dash.col.*


def city_comparison(engine: Engine, *, start: date, end: date) -> dict:
    """Per ward (by name) and for the whole city: the row of figures the city page shows,
    ``{"wards": {NAME: row}, "city": row}``; a row is ``{"points", "people_helped",
    "elderly_helped", "elderly_share", "services", "dossiers", "not_solved",
    "satisfaction_rate", "last_sync_at", "services_by_app", "unsolved_by_reason"}``.
    Read-only."""
    wards = list_wards(engine)
    with engine.connect() as connection:
        rows = {ward["name"]: _row(ward_report(connection, start=start, end=end, point=None,
                                               ward=ward["name"]))
                for ward in wards}
        city = _row(ward_report(connection, start=start, end=end, point=None))
    return {"wards": rows, "city": city}


def _row(report: dict) -> dict:
    totals = report["totals"]
    people = totals.get("people_helped") or 0
    elderly = totals.get("elderly_helped") or 0
    by_app = report.get("by_app") or {}
    return {"points": len(report.get("points") or []), "people_helped": people,
            "elderly_helped": elderly, "elderly_share": elderly / people if people else None,
            "services": totals.get("services"),
            "dossiers": sum((counts.get("dossier_submitted") or 0) for counts in by_app.values()),
            "not_solved": totals.get("not_solved"),
            "satisfaction_rate": totals.get("satisfaction_rate"),
            "last_sync_at": max((p.get("last_sync_at") for p in
                                 (report.get("by_point") or {}).values()
                                 if p.get("last_sync_at")), default=None),
            "services_by_app": {app: counts.get("services") or 0
                                for app, counts in by_app.items()},
            "unsolved_by_reason": dict(report.get("unsolved_by_reason") or {})}


def city_values(comparison: dict, *, start: date, end: date, lang: str) -> dict:
    """What ``city.html.j2`` shows: the period, every ward then the city (``everyone``), and
    the apps and unsolved reasons some ward has (the columns of the two lower tables)."""
    named = sorted(comparison["wards"].items())
    everyone = named + [(None, comparison["city"])] if named else []
    apps = [s for s in SERVICES if any(r["services_by_app"].get(s) for _, r in everyone)]
    reasons = [r for r in UNSOLVED_REASONS if any(row["unsolved_by_reason"].get(r)
                                                  for _, row in everyone)]
    return {"start": start, "end": end, "target": SATISFACTION_TARGET, "everyone": everyone,
            "ward_headers": [t(lang, f"col.{c}") for c in WARD_COLUMNS],
            "apps": apps, "app_headers": [value_label("service", s, lang) for s in apps],
            "reasons": reasons,
            "reason_headers": [value_label("unsolved_reason", r, lang) for r in reasons]}
