"""The ward report as files for the ward's meeting: JSON, CSV and an Excel workbook.

All three are made from one ``kiosk.hub.reports.ward_report`` dictionary (and, for CSV and XLSX,
the ``report_rows`` stream), laid out once here (``summary_sections``, ``row_values``), so no
file can disagree with another or with the dashboard. Headers are Vietnamese by default
(``language="en"`` for English). Only anonymous figures and rows leave the hub: the report
and its rows hold no note, volunteer, neighbourhood, record id or time of day.

CSV and XLSX stream the rows: memory stays flat however long the period.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Iterable, Iterator

from sqlalchemy import Engine

from kiosk.hub.reports import report_rows, ward_report

from kiosk.journal import SERVICES
from kiosk.report_figures import (APP_COLUMNS, TOTAL_KEYS, UNRATED, VIETNAM, column_label,
                                  report_label, value_label)

BY_POINT_COLUMNS = ("people_helped", "elderly_helped", "services", "referrals", "not_solved",
                    "satisfaction_rate", "lesson_runs", "lesson_completions", "help_requests",
                    "devices", "last_sync_at", "unsent")
_BREAKDOWNS = (("by_age_band", "age_band"), ("by_gender", "gender"),
               ("by_disability", "disability"))  # (report key, journal field of its values)


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


FORMATS = ("json", "csv", "xlsx")


class ReportError(ValueError):
    """The report cannot be made as asked; the message says why in plain words."""


def write_report(engine: Engine, out: Path | None, *, fmt: str | None, start: date | None,
                 end: date | None, point: str | None, stdout: IO[bytes] | None = None) -> dict:
    """Make the ward report and write it as ``fmt`` (default: from ``out``'s suffix, else JSON)
    to the file ``out`` (written whole to a temporary name, then renamed), or to ``stdout`` (a
    binary stream) when ``out`` is ``None``. Returns ``{"format", "sessions"}``: the format and
    the per-session lines written. Raises ``ReportError`` for a start after the end, an unknown
    help point, or an Excel workbook meant for a terminal; ``OSError`` when ``out`` cannot be
    written."""
    fmt = fmt or (out.suffix.lower().lstrip(".") if out is not None else "json")
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}: choose json, csv or xlsx")
    if start is not None and end is not None and start > end:
        raise ReportError(f"the period starts ({start}) after it ends ({end})")
    if out is None and fmt == "xlsx" and getattr(stdout, "isatty", lambda: False)():
        raise ReportError("an Excel workbook cannot be shown here: add --out FILE.xlsx")
    with engine.connect() as connection:
        report = ward_report(connection, start=start, end=end, point=point)
        if point is not None and point not in report["points"]:
            known = ", ".join(report["points"]) or "none yet"
            raise ReportError(f"no help point is called {point!r} (known: {known})")
        rows = report_rows(connection, start=start, end=end, point=point)
        with _target(out, stdout) as target:
            if fmt == "json":
                target.write(to_json(report).encode("utf-8") + b"\n")
                return {"format": fmt, "sessions": report["totals"]["sessions"]}
            writer = to_csv if fmt == "csv" else to_xlsx
            return {"format": fmt, "sessions": writer(report, rows, target)}


@contextlib.contextmanager
def _target(out: Path | None, stdout: IO[bytes] | None) -> Iterator[IO[bytes]]:
    """``stdout``, or a temporary file beside ``out`` renamed to it once complete."""
    if out is None:
        yield stdout
        stdout.flush()
        return
    partial = out.with_name(out.name + ".part")
    try:
        with open(partial, "wb") as file:
            yield file
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def to_json(report: dict) -> str:
    """The report as one JSON object (UTF-8 text, Vietnamese letters as they are)."""
    return json.dumps(report, ensure_ascii=False)


def to_csv(report: dict, rows: Iterable[dict], out: IO[bytes], *, language: str = "vi") -> int:
    """Write the heading, every summary table, then one line per session to the binary stream
    ``out``, as UTF-8 with a byte-order mark (so Excel reads the Vietnamese letters). Returns
    the number of session lines; ``out`` is left open."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        for label, value in heading(report, language):
            writer.writerow([label, value] if value is not None else [label])
        for section in summary_sections(report, language):
            writer.writerows([[], [section.title], section.header])
            writer.writerows([_csv_cell(v) for v in values] for values in section.rows)
        writer.writerows([[], [report_label("rows_title", language)], row_header(language)])
        written = 0
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row_values(row, language)])
            written += 1
        text.flush()
    finally:
        text.detach()
    return written


def to_xlsx(report: dict, rows: Iterable[dict], out, *, language: str = "vi") -> int:
    """Write the workbook (a summary sheet, then a sheet of one line per session, streamed) to
    ``out``, a path or a binary stream. Returns the number of session lines."""
    from kiosk.hub.report_workbook import write_workbook

    return write_workbook(report, rows, out, language)


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


def _csv_cell(value) -> str | int | float:
    if value.__class__ in (str, int):  # most cells, first
        return value
    if value is None:
        return ""
    if isinstance(value, Percent):
        return value.text()
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _show_day(day: str | None) -> str | None:
    return date.fromisoformat(day).strftime("%d/%m/%Y") if day else None

