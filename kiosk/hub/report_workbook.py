"""The ward report as an Excel workbook, for printing and for the ward's meeting.

Two sheets: "Tổng hợp" (title, period, help point, then every summary table of
``report_layout.summary_sections`` with bold headers, percentages and dates as Excel formats,
and charts of services by app and of activity by day) and "Chi tiết" (one line per session,
header frozen). openpyxl's write-only mode sends each row to disk as it comes, so a year of
sessions never sits in memory. No cell is a formula: every text is ``safe_text`` and written with
the string type set explicitly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kiosk.hub.report_layout import (Percent, heading, row_header, row_values, safe_text,
                                     summary_sections)
from kiosk.report_figures import report_label

TITLE_FONT = Font(bold=True, size=15)
SECTION_FONT = Font(bold=True, size=12)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE7F0")
WRAP = Alignment(wrap_text=True, vertical="top")
FORMATS = ((Percent, "0.0%"), (datetime, "DD/MM/YYYY HH:MM"), (date, "DD/MM/YYYY"))
SUMMARY_WIDTHS = [34] + [14] * 13
ROW_WIDTHS = [12, 26, 12, 10, 18, 15, 12, 10] + [34] * 7


def write_workbook(report: dict, rows: Iterable[dict], out, language: str = "vi") -> int:
    """Write the workbook to ``out`` (a path or a binary stream); returns the session lines."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(report_label("totals", language))
    _widths(summary, SUMMARY_WIDTHS)
    _write_summary(summary, report, language)
    details = workbook.create_sheet(report_label("rows", language))
    _widths(details, ROW_WIDTHS)
    details.freeze_panes = "A2"
    details.append([_styled(details, text, BOLD, HEADER_FILL, WRAP)
                    for text in row_header(language)])
    written = 0
    for row in rows:
        details.append([_typed(details, value) for value in row_values(row, language)])
        written += 1
    workbook.save(out)
    return written


def _write_summary(sheet, report: dict, language: str) -> None:
    """The heading, then each table under its title; charts beside the tables they draw."""
    lines = heading(report, language)
    sheet.append([_styled(sheet, lines[0][0], TITLE_FONT)])
    for label, value in lines[1:]:
        sheet.append([_styled(sheet, label, BOLD), _typed(sheet, value)])
    row_number = len(lines)
    for section in summary_sections(report, language):
        sheet.append([])
        sheet.append([_styled(sheet, section.title, SECTION_FONT)])
        sheet.append([_styled(sheet, text, BOLD, HEADER_FILL, WRAP) for text in section.header])
        first = row_number + 4
        for values in section.rows:
            sheet.append([_typed(sheet, value) for value in values])
        row_number += 3 + len(section.rows)
        _chart(sheet, section, first, language)


def _chart(sheet, section, first: int, language: str) -> None:
    """A bar chart of services per app, a line chart of activity per day; nothing else."""
    if section.key == "by_app":
        chart, last = BarChart(), first + len(section.rows) - 2  # not the total line
        chart.type = "bar"
        chart.add_data(Reference(sheet, min_col=2, min_row=first - 1, max_row=last),
                       titles_from_data=True)
    elif section.key == "activity" and len(section.rows) > 1:
        chart, last = LineChart(), first + len(section.rows) - 1
        chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=first - 1, max_row=last),
                       titles_from_data=True)
    else:
        return
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.title = section.title
    chart.height, chart.width = 7.5, 16
    sheet.add_chart(chart, f"M{first - 2}")


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _text(sheet, value: str) -> WriteOnlyCell:
    """A text cell that stays text: made safe, and typed as a string, never a formula."""
    cell = WriteOnlyCell(sheet, value=safe_text(value))
    cell.data_type = "s"
    return cell


def _styled(sheet, value, font, fill=None, alignment=None) -> WriteOnlyCell:
    cell = _text(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value=value)
    cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _typed(sheet, value):
    """Numbers as they are, text as safe text cells, percentages and dates with their Excel
    number format."""
    if value is None or value.__class__ is int:  # most cells, first
        return value
    if isinstance(value, str):
        return _text(sheet, value)
    for kind, number_format in FORMATS:
        if isinstance(value, kind):
            cell = WriteOnlyCell(sheet, value=float(value) if kind is Percent else value)
            cell.number_format = number_format
            return cell
    return value
