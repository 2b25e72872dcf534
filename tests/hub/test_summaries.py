"""The report summaries stay equal to a recount from the records, whatever arrives: random batches
with corrections (in order, late, in the same batch), resends, replays, several points in several
wards, devices moving point, values a newer kiosk sends (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from kiosk.core.ids import uuid7
from kiosk.core.journal import AGE_BANDS, DISABILITIES, GENDERS, SATISFACTION, SERVICES, \
    UNSOLVED_REASONS
from kiosk.hub import migrations
from kiosk.hub.database import write_transaction
from kiosk.hub.enrollment import make_code, redeem_code
from kiosk.hub.ingest import ingest_batch
from kiosk.hub.projections import backfill
from kiosk.hub.schema import (REPORT_TABLES, SUMMARY_FIELDS, SUMMARY_REASONS, SUMMARY_SERVICES,
                              SUMMARY_TABLES, report_summary_days, report_summary_extras,
                              report_summary_months)
from kiosk.hub.summaries import fill

pytestmark = pytest.mark.timeout(120)

POINTS = (("Tổ 1", "Phường A"), ("Tổ 2", "Phường A"), ("Tổ 3", "Phường B"), ("Tổ 4", None))
OUTCOME_CHOICES = ("installed", "account_activated", "dossier_submitted", "referred",
                   "not_solved", "flew")  # "flew": a value this version does not know


def _maybe(rng, values, odd):
    return rng.choice((None, *values, odd))


def _session(rng, record_id, device, revision) -> dict:
    start = datetime(2025, 1, 30, tzinfo=timezone.utc) + timedelta(hours=rng.randrange(24 * 40))
    services = [{"service": rng.choice((*SERVICES[:4], "zalo")),
                 "outcomes": rng.sample(OUTCOME_CHOICES, rng.randrange(3)),
                 "unsolved_reason": _maybe(rng, UNSOLVED_REASONS[:2], "strange")}
                for _ in range(rng.randrange(3))]
    return {"id": record_id, "device_id": device, "revision": revision,
            "started_at": start.isoformat(timespec="milliseconds"),
            "age_band": _maybe(rng, AGE_BANDS, "80+"), "gender": _maybe(rng, GENDERS, 7),
            "disability": _maybe(rng, DISABILITIES, "x"),
            "satisfaction": _maybe(rng, SATISFACTION, "unrated"), "services": services}


def _other(rng, kind, record_id, device, revision) -> dict:
    start = datetime(2025, 2, 1, tzinfo=timezone.utc) + timedelta(hours=rng.randrange(24 * 35))
    record = {"id": record_id, "device_id": device, "revision": revision,
              "started_at": start.isoformat(timespec="milliseconds"),
              "created_at": start.isoformat(timespec="milliseconds")}
    if kind == "lesson_run":
        record.update(completed=rng.choice((0, 1, True)), lesson_id="vneid-activate")
    return record


def _deliveries(rng, engine) -> list[tuple[str, list[dict]]]:
    """Batches of four devices: every record in 1–3 revisions, the batches shuffled, some sent
    twice, some revisions in the same batch."""
    devices = []
    for point, ward in POINTS:
        device = str(uuid7())
        redeem_code(engine, make_code(engine, point, ward=ward)["code"], device)
        devices.append(device)
    rows = []
    for _ in range(160):
        device, kind = rng.choice(devices), rng.choice(
            ("assistance_session",) * 3 + ("lesson_run", "help_request"))
        record_id = uuid7()
        for revision in range(1, rng.randrange(2, 5)):
            record = (_session(rng, record_id, device, revision) if kind == "assistance_session"
                      else _other(rng, kind, record_id, device, revision))
            rows.append((device, {"record_type": kind, "record": record}))
    rng.shuffle(rows)
    batches = []
    for device in devices:
        mine = [row for owner, row in rows if owner == device]
        while mine:
            size = rng.randrange(1, 25)
            batches.append((device, [{"seq": seq, **row} for seq, row in enumerate(mine[:size])]))
            mine = mine[size:]
    rng.shuffle(batches)
    return batches + rng.sample(batches, len(batches) // 3)  # replays


def _snapshot(connection) -> dict:
    """Every non-zero count of the three summary tables."""
    found = {}
    for table in (report_summary_days, report_summary_months):
        for row in connection.execute(select(table)):
            found.update({(table.name, row[0], row[1], name): value
                          for name, value in zip(table.c.keys()[2:], row[2:]) if value})
    for day, point, field, value, n in connection.execute(select(report_summary_extras)):
        if n:
            found[("extras", day, point, field, value)] = n
    return found


def _recount(engine, *, from_records: bool) -> dict:
    """Empty the summaries (and, ``from_records``, the report rows, projected again from the
    records), recount them with the migration's ``fill``, and undo it all."""
    with engine.connect() as connection:
        transaction = connection.begin()
        for table in SUMMARY_TABLES + (REPORT_TABLES if from_records else ()):
            connection.execute(table.delete())
        if from_records:
            backfill(connection)
        fill(connection)
        counted = _snapshot(connection)
        transaction.rollback()
    return counted


