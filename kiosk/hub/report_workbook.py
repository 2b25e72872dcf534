"""The ward report as an Excel workbook, for printing and for the ward's meeting.

Two sheets: "Tổng hợp" (title, period, help point, then every summary table of
``report_layout.summary_sections`` with bold headers, percentages and dates as Excel formats,
and charts of services by app and of activity by day) and "Chi tiết" (one line per session,
header frozen). XlsxWriter makes the workbook (in about half the CPU time of openpyxl's
write-only mode, ``benchmarks/export_xlsx.py``); the session lines, most of a ward's year, are
streamed into it as XML by ``kiosk.hub.xlsx_rows`` (a few times faster than XlsxWriter's cell by
cell path), so a year of sessions never sits in memory. No cell is a formula: every text is
``safe_text``, written as a string (``write_string``, or an inline string in the lines), and the
workbook is told never to turn a string into a formula, a number or a link.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Iterable

import xlsxwriter

from kiosk.hub.report_layout import (Percent, heading, row_header, row_values, safe_text,
                                     summary_sections)
from kiosk.hub.xlsx_rows import RowXml, stream_rows
from kiosk.reporting.figures import report_label

OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
           "strings_to_urls": False}
STYLES = {"title": {"bold": True, "font_size": 15}, "section": {"bold": True, "font_size": 12},
          "bold": {"bold": True},
          "header": {"bold": True, "bg_color": "#DDE7F0", "text_wrap": True, "valign": "top"},
          "percent": {"num_format": "0.0%"}, "datetime": {"num_format": "DD/MM/YYYY HH:MM"},
          "date": {"num_format": "DD/MM/YYYY"}}
SUMMARY_WIDTHS = [34] + [14] * 13
ROW_WIDTHS = [12, 26, 12, 10, 18, 15, 12, 10] + [34] * 7
CHART_SIZE = {"width": 605, "height": 283}  # 16 cm × 7.5 cm
DETAILS_MEMBER = "xl/worksheets/sheet2.xml"  # the second sheet XlsxWriter makes


def write_workbook(report: dict, rows: Iterable[dict], out, language: str = "vi") -> int:
    """Write the workbook to ``out`` (a path or a binary stream); returns the session lines.
    Memory stays bounded whatever the number of ``rows``: XlsxWriter makes the workbook with the
    lines' header only, in memory (it is small), and ``xlsx_rows.stream_rows`` adds the lines
    as it copies it to ``out``."""
    frame = io.BytesIO()
    workbook = xlsxwriter.Workbook(frame, OPTIONS)
    styles = {name: workbook.add_format(style) for name, style in STYLES.items()}
    summary = workbook.add_worksheet(report_label("totals", language))
    _widths(summary, SUMMARY_WIDTHS)
    _write_summary(workbook, summary, styles, report, language)
    details = workbook.add_worksheet(report_label("rows", language))
    _widths(details, ROW_WIDTHS)
    details.freeze_panes(1, 0)
    _write_row(details, styles, 0, row_header(language), styles["header"])
    xml = RowXml(styles["date"]._get_xf_index(), styles["datetime"]._get_xf_index())
    workbook.close()
    frame.seek(0)
    written = [0]

    def lines():
        for number, row in enumerate(rows, start=1):
            written[0] = number
            yield xml.row(number, row_values(row, language))

    stream_rows(frame, DETAILS_MEMBER, lines(), out)
    return written[0]


def _write_summary(workbook, sheet, styles: dict, report: dict, language: str) -> None:
    """The heading, then each table under its title; charts beside the tables they draw."""
    lines = heading(report, language)
    sheet.write_string(0, 0, safe_text(lines[0][0]), styles["title"])
    for number, (label, value) in enumerate(lines[1:], start=1):
        sheet.write_string(number, 0, safe_text(label), styles["bold"])
        _write_cell(sheet, styles, number, 1, value)
    row = len(lines)  # the empty line before the next table
    for section in summary_sections(report, language):
        sheet.write_string(row + 1, 0, safe_text(section.title), styles["section"])
        _write_row(sheet, styles, row + 2, section.header, styles["header"])
        first = row + 3  # the first data row, counted from 0
        for offset, values in enumerate(section.rows):
            _write_row(sheet, styles, first + offset, values)
        _chart(workbook, sheet, section, first)
        row = first + len(section.rows)


def _chart(workbook, sheet, section, first: int) -> None:
    """A bar chart of services per app, a line chart of activity per day; nothing else."""
    if section.key == "by_app":
        chart, last, columns = workbook.add_chart({"type": "bar"}), \
            first + len(section.rows) - 2, (1,)  # not the total line
    elif section.key == "activity" and len(section.rows) > 1:
        chart, last, columns = workbook.add_chart({"type": "line"}), \
            first + len(section.rows) - 1, (1, 2)
    else:
        return
    name = sheet.get_name()
    for column in columns:
        chart.add_series({"name": [name, first - 1, column],
                          "categories": [name, first, 0, last, 0],
                          "values": [name, first, column, last, column]})
    chart.set_title({"name": section.title})
    chart.set_size(CHART_SIZE)
    sheet.insert_chart(max(first - 2, 0), 12, chart)


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)


def _write_row(sheet, styles: dict, row: int, values, style=None) -> None:
    for column, value in enumerate(values):
        _write_cell(sheet, styles, row, column, value, style)


def _write_cell(sheet, styles: dict, row: int, column: int, value, style=None) -> None:
    """Numbers as they are, text as safe text cells (never a formula), percentages and dates
    with their Excel number format; ``None`` leaves the cell empty."""
    if value is None:
        if style is not None:
            sheet.write_blank(row, column, None, style)
    elif value.__class__ is int:  # most cells, first
        sheet.write_number(row, column, value, style)
    elif isinstance(value, str):
        sheet.write_string(row, column, safe_text(value), style)
    elif isinstance(value, Percent):
        sheet.write_number(row, column, float(value), styles["percent"])
    elif isinstance(value, (datetime, date)):
        kind = "datetime" if isinstance(value, datetime) else "date"
        sheet.write_datetime(row, column, value, styles[kind])
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, column, value, style)
    else:
        sheet.write_string(row, column, safe_text(str(value)), style)
