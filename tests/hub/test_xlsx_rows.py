"""The workbook's streamed session lines read back as written: texts (escaped, never formulas),
numbers, dates; characters XML cannot hold are replaced, not lost with the file."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from kiosk.hub.report_workbook import write_workbook
from kiosk.reporting.figures import figures

pytestmark = pytest.mark.timeout(60)

HOSTILE = ["=1+2", "<b>&amp;</b>", "  leading and trailing  ", "a\x01b", "@SUM(A1)", "Điểm 5"]


def _report() -> dict:
    return {"period": {"from": "2025-01-01", "to": "2025-01-31"}, "point": None,
            **figures([], {}, {}, lesson_runs=0, lesson_completions=0, help_requests=0),
            "by_point": {}, "activity": [], "points": []}


def _row(point: str, day: str, seconds) -> dict:
    return {"day": day, "point": point, "age_band": "75+", "gender": None, "disability": None,
            "satisfaction": "good", "duration_s": seconds,
            "services": [{"service": "vneid", "outcomes": ["installed"],
                          "unsolved_reason": None}]}


def test_streamed_lines_read_back_as_written(tmp_path):
    path = tmp_path / "r.xlsx"
    rows = [_row(point, f"2025-01-{n + 1:02d}", 90 * n) for n, point in enumerate(HOSTILE)]
    assert write_workbook(_report(), iter(rows), path) == len(HOSTILE)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name)
                       for name in archive.namelist() if name.startswith("xl/worksheets/"))
    sheet = openpyxl.load_workbook(path).worksheets[1]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [line[1] for line in lines] == ["'=1+2", "<b>&amp;</b>", "  leading and trailing  ",
                                           "a\ufffdb", "'@SUM(A1)", "Điểm 5"]
    assert [line[0].day for line in lines] == [1, 2, 3, 4, 5, 6]
    assert [line[6] for line in lines] == [0, 1.5, 3, 4.5, 6, 7.5]
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    assert sheet.freeze_panes == "A2"


def test_an_empty_period_still_makes_a_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    assert write_workbook(_report(), iter([]), path) == 0
    assert openpyxl.load_workbook(path).worksheets[1].max_row == 1
