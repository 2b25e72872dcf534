"""The ward report's files — CSV, XLSX, JSON — and ``kiosk-hub report``: each file shows exactly
the numbers of ``ward_report`` (so the dashboard's), Vietnamese headers, and nothing personal."""

import csv
import io
import json
import re
import subprocess
import sys
import zipfile

import openpyxl

from kiosk.hub.report_export import BY_POINT_COLUMNS, write_report
from kiosk.hub.reports import ward_report
from kiosk.core.journal import SERVICES
from kiosk.reporting.figures import (APP_COLUMNS, TOTAL_KEYS, column_label, report_label,
                                     value_label)

from tests.hub.report_seed import MARCH, MARCH_TOTALS, P9, SECRETS, seeded  # noqa: F401

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
BREAKDOWN_FIELDS = {"by_age_band": "age_band", "by_gender": "gender",
                    "by_disability": "disability", "unsolved_by_reason": "unsolved_reason",
                    "satisfaction": "satisfaction"}


def _files(engine, tmp_path, point=None) -> dict:
    made = {}
    for fmt in ("json", "csv", "xlsx"):
        path = tmp_path / f"report.{fmt}"
        done = write_report(engine, path, fmt=None, start=MARCH[0], end=MARCH[1], point=point)
        assert done["format"] == fmt and not path.with_name(path.name + ".part").exists()
        made[fmt] = path
    return made


def _sections(rows: list[list]) -> dict[str, tuple[list, list[list]]]:
    """Title -> (header, rows) of every table, from a sheet's rows: a table is a title line, a
    header line and its rows, ended by a blank line (or the end)."""
    rows = [[cell for cell in row] for row in rows]
    while rows and rows[-1] == []:
        rows.pop()
    blocks, block = [], []
    for row in rows + [[]]:
        if row:
            block.append(row)
        elif block:
            blocks.append(block)
            block = []
    return {block[0][0]: (block[1], block[2:]) for block in blocks[1:]}  # [0]: the heading


def _trim(row) -> list:
    row = list(row)
    while row and row[-1] in (None, ""):
        row.pop()
    return row


def _number(value):
    """A cell as a number: CSV text "57.14%" and XLSX 0.5714 both give 0.5714."""
    if isinstance(value, str) and value.endswith("%"):
        return round(float(value[:-1]) / 100, 4)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    if isinstance(value, float):
        return round(value, 4)
    return None if value == "" else value


def _check_summary(sections: dict, report: dict, kind: str) -> None:
    label = report_label
    header, rows = sections[label("totals")]
    assert header == [label("figure"), label("count")], kind
    assert {row[0]: _number(row[1]) for row in rows} == \
        {label(key): report["totals"][key] for key in TOTAL_KEYS}, kind
    for key, field in BREAKDOWN_FIELDS.items():
        _, rows = sections[label(key)]
        shown = {row[0]: _number(row[1]) for row in rows}
        expected = {value_label(field, value): n for value, n in report[key].items()}
        if key == "satisfaction":
            expected[label("satisfaction_rate")] = report["totals"]["satisfaction_rate"]
        assert shown == expected, (kind, key)
    header, rows = sections[label("by_app")]
    assert header[:4] == [label("service"), column_label("services"), column_label("installed"),
                          column_label("account_activated")], kind
    expected = {value_label("service", app): [counts[c] for c in APP_COLUMNS]
                for app, counts in report["by_app"].items()}
    expected[label("all_apps")] = [sum(c[k] for c in report["by_app"].values())
                                   for k in APP_COLUMNS]
    assert {row[0]: [_number(v) for v in row[1:]] for row in rows} == expected, kind
    _, rows = sections[label("by_point")]
    columns = [key for key in BY_POINT_COLUMNS if key != "last_sync_at"]
    assert {row[0]: {key: _number(row[1 + BY_POINT_COLUMNS.index(key)]) for key in columns}
            for row in rows} == {point: {key: figures[key] for key in columns}
                                 for point, figures in report["by_point"].items()}, kind
    _, rows = sections[label("activity")]
    assert [(_number(row[1]), _number(row[2])) for row in rows] == \
        [(day["sessions"], day["lesson_runs"]) for day in report["activity"]], kind


def _check_details(header: list, rows: list[list], report: dict, kind: str) -> None:
    assert header[:3] == [report_label("day"), report_label("point"), report_label("age_band")], kind
    assert len(rows) == report["totals"]["sessions"], kind
    ages = [row[2] for row in rows]
    assert {value_label("age_band", band): ages.count(value_label("age_band", band))
            for band in report["by_age_band"]} == \
        {value_label("age_band", band): n for band, n in report["by_age_band"].items()}, kind
    vneid = header.index(value_label("service", "vneid"))
    assert sum(1 for row in rows if len(row) > vneid and row[vneid]) == \
        report["by_app"]["vneid"]["services"], kind
    assert sum(_number(row[7]) for row in rows) == report["totals"]["services"], kind


