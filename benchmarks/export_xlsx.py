"""A ward's year as XLSX: openpyxl's write-only mode against XlsxWriter's constant_memory mode.

A ward at city scale: 20 million records a year over 126 wards is about 160,000 records a ward,
60% of them sessions (as in ``report_city.py``): the benchmark writes that many session lines
(``--rows``, default 95,000) through the hub's own line builder (``report_layout.row_values``,
the values the hub's workbook writes), each cell typed as the hub types it (text as a string cell,
never a formula). Each writer runs in its own process, twice — at the full size and at a quarter
of it — so "bounded memory" is measured, not assumed: the peak resident memory of the process
(``ru_maxrss``) must not grow with the number of lines. Target (DESIGN.md): < 10 s.

    .venv/bin/python benchmarks/export_xlsx.py [--rows 95000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.hub.report_layout import row_header, row_values, safe_text  # noqa: E402
from kiosk.core.journal import AGE_BANDS, DISABILITIES, GENDERS, SATISFACTION, SERVICES  # noqa: E402
from kiosk.core.journal import UNSOLVED_REASONS  # noqa: E402

LIMIT_S = 10.0
WRITERS = ("openpyxl", "xlsxwriter", "hub")  # "hub": report_workbook.write_workbook


def session_rows(count: int):
    """``count`` report rows of one ward's year, as ``reports.report_rows`` yields them."""
    rng, first = random.Random(13), date(2025, 1, 1)
    for n in range(count):
        services = [{"service": rng.choice(SERVICES), "outcomes": ["installed", "logged_in"],
                     "unsolved_reason": rng.choice((None, None, *UNSOLVED_REASONS))}
                    for _ in range(rng.randint(1, 2))]
        yield {"day": (first + timedelta(days=n * 365 // count)).isoformat(),
               "point": f"Nhà văn hóa tổ {n % 16 + 1}", "age_band": rng.choice(AGE_BANDS),
               "gender": rng.choice(GENDERS), "disability": rng.choice(DISABILITIES),
               "satisfaction": rng.choice(SATISFACTION), "duration_s": rng.randint(60, 1800),
               "services": services}


def write_openpyxl(rows, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Chi tiết")
    sheet.append([safe_text(text) for text in row_header()])
    day_format = "DD/MM/YYYY"
    for row in rows:
        line = []
        for value in row_values(row):
            if isinstance(value, str):
                value = WriteOnlyCell(sheet, value=safe_text(value))
                value.data_type = "s"
            elif isinstance(value, date):
                value = WriteOnlyCell(sheet, value=value)
                value.number_format = day_format
            line.append(value)
        sheet.append(line)
    workbook.save(out)


def write_xlsxwriter(rows, out: Path) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(out), {"constant_memory": True,
                                              "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Chi tiết")
    day_format = workbook.add_format({"num_format": "DD/MM/YYYY"})
    for column, text in enumerate(row_header()):
        sheet.write_string(0, column, safe_text(text))
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row_values(row)):
            if isinstance(value, str):
                sheet.write_string(number, column, safe_text(value))
            elif isinstance(value, date):
                sheet.write_datetime(number, column, value, day_format)
            elif value is not None:
                sheet.write_number(number, column, value)
    workbook.close()


def write_hub(rows, out: Path) -> None:
    """The hub's own workbook (``report_workbook.write_workbook``) with an empty summary."""
    from kiosk.hub.report_workbook import write_workbook
    from kiosk.reporting.figures import figures

    report = {"period": {"from": "2025-01-01", "to": "2025-12-31"}, "point": None,
              **figures([], {}, {}, lesson_runs=0, lesson_completions=0, help_requests=0), "by_point": {}, "activity": [], "points": []}
    write_workbook(report, rows, out)


def measure(writer: str, count: int) -> dict:
    """Run one writer in this process: seconds (wall and CPU: the machine may be shared), peak
    resident MB, file MB."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "year.xlsx"
        started, cpu = time.perf_counter(), time.process_time()
        {"openpyxl": write_openpyxl, "xlsxwriter": write_xlsxwriter,
         "hub": write_hub}[writer](session_rows(count), out)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = out.stat().st_size
    return {"seconds": elapsed, "cpu_s": cpu, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            / 1024, "file_mb": size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=95_000)
    parser.add_argument("--only", choices=WRITERS, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.only, args.rows)))
        return
    print(f"a ward's year: {args.rows:,} session lines; limit {LIMIT_S:.0f} s")
    for writer in WRITERS:
        runs = {}
        for count in (args.rows // 4, args.rows):
            child = subprocess.run([sys.executable, __file__, "--only", writer,
                                    "--rows", str(count)], capture_output=True, text=True)
            if child.returncode:
                print(f"{writer}: failed\n{child.stderr[-2000:]}")
                break
            runs[count] = json.loads(child.stdout.strip().splitlines()[-1])
        else:
            full, quarter = runs[args.rows], runs[args.rows // 4]
            print(f"{writer:>10}: {full['seconds']:.1f} s = {full['seconds'] / LIMIT_S:.2f}× the "
                  f"limit ({full['cpu_s']:.1f} s of CPU), {full['file_mb']:.1f} MB file; peak RSS {full['peak_mb']:.0f} MB "
                  f"(a quarter of the lines: {quarter['peak_mb']:.0f} MB, "
                  f"{quarter['seconds']:.1f} s)")


if __name__ == "__main__":
    main()