@pytest.mark.parametrize("seed, moves", [(1, False), (2, False), (3, True)])
def test_summaries_equal_a_recount_whatever_arrives(hub_engine, seed, moves):
    rng = random.Random(seed)
    batches = _deliveries(rng, hub_engine)
    for number, (device, rows) in enumerate(batches):
        ingest_batch(hub_engine, device, rows)
        if moves and number == len(batches) // 2:  # its later revisions count at the new point
            with write_transaction(hub_engine) as connection:
                connection.execute(text("UPDATE devices SET point = 'Tổ 3' WHERE device_id = :d"),
                                   {"d": device})
    with hub_engine.connect() as connection:
        kept = _snapshot(connection)
    assert kept == _recount(hub_engine, from_records=False)
    if not moves:  # projected again, records count at their device's point of today
        assert kept == _recount(hub_engine, from_records=True)
    assert any(key[0] == "extras" for key in kept)  # the odd values were counted too
    sessions = sum(n for key, n in kept.items()
                   if key[0] == "report_summary_days" and key[3] == "sessions")
    with hub_engine.connect() as connection:
        assert sessions == connection.execute(text(
            "SELECT count(*) FROM records WHERE record_type = 'assistance_session'")).scalar()


def test_the_frozen_lists_agree_with_the_kiosk():
    assert SUMMARY_FIELDS == {"age_band": AGE_BANDS, "gender": GENDERS,
                              "disability": DISABILITIES, "satisfaction": SATISFACTION}
    assert SUMMARY_SERVICES == SERVICES and SUMMARY_REASONS == UNSOLVED_REASONS


def test_a_hub_at_0004_upgrades_in_place_with_its_summaries_counted(hub_engine):
    for device, rows in _deliveries(random.Random(5), hub_engine):
        ingest_batch(hub_engine, device, rows)
    with hub_engine.connect() as connection:
        kept = _snapshot(connection)
    with write_transaction(hub_engine) as connection:
        for table in SUMMARY_TABLES:
            connection.execute(text(f"DROP TABLE {table.name}"))
        connection.execute(text("UPDATE alembic_version SET version_num = '0004_wards'"))
    assert migrations.upgrade(hub_engine, to="0005_report_summaries") == "0005_report_summaries"
    with hub_engine.connect() as connection:
        assert _snapshot(connection) == kept and kept


def test_two_kiosks_of_one_point_at_once_in_several_chunks(hub_engine):
    """Two big batches of one point's kiosks, stored at the same time, each over several chunks
    whose days come in opposite orders: both are stored, and the counts add up."""
    devices = [str(uuid7()), str(uuid7())]
    for device in devices:
        redeem_code(hub_engine, make_code(hub_engine, "Tổ 1", ward="Phường A")["code"], device)
    days = [f"2025-02-{day:02d}T03:00:00.000+00:00" for day in (1, 2, 3)]
    batches = {device: [{"seq": n, "record_type": "lesson_run",
                         "record": {"id": uuid7(), "device_id": device, "revision": 1,
                                    "started_at": (days if order else days[::-1])[n // 2000]}}
                        for n in range(5000)] for order, device in enumerate(devices)}
    barrier, errors = threading.Barrier(2), []

    def send(device):
        barrier.wait(timeout=30)
        try:
            ingest_batch(hub_engine, device, batches[device])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(device,)) for device in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=100)
    assert not errors
    with hub_engine.connect() as connection:
        kept = _snapshot(connection)
    assert kept == _recount(hub_engine, from_records=False)
    assert sum(n for key, n in kept.items() if key[0] == "report_summary_months"
               and key[3] == "lesson_runs") == 10_000
