"""The ward report (kiosk.hub.reports) against a data set counted by hand, on SQLite and PostgreSQL:
every figure, corrections and duplicates, Vietnam days across month ends, help points, the
kiosk's own counts for the same sessions, and the projections rebuilt by the migration."""

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text

from kiosk.core import reports as kiosk_reports
from kiosk.hub import migrations
from kiosk.hub.database import open_engine, write_transaction
from kiosk.hub.ingest import ingest_batch
from kiosk.hub.reports import report_rows, ward_report
from kiosk.hub.schema import REPORT_OUTCOMES
from kiosk.core.ids import uuid7
from kiosk.core.journal import AGE_BANDS, OUTCOMES, SERVICES
from kiosk.reporting.figures import TOTAL_KEYS, day_bounds

from tests.hub.report_seed import (APRIL, MARCH, MARCH_ACTIVE_DAYS, MARCH_BREAKDOWNS,
                                   MARCH_BY_POINT, MARCH_TOTALS, P5, P9, PM, app,
                                   seeded)  # noqa: F401 (a fixture)

ROW_KEYS = {"day", "point", "age_band", "gender", "disability", "satisfaction", "duration_s",
            "services"}


def _report(engine, period=(None, None), point=None) -> dict:
    with engine.connect() as connection:
        return ward_report(connection, start=period[0], end=period[1], point=point)


def _rows(engine, period=(None, None), point=None) -> list[dict]:
    with engine.connect() as connection:
        return list(report_rows(connection, start=period[0], end=period[1], point=point))


def _device_seen(engine) -> dict:
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT point, last_seen_at FROM devices")).all())


def test_every_march_figure_matches_the_hand_count(seeded):
    report = _report(seeded.engine, MARCH)
    assert report["period"] == {"from": "2025-03-01", "to": "2025-03-31"}
    assert report["point"] is None
    assert report["totals"] == MARCH_TOTALS
    assert list(report["totals"]) == list(TOTAL_KEYS)
    for key, expected in MARCH_BREAKDOWNS.items():
        assert report[key] == expected, key
        assert list(report[key]) == list(expected), f"{key} keeps the screens' order"
    seen = _device_seen(seeded.engine)
    assert report["by_point"] == {point: {**figures, "last_sync_at": seen[point]}
                                  for point, figures in MARCH_BY_POINT.items()}
    assert report["points"] == sorted([P5, P9, PM])
    assert len(report["activity"]) == 31
    assert [day["date"] for day in report["activity"]][::30] == ["2025-03-01", "2025-03-31"]
    assert {day["date"]: (day["sessions"], day["lesson_runs"]) for day in report["activity"]
            if day["sessions"] or day["lesson_runs"]} == MARCH_ACTIVE_DAYS


def test_the_figures_add_up_across_points_and_breakdowns(seeded):
    report = _report(seeded.engine, MARCH)
    totals = report["totals"]
    for key in TOTAL_KEYS:
        if key != "satisfaction_rate":
            assert sum(p[key] for p in report["by_point"].values()) == totals[key], key
    for key in ("by_age_band", "by_gender", "by_disability", "satisfaction"):
        assert sum(report[key].values()) == totals["people_helped"], key
    assert sum(a["services"] for a in report["by_app"].values()) == totals["services"]
    assert sum(report["unsolved_by_reason"].values()) == totals["not_solved"]
    assert list(report["by_app"]) == list(SERVICES)
    assert list(report["by_age_band"]) == list(AGE_BANDS)


def test_other_periods_days_in_vietnam_time_and_all_time(seeded):
    april = _report(seeded.engine, APRIL)
    assert april["totals"] == {"people_helped": 1, "elderly_helped": 1, "sessions": 1,
                               "services": 2, "referrals": 1, "not_solved": 0, "rated": 1,
                               "satisfaction_rate": 1.0, "lesson_runs": 1,
                               "lesson_completions": 1, "help_requests": 0}
    assert april["by_app"]["ihanoi"] == app(1, installed=1, referred=1)
    assert april["activity"][0] == {"date": "2025-04-01", "sessions": 1, "lesson_runs": 0}
    last_day = _report(seeded.engine, (date(2025, 3, 31), date(2025, 3, 31)))
    assert last_day["totals"]["sessions"] == 1  # 23:30 on 31 March, not 00:30 on 1 April
    february = _report(seeded.engine, (None, date(2025, 2, 28)))
    assert february["totals"]["sessions"] == 1 and february["by_age_band"]["<18"] == 1
    assert february["period"] == {"from": None, "to": "2025-02-28"}
    everything = _report(seeded.engine)
    assert (everything["totals"]["sessions"], everything["totals"]["lesson_runs"],
            everything["totals"]["help_requests"]) == (11, 5, 2)
    assert [day["date"] for day in everything["activity"]] == sorted(
        day["date"] for day in everything["activity"])  # only days with data, in order
    assert len(everything["activity"]) == 10


