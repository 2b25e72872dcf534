"""The ward report laid out once, for every file made of it (CSV, XLSX): its heading, summary
tables and per-session lines as typed cells, with every text cell made safe for spreadsheets.

Cells are ``int``, ``Percent``, ``date``, ``datetime`` (local time), ``str`` or ``None``. Codes a
kiosk sends (age band, app, outcome, reason, rating…) are shown by their labels; anything else a
kiosk or bundle supplied (a code this version does not know, a help point's name) is shown as text
that no spreadsheet will run: ``safe_text`` prefixes ``'`` to text that begins like a formula, as
OWASP recommends against CSV injection. Both writers put every ``str`` through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kiosk.core.journal import SERVICES
from kiosk.reporting.figures import (APP_COLUMNS, TOTAL_KEYS, UNRATED, VIETNAM, column_label,
                                  report_label, value_label)

BY_POINT_COLUMNS = ("people_helped", "elderly_helped", "services", "referrals", "not_solved",
                    "satisfaction_rate", "lesson_runs", "lesson_completions", "help_requests",
                    "devices", "last_sync_at", "unsent")
_BREAKDOWNS = (("by_age_band", "age_band"), ("by_gender", "gender"),
               ("by_disability", "disability"))  # (report key, journal field of its values)
# What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"), with the full-width
# forms some spreadsheet programs also accept.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet shows it without running it: prefixed with ``'`` when its first
    character other than a space would start a formula (``= + - @``, tab, line break, or their
    full-width forms); otherwise unchanged."""
    stripped = text.lstrip(" ")
    if stripped and stripped[0] in FORMULA_STARTS:
        return "'" + text
    return text


class Percent(float):
    """A share from 0 to 1, shown as a percentage."""

    def text(self) -> str:
        return f"{self * 100:.2f}".rstrip("0").rstrip(".") + "%"


@dataclass
class Section:
    """One table of the summary: a title, a header row and rows of values (``int``,
    ``Percent``, ``date``, ``datetime`` (local time), ``str`` or ``None``)."""

    key: str
    title: str
    header: list[str]
    rows: list[list]


def heading(report: dict, language: str = "vi") -> list[tuple[str, str | None]]:
    """The title, period, help point and when the report was made, as (label, value) lines."""
    period = report["period"]
    start, end = (_show_day(period[k]) for k in ("from", "to"))
    if start and end:
        shown = start if start == end else f"{start} – {end}"
    elif start or end:
        shown = report_label("since" if start else "until", language, start=start, end=end)
    else:
        shown = report_label("all_time", language)
    point = report["point"]
    point = report_label("all_points", language) if point is None else point_name(point, language)
    made = datetime.now(VIETNAM).strftime("%d/%m/%Y %H:%M")
    return [(report_label("title", language), None), (report_label("period", language), shown),
            (report_label("point", language), point), (report_label("made_at", language), made)]


def summary_sections(report: dict, language: str = "vi") -> list[Section]:
    """Every summary table of the report, in the order the files show them: totals, age band,
    gender, disability, apps, not solved by reason, satisfaction, help points, days."""
    label = lambda key: report_label(key, language)  # noqa: E731
    totals = report["totals"]

    def counted(key: str, field: str, extra: tuple = ()) -> Section:
        return Section(key, label(key), [label(field), label("count")],
                       [[value_label(field, value, language), n]
                        for value, n in report[key].items()] + list(extra))

    rate = [label("satisfaction_rate"), _cell("satisfaction_rate", totals["satisfaction_rate"])]
    return [Section("totals", label("totals"), [label("figure"), label("count")],
                    [[label(key), _cell(key, totals[key])] for key in TOTAL_KEYS]),
            *(counted(key, field) for key, field in _BREAKDOWNS),
            _by_app(report, language),
            counted("unsolved_by_reason", "unsolved_reason"),
            counted("satisfaction", "satisfaction", [rate]),
            _by_point(report, language), _activity(report, language)]


def row_header(language: str = "vi") -> list[str]:
    """The header of the per-session lines; ``row_values`` fills it."""
    label = lambda key: report_label(key, language)  # noqa: E731
    return [label("day"), label("point"), label("age_band"), label("gender"),
            label("disability"), label("satisfaction"), label("duration_min"),
            label("services_count"), *(value_label("service", s, language) for s in SERVICES)]


def row_values(row: dict, language: str = "vi") -> list:
    """One session's line: day, point, who (anonymous), rating, minutes, and per app what was
    achieved ("Cài ứng dụng; Chưa giải quyết được (Không nhận được mã OTP)"). A service this
    version does not know is shown, with its name, under "other"."""
    per_app = {service: [] for service in SERVICES}
    for service in row["services"]:
        outcomes = [column_label(outcome, language) for outcome in service["outcomes"]]
        reason = service["unsolved_reason"]
        if reason:
            outcomes.append(f"({value_label('unsolved_reason', reason, language)})")
        text = "; ".join(outcomes)
        if service["service"] in per_app:
            per_app[service["service"]].append(text)
        else:
            per_app["other"].append(f"{service['service']}: {text}")
    duration = row["duration_s"]
    return [date.fromisoformat(row["day"]), point_name(row["point"], language),
            value_label("age_band", row["age_band"], language),
            value_label("gender", row["gender"], language),
            value_label("disability", row["disability"], language),
            value_label("satisfaction", row["satisfaction"] or UNRATED, language),
            round(duration / 60, 1) if duration is not None else None, len(row["services"]),
            *("; ".join(per_app[service]) or None for service in SERVICES)]


def point_name(point: str, language: str = "vi") -> str:
    """A help point as shown: its name, or "(help point not known)" for a kiosk known only
    from USB bundles that named none."""
    return point or report_label("no_point", language)


def _by_app(report: dict, language: str) -> Section:
    apps = report["by_app"]
    rows = [[value_label("service", service, language), *(counts[c] for c in APP_COLUMNS)]
            for service, counts in apps.items()]
    rows.append([report_label("all_apps", language),
                 *(sum(counts[c] for counts in apps.values()) for c in APP_COLUMNS)])
    return Section("by_app", report_label("by_app", language),
                   [report_label("service", language),
                    *(column_label(c, language) for c in APP_COLUMNS)], rows)


def _by_point(report: dict, language: str) -> Section:
    return Section("by_point", report_label("by_point", language),
                   [report_label(key, language) for key in ("point", *BY_POINT_COLUMNS)],
                   [[point_name(name, language),
                     *(_cell(key, figures[key]) for key in BY_POINT_COLUMNS)]
                    for name, figures in report["by_point"].items()])


def _activity(report: dict, language: str) -> Section:
    return Section("activity", report_label("activity", language),
                   [report_label(key, language) for key in ("day", "sessions", "lesson_runs")],
                   [[date.fromisoformat(day["date"]), day["sessions"], day["lesson_runs"]]
                    for day in report["activity"]])


def _cell(key: str, value):
    """A figure as a typed cell: rates as ``Percent``, hub times as local ``datetime``."""
    if value is None:
        return None
    if key == "satisfaction_rate":
        return Percent(value)
    if key == "last_sync_at":
        return datetime.fromisoformat(value).astimezone(VIETNAM).replace(tzinfo=None)
    return value


def _show_day(day: str | None) -> str | None:
    return date.fromisoformat(day).strftime("%d/%m/%Y") if day else None

