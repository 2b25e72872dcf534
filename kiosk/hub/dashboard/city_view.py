"""The city page: every ward side by side, for city staff only.

Each ward's column of numbers comes from ``reports.city_figures`` (the one query layer, DESIGN.md
lesson 12: the same summaries and figures as that ward's own ``ward_report``), read for every ward
at once; the last row is the whole city's. Only aggregates are shown.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from kiosk.hub.dashboard.render import t
from kiosk.hub.dashboard.report_view import SATISFACTION_TARGET
from kiosk.hub.reports import city_figures
from kiosk.core.journal import SERVICES, UNSOLVED_REASONS
from kiosk.reporting.figures import value_label

WARD_COLUMNS = ("points", "people_helped", "elderly_share", "services", "dossiers",
                "not_solved", "satisfaction", "target_met", "last_sync")  # catalogue dash.col.*


def city_comparison(engine: Engine, *, start: date, end: date) -> dict:
    """Per ward (by name) and for the whole city: the row of figures the city page shows,
    ``{"wards": {NAME: row}, "city": row}``; a row is ``{"points", "people_helped",
    "elderly_helped", "elderly_share", "services", "dossiers", "not_solved",
    "satisfaction_rate", "last_sync_at", "services_by_app", "unsolved_by_reason"}``.
    One read of the report summaries for every ward at once (``reports.city_figures``).
    Read-only."""
    with engine.connect() as connection:
        found = city_figures(connection, start=start, end=end)
    return {"wards": {name: _row(entry) for name, entry in found["wards"].items()},
            "city": _row(found["city"])}


def _row(entry: dict) -> dict:
    totals = entry["totals"]
    people, elderly = totals["people_helped"], totals["elderly_helped"]
    by_app = entry["by_app"]
    return {"points": len(entry["points"]), "people_helped": people,
            "elderly_helped": elderly, "elderly_share": elderly / people if people else None,
            "services": totals["services"],
            "dossiers": sum(counts["dossier_submitted"] for counts in by_app.values()),
            "not_solved": totals["not_solved"],
            "satisfaction_rate": totals["satisfaction_rate"],
            "last_sync_at": entry["last_sync_at"],
            "services_by_app": {app: counts["services"] for app, counts in by_app.items()},
            "unsolved_by_reason": dict(entry["unsolved_by_reason"])}


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