def test_one_help_point(seeded):
    report = _report(seeded.engine, MARCH, point=P9)
    assert report["point"] == P9 and list(report["by_point"]) == [P9]
    figures = MARCH_BY_POINT[P9]
    assert {key: report["totals"][key] for key in TOTAL_KEYS} == \
        {key: figures[key] for key in TOTAL_KEYS}
    assert report["unsolved_by_reason"]["no_smartphone"] == 1
    assert report["by_app"]["vneid"] == app(1, logged_in=1, document_added=1)
    assert sum(day["sessions"] for day in report["activity"]) == 3
    assert report["points"] == sorted([P5, P9, PM])
    nowhere = _report(seeded.engine, MARCH, point="Không có")
    assert nowhere["totals"]["sessions"] == 0
    assert nowhere["by_point"]["Không có"]["last_sync_at"] is None


def test_the_kiosks_own_counts_agree_with_the_hub_for_its_point(seeded):
    local = kiosk_reports.local_counts(seeded.kiosk_a, kiosk_reports.Period(*day_bounds(*MARCH)))
    hub = _report(seeded.engine, MARCH, point=P5)
    assert {key: local[key] for key in TOTAL_KEYS} == hub["totals"]
    for key in ("by_age_band", "by_gender", "by_disability", "satisfaction", "by_app",
                "services_by_app", "by_outcome", "unsolved_by_reason"):
        assert local[key] == hub[key], key
    april = kiosk_reports.local_counts(seeded.kiosk_a, kiosk_reports.Period(*day_bounds(*APRIL)))
    assert {key: april[key] for key in TOTAL_KEYS} == _report(seeded.engine, APRIL, P5)["totals"]


def test_rows_are_anonymous_streamed_and_show_the_newest_revision(seeded):
    with seeded.engine.connect() as connection:
        stream = report_rows(connection, start=MARCH[0], end=MARCH[1], point=None)
        assert isinstance(stream, Iterator)
        rows = list(stream)
    assert len(rows) == MARCH_TOTALS["sessions"]
    assert all(set(row) == ROW_KEYS for row in rows)
    assert [row["day"] for row in rows] == sorted(row["day"] for row in rows)
    assert sum(len(row["services"]) for row in rows) == MARCH_TOTALS["services"]
    corrected = [row for row in rows if row["age_band"] == "75+" and row["point"] == P5]
    assert corrected == [{"day": "2025-03-03", "point": P5, "age_band": "75+", "gender": "male",
                          "disability": "vision", "satisfaction": "good", "duration_s": 360,
                          "services": [{"service": "vneid",
                                        "outcomes": ["installed", "account_activated"],
                                        "unsolved_reason": None},
                                       {"service": "etax", "outcomes": ["payment_done"],
                                        "unsolved_reason": None}]}]
    assert [row["point"] for row in _rows(seeded.engine, MARCH, PM)] == [PM, PM]


def test_the_migration_rebuilds_the_projections_from_the_records(seeded):
    before = _report(seeded.engine, MARCH)
    with write_transaction(seeded.engine) as connection:
        for table in ("report_services", "report_sessions", "report_lesson_runs",
                      "report_help_requests"):
            connection.execute(text(f"DROP TABLE {table}"))
        connection.execute(text("DELETE FROM hub_schema_version WHERE version > 1"))
        connection.execute(text("DROP TABLE alembic_version"))  # as a release before Alembic
    # later revisions' tables and columns are still there: rebuild only what the baseline does
    assert migrations.upgrade(seeded.engine, to="0001_baseline") == "0001_baseline"
    after = _report(seeded.engine, MARCH)
    assert after == before


def test_an_empty_hub_and_a_period_that_ends_before_it_starts(hub_engine):
    report = _report(hub_engine, (date(2025, 3, 2), date(2025, 3, 1)))
    assert report["activity"] == [] and report["totals"]["sessions"] == 0
    empty = _report(hub_engine)
    assert empty["totals"]["satisfaction_rate"] is None and empty["by_point"] == {}
    assert empty["points"] == [] and empty["activity"] == []
    assert empty["by_app"]["vneid"] == app(0)


