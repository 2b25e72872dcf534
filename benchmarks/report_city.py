"""Report figures at city scale on PostgreSQL: a month of the whole city, a ward's year and the
city's year, against the limits of DESIGN.md (< 1 s, < 1 s, < 3 s).

Fills an empty hub database on the server named by ``--db`` (the hub's own schema, via
``open_engine``) for 2025: 126 wards, ``--points`` help points (default 2,000, one kiosk each)
spread over them, and ``--records`` records (default 20,000,000; 60% assistance sessions with one
or two services each, 30% lesson runs, 10% help requests) — generated inside the server with
``generate_series``, straight into the report tables (the rows the ingest path's projections would
have written), then counted into the report summaries the reports read by
``kiosk.hub.summaries.fill`` — the migration's recount, which the tests prove equal to what the
ingest path keeps. The generic ``records`` table is left empty: no report query reads it, and
filling it would only double the build time. Rows go in day by day, as a year of ingest leaves
them. Then ``VACUUM ANALYZE`` and, median of 3 runs each, ``reports.ward_report`` for June (every
point of the city), one ward's year, and the city's year, and the city page's one read of every
ward (``reports.city_figures``) for June and for the year.

    .venv/bin/python benchmarks/report_city.py --db postgresql://… [--records N] [--keep]

``--keep`` measures the database as it is (built by an earlier run with the same numbers).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.hub.database import open_engine  # noqa: E402
from kiosk.hub.schema import REPORT_TABLES, SUMMARY_TABLES  # noqa: E402
from kiosk.hub.summaries import fill  # noqa: E402

WARDS = 126
MONTH = (date(2025, 6, 1), date(2025, 6, 30))
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
LIMITS = {"city month": 1.0, "ward year": 1.0, "city year": 3.0, "city page month": 1.0,
          "city page year": 3.0}

# %(n)s rows numbered i = 1..n; the day grows with i, so a day's rows lie together
_DAY = "to_char(date '2025-01-01' + ((i - 1)::bigint * 365 / %(n)s)::int, 'YYYY-MM-DD')"
_POINT = "'Điểm ' || lpad(((i::bigint * 7919) %% %(points)s)::text, 4, '0')"
_DEVICE = "'kiosk-' || ((i::bigint * 7919) %% %(points)s)"
_COMMON = f"'{{kind}}' || i, 1, {_DEVICE}, {_POINT}, {_DAY}"
_PICK = "(array[{values}])[1 + (i / {step}) %% {count}]"


def _pick(values: tuple, step: int) -> str:
    return _PICK.format(values=", ".join(f"'{v}'" for v in values), step=step, count=len(values))


FILL = {
    "report_sessions": (
        "INSERT INTO report_sessions SELECT " + _COMMON.format(kind="s") + ", NULL, "
        + _pick(("<18", "18-39", "40-59", "60-74", "75+", "60-74", "75+"), 1) + ", "
        + _pick(("female", "male", "female"), 7) + ", "
        + _pick(("none", "none", "none", "vision", "hearing", "mobility"), 3) + ", "
        + _pick(("good", "good", "good", "good", "ok", "bad"), 11)
        + ", 60 + i %% 1500, 1 + (i %% 3 = 0)::int FROM generate_series(1, %(n)s) AS i"),
    "report_services": (
        "INSERT INTO report_services SELECT " + _COMMON.format(kind="s") + ", "
        "(array['vneid', 'dichvucong', 'vssid', 'etax', 'ihanoi', 'safety', 'other'])"
        "[1 + (i + k) %% 7], (i %% 2)::smallint, (i %% 3 = 0)::int::smallint, "
        "(i %% 4 = 0)::int::smallint, (i %% 5 = 0)::int::smallint, 0::smallint, "
        "(i %% 9 = 0)::int::smallint, (i %% 13 = 0)::int::smallint, 0::smallint, "
        "(i %% 10 = 7)::int::smallint, CASE WHEN i %% 10 = 7 THEN 'otp_not_received' END "
        "FROM generate_series(1, %(n)s) AS i, generate_series(0, (i %% 3 = 0)::int) AS k"),
    "report_lesson_runs": (
        "INSERT INTO report_lesson_runs SELECT " + _COMMON.format(kind="l") + ", "
        "'vneid-activate', (i %% 3 > 0)::int::smallint, NULL, (i %% 8 = 0)::int::smallint "
        "FROM generate_series(1, %(n)s) AS i"),
    "report_help_requests": (
        "INSERT INTO report_help_requests SELECT " + _COMMON.format(kind="h") + ", 'open' "
        "FROM generate_series(1, %(n)s) AS i"),
}
SHARE = {"report_sessions": 0.6, "report_services": 0.6, "report_lesson_runs": 0.3,
         "report_help_requests": 0.1}


def build(engine, records: int, points: int) -> tuple[float, float]:
    """Empty the hub's tables and fill them as described above; returns the seconds taken by
    the report rows and by the summaries."""
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE records, devices, help_points, wards, " + ", ".join(
            table.name for table in REPORT_TABLES + SUMMARY_TABLES))
        connection.exec_driver_sql(
            "INSERT INTO wards SELECT 'Phường ' || lpad(w::text, 3, '0'), now()::text "
            f"FROM generate_series(0, {WARDS - 1}) AS w")
        connection.exec_driver_sql(
            "INSERT INTO help_points SELECT 'Điểm ' || lpad(p::text, 4, '0'), 'Phường ' || "
            f"lpad((p %% {WARDS})::text, 3, '0'), now()::text "
            "FROM generate_series(0, %(points)s - 1) AS p", {"points": points})
        connection.exec_driver_sql(
            "INSERT INTO devices (device_id, point, first_seen_at, last_seen_at, "
            "acknowledged_seq) SELECT 'kiosk-' || p, 'Điểm ' || lpad(p::text, 4, '0'), "
            "'2025-01-01T00:00:00.000Z', '2025-12-31T00:00:00.000Z', 0 "
            "FROM generate_series(0, %(points)s - 1) AS p", {"points": points})
    for table, sql in FILL.items():
        with engine.begin() as connection:
            connection.exec_driver_sql(sql, {"n": int(records * SHARE[table]), "points": points})
    rows_done = time.perf_counter()
    with engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL work_mem = '1GB'")  # the recount's one big GROUP BY
        fill(connection)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
    return rows_done - started, time.perf_counter() - rows_done


def measure(engine, repeat: int) -> dict[str, list[float]]:
    """Seconds of each figure's ``ward_report``, ``repeat`` runs each."""
    from kiosk.hub.reports import city_figures, ward_report

    cases = {"city month": {"start": MONTH[0], "end": MONTH[1], "point": None},
             "ward year": {"start": YEAR[0], "end": YEAR[1], "point": None,
                           "ward": "Phường 007"},
             "city year": {"start": YEAR[0], "end": YEAR[1], "point": None}}
    times: dict[str, list[float]] = {}
    with engine.connect() as connection:
        for name, arguments in cases.items():
            for _ in range(repeat):
                started = time.perf_counter()
                report = ward_report(connection, **arguments)
                times.setdefault(name, []).append(time.perf_counter() - started)
            print(f"  {name}: {report['totals']['sessions']:,} sessions counted", flush=True)
        for name, (start, end) in (("city page month", MONTH), ("city page year", YEAR)):
            for _ in range(repeat):
                started = time.perf_counter()
                page = city_figures(connection, start=start, end=end)
                times.setdefault(name, []).append(time.perf_counter() - started)
            print(f"  {name}: {len(page['wards'])} wards, "
                  f"{page['city']['totals']['sessions']:,} sessions counted", flush=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a PostgreSQL URL (its hub tables are emptied)")
    parser.add_argument("--records", type=int, default=20_000_000)
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="measure without rebuilding")
    args = parser.parse_args()
    engine = open_engine(args.db)
    if engine.dialect.name != "postgresql":
        raise SystemExit("report_city.py measures PostgreSQL: give --db postgresql://…")
    if not args.keep:
        rows, summaries = build(engine, args.records, args.points)
        print(f"built {args.records:,} records at {args.points:,} help points in {WARDS} wards: "
              f"report rows in {rows:.0f} s, summaries (fill) and VACUUM ANALYZE in "
              f"{summaries:.0f} s", flush=True)
    with engine.connect() as connection:  # what the reports read: it stops growing with the
        # records once every point has a row on every day (2,000 × 365)
        sizes = {table.name: connection.exec_driver_sql(
            f"SELECT count(*) FROM {table.name}").scalar() for table in SUMMARY_TABLES}
    print("summary rows: " + ", ".join(f"{name} {n:,}" for name, n in sizes.items()), flush=True)
    times = measure(engine, args.repeat)
    print(f"{args.records:,} records, median of {args.repeat}:")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"  {name}: {median:.2f} s = {median / LIMITS[name]:.2f}× the {LIMITS[name]:.0f} s "
              f"limit (runs: {', '.join(f'{t:.2f}' for t in runs)})")
    engine.dispose()


if __name__ == "__main__":
    main()
