"""The ward report as files for the ward's meeting: JSON, CSV and an Excel workbook.

All three are made from one ``kiosk.hub.reports.ward_report`` dictionary (and, for CSV and XLSX,
the ``report_rows`` stream), laid out once (``kiosk.hub.report_layout``), so no
file can disagree with another or with the dashboard. Headers are Vietnamese by default
(``language="en"`` for English). Only anonymous figures and rows leave the hub: the report
and its rows hold no note, volunteer, neighbourhood, record id or time of day.

CSV and XLSX stream the rows: memory stays flat however long the period. Neither can carry a
formula: known codes are shown by their labels and every other text cell goes through
``report_layout.safe_text`` (the XLSX also writes every text cell as a string, never a formula).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import IO, Iterable, Iterator

from sqlalchemy import Engine

from kiosk.hub.report_layout import (BY_POINT_COLUMNS, Percent, Section,  # noqa: F401 (API)
                                     heading, point_name, row_header, row_values, safe_text,
                                     summary_sections)
from kiosk.hub.report_workbook import write_workbook
from kiosk.hub.reports import report_rows, ward_report
from kiosk.hub.wards import ward_names
from kiosk.reporting.figures import report_label



FORMATS = ("json", "csv", "xlsx")


class ReportError(ValueError):
    """The report cannot be made as asked; the message says why in plain words."""


def write_report(engine: Engine, out: Path | None, *, fmt: str | None, start: date | None,
                 end: date | None, point: str | None, stdout: IO[bytes] | None = None,
                 ward: str | None = None) -> dict:
    """Make the ward report and write it as ``fmt`` (default: from ``out``'s suffix, else JSON)
    to the file ``out`` (written whole to a temporary name, then renamed), or to ``stdout`` (a
    binary stream) when ``out`` is ``None``. Returns ``{"format", "sessions"}``: the format and
    the per-session lines written. Raises ``ReportError`` for a start after the end, an unknown
    help point, or an Excel workbook meant for a terminal; ``OSError`` when ``out`` cannot be
    written. With ``ward`` only that ward's help points are counted (an unknown ward, or a
    point of another ward, is a ``ReportError``)."""
    fmt = fmt or (out.suffix.lower().lstrip(".") if out is not None else "json")
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}: choose json, csv or xlsx")
    if start is not None and end is not None and start > end:
        raise ReportError(f"the period starts ({start}) after it ends ({end})")
    if out is None and fmt == "xlsx" and getattr(stdout, "isatty", lambda: False)():
        raise ReportError("an Excel workbook cannot be shown here: add --out FILE.xlsx")
    with engine.connect() as connection:
        if ward is not None and ward not in ward_names(connection):
            raise ReportError(f"no ward is called {ward!r}")
        report = ward_report(connection, start=start, end=end, point=point, ward=ward)
        if point is not None and point not in report["points"]:
            known = ", ".join(report["points"]) or "none yet"
            raise ReportError(f"no help point is called {point!r}"
                              f"{' in that ward' if ward else ''} (known: {known})")
        rows = report_rows(connection, start=start, end=end, point=point, ward=ward)
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
            writer.writerow([safe_text(label)] + ([safe_text(value)] if value is not None else []))
        for section in summary_sections(report, language):
            writer.writerows([[], [safe_text(section.title)],
                              [safe_text(text) for text in section.header]])
            writer.writerows([_csv_cell(v) for v in values] for values in section.rows)
        writer.writerows([[], [safe_text(report_label("rows_title", language))],
                          [safe_text(text) for text in row_header(language)]])
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
    return write_workbook(report, rows, out, language)


def _csv_cell(value) -> str | int | float:
    """A typed cell as CSV text; text never begins like a formula (``safe_text``)."""
    if value.__class__ is int:  # most cells, first
        return value
    if isinstance(value, str):
        return safe_text(value)
    if value is None:
        return ""
    if isinstance(value, Percent):
        return value.text()
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value