def test_records_a_newer_kiosk_or_a_broken_one_sends_are_counted_safely(hub_engine):
    device = str(uuid7())
    odd = {"id": uuid7(), "device_id": device, "revision": 1, "age_band": "80+",
           "gender": 7, "disability": "x" * 500, "satisfaction": "great\x00",
           "services": [{"service": "zalo", "outcomes": ["installed", {"no": 1}, "flew"]},
                        {"service": "zalo", "outcomes": ["not_solved"]}, "junk",
                        {"service": "vneid", "outcomes": "installed"}],
           "duration_s": 2**40, "started_at": "yesterday"}
    broken = {"id": uuid7(), "device_id": device, "revision": 1, "services": {"a": 1}}
    result = ingest_batch(hub_engine, device, [
        {"seq": 1, "record_type": "assistance_session", "record": odd},
        {"seq": 2, "record_type": "assistance_session", "record": broken},
        {"seq": 3, "record_type": "lesson_run", "record": {"id": uuid7(), "device_id": device,
                                                           "revision": 1}}])
    assert result.new == 3
    report = _report(hub_engine)
    assert report["totals"]["sessions"] == 2 and report["totals"]["services"] == 2
    assert report["by_age_band"]["80+"] == 1 and report["by_age_band"]["unknown"] == 1
    assert report["by_app"]["zalo"] == app(1, installed=1)
    assert report["totals"]["lesson_runs"] == 1
    assert report["by_point"][""]["sessions"] == 2  # a device the hub met without a point


def test_the_report_tables_know_every_outcome():
    assert REPORT_OUTCOMES == OUTCOMES


def test_kiosks_say_how_much_they_still_have_to_send(seeded):
    outbox_last = seeded.kiosk_a.execute("SELECT max(seq) FROM outbox").fetchone()[0]
    with seeded.engine.connect() as connection:
        stored = connection.execute(text(
            "SELECT kiosk_last_seq, acknowledged_seq FROM devices WHERE device_id = :d"),
            {"d": seeded.devices[P5]}).one()
    assert tuple(stored) == (outbox_last, outbox_last)
    ingest_batch(seeded.engine, seeded.devices[P5], [], last_seq=outbox_last,
                 kiosk_last_seq=outbox_last + 5)
    assert _report(seeded.engine, MARCH, P5)["by_point"][P5]["unsent"] == 5
    ingest_batch(seeded.engine, seeded.devices[P5], [], last_seq=outbox_last + 5,
                 kiosk_last_seq=outbox_last + 1)  # never lowered
    assert _report(seeded.engine, MARCH, P5)["by_point"][P5]["unsent"] == 0


@pytest.mark.parametrize("copies", [1, 3])
def test_a_correction_in_the_same_batch_as_its_original(hub_engine, copies):
    device, record_id = str(uuid7()), uuid7()
    base = {"id": record_id, "device_id": device, "age_band": "60-74",
            "started_at": "2025-03-03T02:00:00.000+00:00"}
    rows = [{"seq": seq, "record_type": "assistance_session",
             "record": {**base, "revision": revision,
                        "services": [{"service": name, "outcomes": ["installed"]}]}}
            for seq, (revision, name) in enumerate([(1, "vneid"), (2, "etax")] * copies, 1)]
    ingest_batch(hub_engine, device, rows)
    assert _report(hub_engine)["services_by_app"]["etax"] == 1
    assert _report(hub_engine)["totals"]["services"] == 1


def test_open_engine_on_a_fresh_database_is_at_the_latest_version(hub_db_url):
    engine = open_engine(hub_db_url)
    try:
        with engine.connect() as connection:
            assert migrations.current_version(connection) == migrations.LATEST
            columns = connection.execute(text("SELECT kiosk_last_seq FROM devices")).all()
        assert columns == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("outbox_last", ["many", -4, 2.5, None, True])
def test_a_batch_with_a_strange_outbox_last_seq_is_stored_and_the_value_ignored(
        live_hub, make_kiosk, outbox_last):
    import json

    from kiosk.core.db import device_id
    from kiosk.sync.enroll import client_for

    from tests.hub.conftest import add_records, enrolled

    db, _ = make_kiosk()
    enrolled(db, live_hub)
    add_records(db, 2)
    rows = [{"seq": seq, "record_type": kind, "record": json.loads(payload)}
            for seq, kind, payload in db.execute("SELECT seq, record_type, payload FROM outbox")]
    body = {"device_id": device_id(db), "first_seq": 1, "last_seq": 2,
            "outbox_last_seq": outbox_last, "records": rows}
    with client_for(db) as client:
        ack = client.push_batch(json.dumps(body).encode())
    assert ack["new"] == 2
    assert _report(live_hub.engine)["by_point"]["Nhà văn hóa tổ 5"]["unsent"] is None


def test_every_figure_is_explained_in_docs_reports():
    from pathlib import Path

    from kiosk.reporting.figures import APP_COLUMNS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "reports.md").read_text("utf-8")
    for key in (*TOTAL_KEYS, *APP_COLUMNS, "by_age_band", "by_gender", "by_disability",
                "satisfaction", "by_app", "services_by_app", "by_outcome",
                "unsolved_by_reason", "by_point", "activity", "points", "last_sync_at",
                "unsent", "help_requests_open"):
        assert f"`{key}`" in docs, key
