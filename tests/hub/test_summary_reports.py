"""The report's figures from the summaries equal those counted from the report rows one record at
a time (the way the report counted before the summaries), for periods of whole months, parts of
months, open ends, one point and one ward; the city page's one read equals each ward's report."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kiosk.hub.ingest import ingest_batch
from kiosk.hub.reports import Scope, city_figures, ward_report
from kiosk.hub.schema import (REPORT_OUTCOMES, report_help_requests, report_lesson_runs,
                              report_services, report_sessions, summary_column)
from kiosk.hub.summary_reads import figures_of, split, totals_of
from kiosk.reporting.figures import APP_COLUMNS, figures
from tests.hub.test_summaries import _deliveries

pytestmark = pytest.mark.timeout(180)

PERIODS = [(None, None), (date(2025, 2, 1), date(2025, 2, 28)),
           (date(2025, 2, 3), date(2025, 3, 4)), (date(2025, 1, 31), date(2025, 3, 1)),
           (None, date(2025, 2, 14)), (date(2025, 2, 14), None), (date(2025, 2, 9), date(2025, 2, 9)),
           (date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 3, 2), date(2025, 3, 1))]


def _counted_from_rows(connection, scope: Scope) -> dict:
    """The figures counted from the report rows (one row per record)."""
    s, v = report_sessions, report_services
    columns = (s.c.age_band, s.c.gender, s.c.disability, s.c.satisfaction)
    groups = [tuple(row) for row in connection.execute(
        select(*columns, func.count()).where(*scope.where(s)).group_by(*columns))]
    apps: dict = defaultdict(lambda: dict.fromkeys(APP_COLUMNS, 0))
    reasons: dict = defaultdict(int)
    for service, reason, n, *outcomes in connection.execute(
            select(v.c.service, v.c.unsolved_reason, func.count(),
                   *(func.sum(v.c[o]) for o in REPORT_OUTCOMES))
            .where(*scope.where(v)).group_by(v.c.service, v.c.unsolved_reason)):
        for column, value in zip(APP_COLUMNS, (n, *outcomes)):
            apps[service][column] += int(value)
        if reason is not None:
            reasons[reason] += n
    runs = connection.execute(select(func.count(), func.coalesce(func.sum(
        report_lesson_runs.c.completed), 0)).where(*scope.where(report_lesson_runs))).one()
    requests = connection.execute(select(func.count()).select_from(report_help_requests).where(
        *scope.where(report_help_requests))).scalar()
    return figures(groups, apps, reasons, lesson_runs=runs[0], lesson_completions=int(runs[1]),
                   help_requests=requests)


@pytest.fixture
def filled(hub_engine):
    for device, rows in _deliveries(random.Random(7), hub_engine):
        ingest_batch(hub_engine, device, rows)
    return hub_engine


def test_report_figures_from_summaries_equal_the_count_of_the_records(filled):
    with filled.connect() as connection:
        for start, end in PERIODS:
            for point, ward in ((None, None), ("Tổ 2", None), (None, "Phường A"),
                                ("Tổ 4", None)):
                report = ward_report(connection, start=start, end=end, point=point, ward=ward)
                expected = _counted_from_rows(connection, Scope.of(start, end, point, ward))
                assert {key: report[key] for key in expected} == expected, (start, end, point)
                for name, line in report["by_point"].items():
                    one = _counted_from_rows(connection, Scope.of(start, end, name, ward))
                    assert {key: line[key] for key in one["totals"]} == one["totals"]


def test_the_city_page_read_equals_each_wards_report(filled):
    with filled.connect() as connection:
        for start, end in PERIODS[1:4]:
            city = city_figures(connection, start=start, end=end)
            assert {"Phường A", "Phường B"} <= set(city["wards"])
            for name, entry in [*city["wards"].items(), (None, city["city"])]:
                report = ward_report(connection, start=start, end=end, point=None, ward=name)
                assert entry["totals"] == report["totals"]
                assert entry["by_app"] == report["by_app"]
                assert entry["unsolved_by_reason"] == report["unsolved_by_reason"]
                assert entry["points"] == report["points"]


def test_a_period_splits_into_whole_months_and_the_days_at_its_ends():
    assert split("2025-01-01", "2025-12-31") == (("2025-01", "2025-12"), [])
    assert split("2025-01-15", "2025-03-10") == (("2025-02", "2025-02"),
                                                 [("2025-01-15", "2025-01-31"),
                                                  ("2025-03-01", "2025-03-10")])
    assert split("2024-12-02", "2025-01-30") == (None, [("2024-12-02", "2025-01-30")])
    assert split("2024-02-02", "2024-03-31") == (("2024-03", "2024-03"),
                                                 [("2024-02-02", "2024-02-29")])
    assert split(None, "2025-02-14") == ((None, "2025-01"), [("2025-02-01", "2025-02-14")])
    assert split("2025-12-31", None) == (("2026-01", None), [("2025-12-31", "2025-12-31")])
    assert split(None, None) == ((None, None), [])


def _key(field, value, service=None):
    column = summary_column(field, value, service)
    if column is not None:
        return column
    return ("extras", (f"app.{value}", service) if field == "app" else (field, value))


ODD = [None, "good", "bad", "unrated", "60-74", "75+", "18-39", "female", "none", "new"]
SESSIONS = st.lists(st.tuples(*[st.sampled_from(ODD)] * 4), max_size=20)
SERVICE_ROWS = st.lists(st.tuples(st.sampled_from(["vneid", "etax", "zalo"]),
                                  st.sets(st.sampled_from(REPORT_OUTCOMES), max_size=3),
                                  st.sampled_from([None, "otp_not_received", "strange"])),
                        max_size=20)


@settings(max_examples=300, deadline=None)
@given(SESSIONS, SERVICE_ROWS, st.integers(0, 9))
def test_a_points_totals_are_those_of_the_full_figures(sessions, services, runs):
    """Counts as the summaries hold them for some sessions and services, odd values included."""
    counts = defaultdict(int, lesson_runs=runs, lesson_completions=runs // 2, help_requests=3)
    for values in sessions:
        counts["sessions"] += 1
        for field, value in zip(("age_band", "gender", "disability", "satisfaction"), values):
            counts[_key(field, value)] += 1
    for service, outcomes, reason in services:
        counts[_key("app", "services", service)] += 1
        for outcome in outcomes:
            counts[_key("app", outcome, service)] += 1
        if reason is not None:
            counts[_key("reason", reason)] += 1
    counts["extras"] = {key[1]: counts.pop(key) for key in list(counts)
                        if isinstance(key, tuple)}
    assert totals_of(counts) == figures_of(counts)["totals"]
