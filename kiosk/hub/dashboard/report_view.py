"""The dashboard's report page (and its print version), drawn from one ``ward_report`` result.

Every number on the page is a value of that one report (DESIGN.md lesson 12): the page does no
counting of its own, so it always agrees with the CSV, XLSX and JSON downloads, which are made
from the same report. Only aggregates are shown: no note, no volunteer, no record id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from kiosk.hub.dashboard.charts import activity_chart, apps_chart
from kiosk.core.db import now_iso
from kiosk.hub.dashboard.render import t
from kiosk.core.journal import AGE_BANDS, DISABILITIES, GENDERS, SERVICES, UNSOLVED_REASONS
from kiosk.reporting.figures import VIETNAM, column_label

SATISFACTION_TARGET = 0.90  # the city's target
STALE_AFTER = timedelta(days=3)
APP_COLUMNS = ("services", "installed", "account_activated", "document_added", "lookup_done",
               "dossier_submitted", "payment_done", "referred", "not_solved")
POINT_COLUMNS = ("devices", "people_helped", "elderly_helped", "lesson_runs", "help_requests")
BREAKDOWNS = (("by_age_band", AGE_BANDS, "age_band"), ("by_gender", GENDERS, "gender"),
              ("by_disability", DISABILITIES, "disability"))
DOWNLOADS = (("csv", "/dashboard/export/csv"), ("xlsx", "/dashboard/export/xlsx"),
             ("json", "/dashboard/export/json"), ("print", "/dashboard/print"))


@dataclass(frozen=True)
class Filters:
    """The period ``[start, end]`` (whole days, both included) and help point chosen."""

    start: date
    end: date
    point: str | None
    problem: str | None = None  # a filter that was not understood, as a catalogue key

    def query(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(),
                "point": self.point or ""}


def parse_filters(params, today: date | None = None) -> Filters:
    """Filters from query parameters ``from``, ``to`` (YYYY-MM-DD) and ``point``; the default
    is this month up to today. A date that is not a date is replaced by the default and
    reported in ``problem``; dates given the wrong way round are swapped."""
    today = today or datetime.now(VIETNAM).date()  # the report's days are Vietnam's
    start, end, problem = today.replace(day=1), today, None
    try:
        if params.get("from"):
            start = date.fromisoformat(params["from"])
        if params.get("to"):
            end = date.fromisoformat(params["to"])
    except ValueError:
        start, end, problem = today.replace(day=1), today, "bad_date"
    if end < start:
        start, end = end, start
    point = (params.get("point") or "").strip()[:200] or None
    return Filters(start, end, point, problem)


def report_values(report: dict, filters: Filters, lang: str, *,
                  now: datetime | None = None) -> dict:
    """What ``report.html.j2`` shows of ``report``: the figures in the order the page lists
    them, the two charts (SVG ``Markup``) and the filter form's choices. Counts nothing."""
    points = list(report.get("points") or [])
    if filters.point and filters.point not in points:
        points.append(filters.point)
    now = now or datetime.now(timezone.utc)
    by_app = report.get("by_app") or {}
    unsolved = report.get("unsolved_by_reason") or {}
    return {
        "report": report, "filters": filters, "point_options": points,
        "downloads": DOWNLOADS, "totals": report.get("totals") or {},
        "target": SATISFACTION_TARGET, "printed_at": now_iso(),
        "activity_chart": activity_chart(report.get("activity") or [], lang),
        "apps_chart": apps_chart(by_app, lang),
        "breakdowns": [_breakdown(report, key, known, field) for key, known, field in BREAKDOWNS],
        "by_app": by_app, "apps": _ordered(by_app, SERVICES), "app_columns": APP_COLUMNS,
        "app_headers": [column_label(column, lang) for column in APP_COLUMNS],
        "unsolved": unsolved, "reasons": _ordered(unsolved, UNSOLVED_REASONS),
        "point_columns": POINT_COLUMNS,
        "point_headers": ([t(lang, "col.point")] + [t(lang, f"col.{c}") for c in POINT_COLUMNS]
                          + [t(lang, "col.satisfaction"), t(lang, "col.last_sync"),
                             t(lang, "col.unsent")]),
        "point_rows": [(point, values, _is_stale(values.get("last_sync_at"), now))
                       for point, values in sorted((report.get("by_point") or {}).items())],
    }


def _ordered(counts: dict, known: tuple) -> list:
    """The keys of ``counts``: the ``known`` ones in their order, then any others."""
    return [v for v in known if v in counts] + [v for v in counts if v not in known]


def _breakdown(report: dict, key: str, known: tuple, field: str) -> tuple:
    counts = report.get(key) or {}
    return key, field, _ordered(counts, known), counts, sum(v or 0 for v in counts.values())


def _is_stale(last: str | None, now: datetime) -> bool:
    if not last:
        return True
    try:
        return now - datetime.fromisoformat(last) > STALE_AFTER
    except (TypeError, ValueError):
        return True