def test_csv_xlsx_and_json_show_the_reports_numbers(seeded, tmp_path):
    with seeded.engine.connect() as connection:
        report = ward_report(connection, start=MARCH[0], end=MARCH[1], point=None)
    assert report["totals"] == MARCH_TOTALS
    files = _files(seeded.engine, tmp_path)

    assert json.loads(files["json"].read_text(encoding="utf-8")) == report

    raw = files["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    lines = [_trim(row) for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")))]
    assert lines[0] == [report_label("title")]
    assert lines[1] == [report_label("period"), "01/03/2025 – 31/03/2025"]
    assert lines[2] == [report_label("point"), report_label("all_points")]
    sections = _sections(lines)
    _check_summary(sections, report, "csv")
    _check_details(*sections[report_label("rows_title")], report, "csv")

    book = openpyxl.load_workbook(files["xlsx"])
    summary_sheet, details_sheet = report_label("totals"), report_label("rows")
    assert book.sheetnames == [summary_sheet, details_sheet]
    summary = [_trim(row) for row in book[summary_sheet].iter_rows(values_only=True)]
    assert summary[0] == [report_label("title")] and summary[1][1] == "01/03/2025 – 31/03/2025"
    assert book[summary_sheet]["A1"].font.bold
    assert book[summary_sheet].column_dimensions["A"].width > 20
    _check_summary(_sections(summary), report, "xlsx")
    details = [_trim(row) for row in book[details_sheet].iter_rows(values_only=True)]
    assert book[details_sheet]["A1"].font.bold and book[details_sheet].freeze_panes == "A2"
    _check_details(details[0], details[1:], report, "xlsx")
    assert len(book[summary_sheet]._charts) == 2  # services by app, activity by day


def test_one_help_points_files(seeded, tmp_path):
    files = _files(seeded.engine, tmp_path, point=P9)
    report = json.loads(files["json"].read_text(encoding="utf-8"))
    assert report["point"] == P9 and report["totals"]["sessions"] == 3
    lines = [_trim(row) for row in csv.reader(io.StringIO(
        files["csv"].read_bytes().decode("utf-8-sig")))]
    assert lines[2] == [report_label("point"), P9]
    _check_details(*_sections(lines)[report_label("rows_title")], report, "csv")


def test_no_personal_data_in_any_file(seeded, tmp_path):
    files = _files(seeded.engine, tmp_path)
    texts = {"json": files["json"].read_text(encoding="utf-8"),
             "csv": files["csv"].read_bytes().decode("utf-8-sig")}
    with zipfile.ZipFile(files["xlsx"]) as book:
        texts["xlsx"] = "".join(book.read(name).decode("utf-8", "replace")
                                for name in book.namelist())
    for kind, content in texts.items():
        for secret in SECRETS:
            assert secret not in content, (kind, secret)
        assert not UUID.search(content), f"{kind} holds an id (record, device or volunteer)"
        assert "note" not in content.lower() and "volunteer" not in content.lower(), kind


def _hub(*args, tmp_path, db_url):
    command = [sys.executable, "-m", "kiosk.hub", "report", *args, "--db", db_url,
               "--data-dir", str(tmp_path / "hub")]
    return subprocess.run(command, capture_output=True, timeout=120)


def test_kiosk_hub_report_command(seeded, tmp_path, hub_db_url):
    result = _hub("--from", "2025-03-01", "--to", "2025-03-31", tmp_path=tmp_path,
                  db_url=hub_db_url)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["totals"]["sessions"] == report["totals"]["people_helped"] == 9
    assert report["totals"]["lesson_runs"] == 4
    assert report["totals"]["satisfaction_rate"] == 0.5714
    assert set(report["by_point"]) == {"Nhà văn hóa tổ 5", P9, "Điểm lưu động"}
    assert list(report["by_app"]) == list(SERVICES)
    out = tmp_path / "tháng 3.xlsx"
    result = _hub("--from", "2025-03-01", "--to", "2025-03-31", "--point", P9, "--out",
                  str(out), tmp_path=tmp_path, db_url=hub_db_url)
    assert result.returncode == 0 and "3 sessions" in result.stdout.decode()
    assert openpyxl.load_workbook(out)[report_label("rows")].max_row == 4
    csv_out = _hub("--format", "csv", tmp_path=tmp_path, db_url=hub_db_url)
    assert csv_out.returncode == 0 and csv_out.stdout.startswith(b"\xef\xbb\xbf")


def test_kiosk_hub_report_says_what_is_wrong_in_plain_words(tmp_path, hub_db_url):
    for args, code, words in [
            (["--from", "2025-02-30"], 2, "not a date: '2025-02-30'"),
            (["--from", "2025-03-02", "--to", "2025-03-01"], 1, "starts (2025-03-02) after"),
            (["--point", "Tổ 99"], 1, "no help point is called 'Tổ 99'"),
            (["--out", str(tmp_path / "r.pdf")], 1, "unknown report format 'pdf'"),
            (["--out", str(tmp_path / "missing" / "r.csv")], 1, "No such file")]:
        result = _hub(*args, tmp_path=tmp_path, db_url=hub_db_url)
        stderr = result.stderr.decode()
        assert result.returncode == code, (args, stderr)
        assert words in stderr and "Traceback" not in stderr, (args, stderr)
    assert not (tmp_path / "missing").exists()
