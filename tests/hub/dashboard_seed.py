"""Realistic hub data for the dashboard tests, made the way real data arrives: kiosks record
sessions, lesson runs and help requests in their own databases, enroll with the hub for their
help point, and send their outbox through the hub's one ingest path (``ingest_batch``)."""

from __future__ import annotations

import contextlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from unittest import mock

from kiosk.core import accounts, journal
from kiosk.core.db import connect, device_id
from kiosk.core.demo import demo_session
from kiosk.hub.devices import make_code, redeem_code
from kiosk.hub.ingest import ingest_batch
from kiosk.core.lesson_runs import request_help, start_run, update_run

VIETNAM = timezone(timedelta(hours=7))
PERIOD = (date(2025, 3, 1), date(2025, 3, 31))
NAME_IN_NOTE = "Nguyễn Thị Hoa"
POINTS = ("Nhà văn hóa tổ 5", "Nhà văn hóa tổ 12 Phúc Xá", "Điểm lưu động chợ Long Biên",
          "Nhà văn hóa tổ 3 Ngọc Thụy")


@dataclass
class Seeded:
    points: list[str]
    volunteer_ids: list[str] = field(default_factory=list)
    device_ids: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def seed_hub(engine, folder: Path, *, points=POINTS[:2], sessions_per_point: int = 40,
             runs_per_point: int = 12, period=PERIOD, seed: int = 7,
             name_note: bool = True) -> Seeded:
    """Fill the hub behind ``engine`` with one kiosk per help point in ``points``, each with
    sessions, lesson runs and help requests spread over ``period`` (Vietnam time). One session
    has a note naming a person (``NAME_IN_NOTE``), which no page or export may show."""
    rng = random.Random(seed)
    seeded = Seeded(list(points))
    days = (period[1] - period[0]).days + 1
    for index, point in enumerate(points):
        (folder / f"kiosk-{index}").mkdir(parents=True, exist_ok=True)
        db = connect(folder / f"kiosk-{index}" / "kiosk.db")
        try:
            device = device_id(db)
            redeem_code(engine, make_code(engine, point)["code"], device)
            volunteer = accounts.create_account(db, name=f"TNV {index}", role="volunteer",
                                                pin="2468")["id"]
            seeded.volunteer_ids.append(volunteer)
            seeded.device_ids.append(device)
            for number in range(sessions_per_point):
                when = _moment(period[0], rng.randrange(days), rng)
                kwargs = demo_session(rng, [volunteer], (), datetime.now(VIETNAM))
                kwargs.update(started_at=when, ended_at=when + timedelta(minutes=12))
                if name_note and index == 0 and number == 0:
                    kwargs["note"] = f"Bà {NAME_IN_NOTE} nhờ hỏi lại con gái mật khẩu"
                saved = journal.record_session(db, **kwargs)
                if saved["record"]["note"]:
                    seeded.notes.append(saved["record"]["note"])
            for number in range(runs_per_point):
                with _clock(_moment(period[0], rng.randrange(days), rng)):
                    run = start_run(db, lesson_id="vneid-activate", lesson_version="1",
                                    language="vi", text_size="normal", total_steps=8)
                    if number % 3 == 0:
                        request_help(db, lesson_run_id=run["id"], lesson_id="vneid-activate",
                                     step=3)
                    if number % 2 == 0:
                        update_run(db, run["id"], furthest_step=8, completed=1, rating="good")
            send_outbox(engine, db)
        finally:
            db.conn.close()
    return seeded


def send_outbox(engine, db) -> None:
    """Deliver everything in ``db``'s outbox to the hub as one batch, through ``ingest_batch``."""
    rows = [{"seq": seq, "record_type": kind, "record": json.loads(payload)}
            for seq, kind, payload in db.execute(
                "SELECT seq, record_type, payload FROM outbox ORDER BY seq").fetchall()]
    if rows:
        ingest_batch(engine, device_id(db), rows,
                     kiosk_sent_at=datetime.now(timezone.utc).isoformat(),
                     last_seq=rows[-1]["seq"])


def _moment(first: date, offset: int, rng: random.Random) -> datetime:
    day = first + timedelta(days=offset)
    return datetime.combine(day, time(8), VIETNAM) + timedelta(minutes=rng.randrange(9 * 60))


@contextlib.contextmanager
def _clock(moment: datetime):
    """Lesson runs take their times from the kiosk's clock: set it to ``moment``."""
    stamp = moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")
    with mock.patch("kiosk.core.lesson_runs.now_iso", return_value=stamp):
        yield
