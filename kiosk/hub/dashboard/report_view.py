"""The dashboard's report page (and its print version), drawn from one ``ward_report`` result.

Every number on the page is a value of that one report (DESIGN.md lesson 12): the page does no
counting of its own, so it always agrees with the CSV, XLSX and JSON downloads, which are made
from the same report. Only aggregates are shown: no note, no volunteer, no record id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from kiosk.hub.dashboard.charts import activity_chart, apps_chart
from kiosk.hub.dashboard.render import (day, esc, moment, num_cell, number, percent, t,
                                        table, tile, with_query)
from kiosk.core.journal import AGE_BANDS, DISABILITIES, GENDERS, SERVICES, UNSOLVED_REASONS
from kiosk.reporting.figures import VIETNAM, column_label, report_label, value_label

SATISFACTION_TARGET = 0.90  # the city's target
STALE_AFTER = timedelta(days=3)
APP_COLUMNS = ("services", "installed", "account_activated", "document_added", "lookup_done",
               "dossier_submitted", "payment_done", "referred", "not_solved")
POINT_COLUMNS = ("devices", "people_helped", "elderly_helped", "lesson_runs", "help_requests")


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


def report_body(report: dict, filters: Filters, lang: str, *, csrf: str = "",
                printable: bool = False, now: datetime | None = None) -> str:
    """The report part of the page: filters (not when printing), tiles, charts and tables."""
    parts = [] if printable else [_filter_form(report, filters, lang)]
    if filters.problem and not printable:
        parts.append(f'<p class="notice warn">{esc(t(lang, filters.problem))}</p>')
    parts.append(_heading(report, filters, lang, printable))
    parts.append(_tiles(report, lang))
    parts.append('<section class="charts">'
                 f'<figure class="wide">{activity_chart(report.get("activity") or [], lang)}'
                 f'</figure><figure>{apps_chart(report.get("by_app") or {}, lang)}</figure>'
                 "</section>")
    parts.append('<section class="three">'
                 + _breakdown(report, "by_age_band", AGE_BANDS, "age_band", lang)
                 + _breakdown(report, "by_gender", GENDERS, "gender", lang)
                 + _breakdown(report, "by_disability", DISABILITIES, "disability", lang)
                 + "</section>")
    parts.append(_apps_table(report, lang))
    parts.append('<section class="two">' + _reasons_table(report, lang)
                 + _points_table(report, lang, now or datetime.now(timezone.utc)) + "</section>")
    return "".join(parts)


def _filter_form(report: dict, filters: Filters, lang: str) -> str:
    points = report.get("points") or []
    options = [f'<option value="">{esc(t(lang, "all_points"))}</option>']
    options += [f'<option value="{esc(p)}"{" selected" if p == filters.point else ""}>'
                f"{esc(p)}</option>" for p in points]
    if filters.point and filters.point not in points:
        options.append(f'<option value="{esc(filters.point)}" selected>{esc(filters.point)}'
                       "</option>")
    query = filters.query()
    links = "".join(
        f'<a class="button secondary" href="{esc(with_query(path, **query))}"'
        f'{" download" if fmt != "print" else ""}>{esc(t(lang, "download." + fmt))}</a>'
        for fmt, path in (("csv", "/dashboard/export/csv"), ("xlsx", "/dashboard/export/xlsx"),
                          ("json", "/dashboard/export/json"), ("print", "/dashboard/print")))
    return (f'<form class="filters" method="get" action="/dashboard">'
            f'<label>{esc(t(lang, "from"))}<input type="date" name="from" '
            f'value="{filters.start.isoformat()}" required></label>'
            f'<label>{esc(t(lang, "to"))}<input type="date" name="to" '
            f'value="{filters.end.isoformat()}" required></label>'
            f'<label>{esc(t(lang, "point"))}<select name="point">{"".join(options)}</select>'
            f'</label><button type="submit">{esc(t(lang, "show"))}</button>'
            f'<span class="downloads">{links}</span></form>')


def _heading(report: dict, filters: Filters, lang: str, printable: bool) -> str:
    point = filters.point or t(lang, "all_points")
    title = t(lang, "report_title")
    sub = t(lang, "report_period", start=day(filters.start, lang), end=day(filters.end, lang),
            point=point)
    made = ""
    if printable:
        back = with_query("/dashboard", **filters.query())
        made = (f'<p class="print-hint">{esc(t(lang, "print_hint"))} '
                f'<a href="{esc(back)}">{esc(t(lang, "back_to_dashboard"))}</a></p>'
                f'<p class="made">{esc(t(lang, "printed_at", when=moment(_now_iso(), lang)))}</p>')
    return f'<h1>{esc(title)}</h1><p class="period">{esc(sub)}</p>{made}'


def _tiles(report: dict, lang: str) -> str:
    totals = report.get("totals") or {}
    people = totals.get("people_helped") or 0
    elderly = totals.get("elderly_helped")
    rate = totals.get("satisfaction_rate")
    met = rate is not None and rate >= SATISFACTION_TARGET
    rate_note = t(lang, "satisfaction_note", count=totals.get("rated") or 0,
                  rated=number(totals.get("rated"), lang),
                  target=percent(SATISFACTION_TARGET, lang))
    rate_css = "" if rate is None else ("good" if met else "bad")
    elderly_note = (t(lang, "share_of_people", share=percent(elderly / people, lang))
                    if people and elderly is not None else "")
    runs_note = t(lang, "completions_note",
                  n=number(totals.get("lesson_completions"), lang))
    tiles = [
        tile(t(lang, "tile.people_helped"), "totals.people_helped", number(people, lang), people,
             esc(t(lang, "sessions_note", count=totals.get("sessions") or 0,
                    n=number(totals.get("sessions"), lang)))),
        tile(t(lang, "tile.elderly_helped"), "totals.elderly_helped", number(elderly, lang),
             elderly, esc(elderly_note)),
        tile(t(lang, "tile.services"), "totals.services", number(totals.get("services"), lang),
             totals.get("services"), esc(t(lang, "referrals_note",
                                           n=number(totals.get("referrals"), lang),
                                           m=number(totals.get("not_solved"), lang)))),
        tile(t(lang, "tile.satisfaction"), "totals.satisfaction_rate", esc(percent(rate, lang)),
             rate, esc(rate_note), css=rate_css),
        tile(t(lang, "tile.lesson_runs"), "totals.lesson_runs",
             number(totals.get("lesson_runs"), lang), totals.get("lesson_runs"), esc(runs_note)),
        tile(t(lang, "tile.help_requests"), "totals.help_requests",
             number(totals.get("help_requests"), lang), totals.get("help_requests"), ""),
    ]
    hidden = "".join(f'<span hidden data-k="totals.{k}" data-v="{esc(totals.get(k))}"></span>'
                     for k in ("sessions", "lesson_completions", "rated", "referrals",
                               "not_solved"))
    return f'<section class="tiles">{"".join(tiles)}{hidden}</section>'


def _breakdown(report: dict, key: str, known: tuple, field: str, lang: str) -> str:
    counts = report.get(key) or {}
    order = [v for v in known if v in counts] + [v for v in counts if v not in known]
    total = sum(v or 0 for v in counts.values())
    rows = [[f"<td>{esc(value_label(field, value, lang))}</td>",
             num_cell(f"{key}.{value}", counts[value], lang),
             f'<td class="num share">{esc(percent(counts[value] / total, lang)) if total else ""}'
             "</td>"] for value in order]
    return table(t(lang, f"table.{key}"), [t(lang, "col.group"), t(lang, "col.people"), "%"],
                 rows, empty=t(lang, "no_data"))


def _apps_table(report: dict, lang: str) -> str:
    by_app = report.get("by_app") or {}
    order = [s for s in SERVICES if s in by_app] + [s for s in by_app if s not in SERVICES]
    rows = [[f'<th scope="row">{esc(value_label("service", app, lang))}</th>']
            + [num_cell(f"by_app.{app}.{column}", by_app[app].get(column), lang)
               for column in APP_COLUMNS] for app in order]
    headers = [t(lang, "col.app")] + [column_label(column, lang) for column in APP_COLUMNS]
    return ('<section class="apps">' + table(t(lang, "table.by_app"), headers, rows,
                                               css="apps", empty=t(lang, "no_data"))
            + "</section>")


def _reasons_table(report: dict, lang: str) -> str:
    reasons = report.get("unsolved_by_reason") or {}
    order = ([r for r in UNSOLVED_REASONS if r in reasons]
             + [r for r in reasons if r not in UNSOLVED_REASONS])
    rows = [[f"<td>{esc(value_label('unsolved_reason', reason, lang))}</td>",
             num_cell(f"unsolved_by_reason.{reason}", reasons[reason], lang)]
            for reason in order]
    return table(t(lang, "table.unsolved"), [t(lang, "col.reason"), t(lang, "col.times")], rows,
                 empty=t(lang, "none_unsolved"))


def _points_table(report: dict, lang: str, now: datetime) -> str:
    rows = []
    for point, values in sorted((report.get("by_point") or {}).items()):
        stale = _is_stale(values.get("last_sync_at"), now)
        seen = esc(moment(values.get("last_sync_at"), lang))
        if stale:
            seen += f' <span class="badge bad">{esc(t(lang, "not_seen_3_days"))}</span>'
        unsent = values.get("unsent")
        rows.append([f'<th scope="row">{esc(point or report_label("no_point", lang))}</th>']
                    + [num_cell(f"by_point.{point}.{c}", values.get(c), lang)
                       for c in POINT_COLUMNS]
                    + [f'<td class="num" data-k="by_point.{esc(point)}.satisfaction_rate" '
                       f'data-v="{esc(values.get("satisfaction_rate"))}">'
                       f'{esc(percent(values.get("satisfaction_rate"), lang))}</td>',
                       f'<td class="{"stale" if stale else ""}">{seen}</td>',
                       num_cell(f"by_point.{point}.unsent", unsent, lang).replace(
                           'class="num', f'class="num{" warn" if unsent else ""}', 1)])
    headers = ([t(lang, "col.point")] + [t(lang, f"col.{c}") for c in POINT_COLUMNS]
               + [t(lang, "col.satisfaction"), t(lang, "col.last_sync"), t(lang, "col.unsent")])
    return table(t(lang, "table.by_point"), headers, rows, css="points",
                 empty=t(lang, "no_data"))


def _is_stale(last: str | None, now: datetime) -> bool:
    if not last:
        return True
    try:
        return now - datetime.fromisoformat(last) > STALE_AFTER
    except (TypeError, ValueError):
        return True


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

