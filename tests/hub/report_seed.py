"""A known data set for the ward report, seeded through the real ingest paths, and its figures
counted by hand (tests/hub/test_reports.py, tests/hub/test_report_export.py).

Three help points, three ways in:
* kiosk A at "Nhà văn hóa tổ 5": a real kiosk database, synced over HTTP to a live hub; one session
  corrected after it was sent (revision 2 replaces 1), everything sent twice, and revision 1 of the
  corrected session sent again late;
* kiosk B at "Nhà văn hóa tổ 9": a real kiosk database, carried on a USB bundle imported twice;
* device C at "Điểm lưu động": records made by hand and sent with ``ingest_batch``, revision 2
  arriving before revision 1, and carrying a note, a volunteer id and a neighbourhood that must
  never leave the hub.
Days cross month ends in Vietnam time: 00:30 on 1 April in Hà Nội is still 31 March in UTC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest

from kiosk.core import accounts, journal, lesson_runs
from kiosk.core.db import device_id
from kiosk.hub.devices import make_code, redeem_code
from kiosk.hub.imports import import_bundles
from kiosk.hub.ingest import ingest_batch
from kiosk.core.ids import uuid7
from kiosk.core.journal import stored_time
from kiosk.sync.bundle import write_bundle
from kiosk.sync.enroll import client_for, enroll
from kiosk.sync.push import sync_round
from tests.hub.conftest import enrolled_offline

HANOI = timezone(timedelta(hours=7))
P5, P9, PM = "Nhà văn hóa tổ 5", "Nhà văn hóa tổ 9", "Điểm lưu động"
MARCH = (date(2025, 3, 1), date(2025, 3, 31))
APRIL = (date(2025, 4, 1), date(2025, 4, 30))
SECRETS = ("Bà Lan nhà số 5", "vol-secret-7", "Ngõ Văn Chương")  # never in any report


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=HANOI)


def svc(service: str, *outcomes: str, reason: str | None = None) -> dict:
    return {"service": service, "outcomes": list(outcomes), "unsolved_reason": reason}


@dataclass
class Seeded:
    engine: object
    kiosk_a: object  # kiosk A's database, still open
    devices: dict    # point -> device id


class Clock:
    """The kiosk's clock for lesson runs and help requests (their times come from ``now_iso``)."""

    def __init__(self, monkeypatch):
        self.now = at(3, 1, 8)
        for module in ("kiosk.core.lesson_runs", "kiosk.core.journal"):
            monkeypatch.setattr(f"{module}.now_iso", lambda: stored_time(self.now))


@pytest.fixture
def seeded(live_hub, make_kiosk, tmp_path, monkeypatch) -> Seeded:
    clock = Clock(monkeypatch)
    kiosk_a = _seed_kiosk_a(live_hub, make_kiosk, clock)
    device_b = _seed_kiosk_b(live_hub, make_kiosk, clock, tmp_path)
    device_c = _seed_device_c(live_hub.engine)
    return Seeded(live_hub.engine, kiosk_a, {P5: device_id(kiosk_a), P9: device_b, PM: device_c})


def _session(db, volunteer, start, age, services, *, gender=None, disability=None,
             satisfaction=None, minutes=6, **extra):
    return journal.record_session(db, volunteer_id=volunteer, age_band=age, services=services,
                                  gender=gender, disability=disability,
                                  satisfaction=satisfaction, started_at=start,
                                  ended_at=start + timedelta(minutes=minutes),
                                  **extra)["record"]["id"]


def _run(db, clock, start, lesson, *, completed=False, help_step=None):
    clock.now = start
    run = lesson_runs.start_run(db, lesson_id=lesson, lesson_version="1", language="vi",
                                text_size="normal", total_steps=4)
    if help_step is not None:
        clock.now = start + timedelta(minutes=2)
        lesson_runs.request_help(db, lesson_run_id=run["id"], lesson_id=lesson, step=help_step)
    if completed:
        clock.now = start + timedelta(minutes=5)
        lesson_runs.update_run(db, run["id"], furthest_step=4, completed=1, rating="good")
    return run["id"]


def _seed_kiosk_a(hub, make_kiosk, clock):
    db, _ = make_kiosk("kiosk-a")
    volunteer = accounts.create_account(db, name="Lan", role="volunteer", pin="2468")["id"]
    enroll(db, hub.url, hub.code(P5))
    _session(db, volunteer, at(3, 3, 9), "60-74", [svc("vneid", "installed",
                                                       "account_activated")],
             gender="female", disability="none", satisfaction="good", minutes=12)
    a2 = _session(db, volunteer, at(3, 3, 10), "75+",
                  [svc("vneid", "installed", "not_solved", reason="otp_not_received"),
                   svc("etax", "payment_done")], gender="male", disability="vision",
                  satisfaction="ok", note=SECRETS[0], neighbourhood=SECRETS[2])
    _session(db, volunteer, at(3, 15, 14), "40-59",
             [svc("dichvucong", "dossier_submitted", "payment_done")])
    _session(db, volunteer, at(3, 31, 23, 30), "18-39",
             [svc("dichvucong", "not_solved", reason="service_down")], gender="female",
             disability="none", satisfaction="bad")
    _session(db, volunteer, at(4, 1, 0, 30), "60-74",  # 31 March 17:30 in UTC
             [svc("vssid", "lookup_done"), svc("ihanoi", "installed", "referred")],
             gender="male", disability="hearing", satisfaction="good")
    _session(db, volunteer, at(2, 28, 23, 59), "<18", [svc("safety", "referred")],
             gender="female", disability="none", satisfaction="good")
    _run(db, clock, at(3, 5, 9), "vneid-activate", completed=True)
    _run(db, clock, at(3, 5, 10), "etax-pay", help_step=2)
    _run(db, clock, at(4, 2, 9), "vneid-activate", completed=True)
    with client_for(db) as client:
        assert sync_round(db, client).unsent == 0
        journal.revise_session(db, a2, satisfaction="good",  # the OTP came after all
                               services=[svc("vneid", "installed", "account_activated"),
                                         svc("etax", "payment_done")])
        assert sync_round(db, client).unsent == 0
        with db.atomic():  # everything delivered a second time
            db.execute("UPDATE outbox SET sent_at = NULL")
        assert sync_round(db, client).unsent == 0
    seq, payload = db.execute("SELECT seq, payload FROM outbox WHERE record_id = ? AND "
                              "revision = 1", [a2]).fetchone()
    late = ingest_batch(hub.engine, device_id(db), [
        {"seq": seq, "record_type": "assistance_session", "record": json.loads(payload)}])
    assert (late.new, late.updated, late.already_present) == (0, 0, 1)
    return db


def _seed_kiosk_b(hub, make_kiosk, clock, tmp_path) -> str:
    db, _ = make_kiosk("kiosk-b")
    # enrolled at the ward office for P9, then sends by USB only: a bundle names no help point
    enrolled_offline(db, hub.engine, hub.keys, point=P9)
    volunteer = accounts.create_account(db, name="Minh", role="volunteer", pin="1357")["id"]
    _session(db, volunteer, at(3, 10, 8), "75+",
             [svc("vneid", "logged_in", "document_added"),
              svc("vssid", "not_solved", reason="no_smartphone")],
             gender="female", disability="mobility", satisfaction="good", minutes=20)
    _session(db, volunteer, at(3, 10, 9), "60-74", [svc("other", "not_solved", reason="other")],
             gender="other", disability="none")
    _session(db, volunteer, at(3, 20, 15), "40-59", [svc("etax", "logged_in", "lookup_done")],
             gender="male", disability="none", satisfaction="good")
    _run(db, clock, at(3, 20, 15, 30), "etax-pay", completed=True)
    clock.now = at(3, 21, 9)
    request = lesson_runs.request_help(db, lesson_run_id=None, lesson_id="etax-pay", step=3)
    clock.now = at(3, 21, 9, 5)
    journal.take_help_request(db, request["id"], volunteer_id=volunteer)
    usb = tmp_path / "usb"
    usb.mkdir()
    bundle = write_bundle(db, usb, help_point=P9).path
    for _ in range(2):  # the same stick imported twice
        assert not import_bundles(hub.engine, hub.keys, [bundle])["totals"]["bundles_refused"]
    return device_id(db)


def _seed_device_c(engine) -> str:
    device = str(uuid7())
    redeem_code(engine, make_code(engine, PM)["code"], device)
    c1 = {"id": uuid7(), "device_id": device, "revision": 1, "age_band": "60-74",
          "gender": "female", "disability": "none", "satisfaction": "good",
          "services": [svc("vneid", "installed")], "duration_s": 600,
          "started_at": stored_time(at(3, 12, 10)), "volunteer_id": SECRETS[1],
          "note": SECRETS[0], "neighbourhood": SECRETS[2]}
    c1_fixed = {**c1, "revision": 2, "satisfaction": "bad",
                "services": [svc("vneid", "installed", "account_activated"),
                             svc("ihanoi", "installed")]}
    c2 = {**c1, "id": uuid7(), "age_band": "18-39", "gender": None, "disability": None,
          "satisfaction": "ok", "services": [svc("etax", "dossier_submitted", "referred")],
          "started_at": stored_time(at(3, 12, 11))}
    run = {"id": uuid7(), "device_id": device, "revision": 1, "lesson_id": "vssid-lookup",
           "completed": 0, "rating": None, "help_requested": 0,
           "started_at": stored_time(at(3, 12, 16))}
    rows = [(2, "assistance_session", c1_fixed), (3, "assistance_session", c2),
            (4, "lesson_run", run)]
    ingest_batch(engine, device, [{"seq": s, "record_type": k, "record": r} for s, k, r in rows],
                 last_seq=4, kiosk_last_seq=7)
    late = ingest_batch(engine, device, [{"seq": 1, "record_type": "assistance_session",
                                          "record": c1}], last_seq=1)
    assert (late.new, late.already_present) == (0, 1)
    return device


def app(services=0, **outcomes) -> dict:
    """One app's line of ``by_app``: zeros except those named."""
    line = {"services": services, "installed": 0, "account_activated": 0, "logged_in": 0,
            "document_added": 0, "lookup_done": 0, "dossier_submitted": 0, "payment_done": 0,
            "referred": 0, "not_solved": 0}
    return {**line, **outcomes}


# March, every help point, counted by hand from the sessions above (A5 is in April, A6 in
# February; A2 counts at its revision 2, C1 at its revision 2).
MARCH_TOTALS = {"people_helped": 9, "elderly_helped": 5, "sessions": 9, "services": 12,
                "referrals": 1, "not_solved": 3, "rated": 7, "satisfaction_rate": 0.5714,
                "lesson_runs": 4, "lesson_completions": 2, "help_requests": 2}
MARCH_BREAKDOWNS = {
    "by_age_band": {"<18": 0, "18-39": 2, "40-59": 2, "60-74": 3, "75+": 2},
    "by_gender": {"female": 4, "male": 2, "other": 1, "unknown": 2},
    "by_disability": {"none": 5, "vision": 1, "hearing": 0, "mobility": 1, "other": 0,
                      "unknown": 2},
    "satisfaction": {"good": 4, "ok": 1, "bad": 2, "unrated": 2},
    "by_app": {"vneid": app(4, installed=3, account_activated=3, logged_in=1, document_added=1),
               "dichvucong": app(2, dossier_submitted=1, payment_done=1, not_solved=1),
               "vssid": app(1, not_solved=1),
               "etax": app(3, payment_done=1, logged_in=1, lookup_done=1, dossier_submitted=1,
                           referred=1),
               "ihanoi": app(1, installed=1), "safety": app(0), "bank": app(0),
               "hocvuso": app(0), "other": app(1, not_solved=1)},
    "services_by_app": {"vneid": 4, "dichvucong": 2, "vssid": 1, "etax": 3, "ihanoi": 1,
                        "safety": 0, "bank": 0, "hocvuso": 0, "other": 1},
    "by_outcome": {"installed": 4, "account_activated": 3, "logged_in": 2, "document_added": 1,
                   "lookup_done": 1, "dossier_submitted": 2, "payment_done": 2, "referred": 1,
                   "not_solved": 3},
    "unsolved_by_reason": {"no_smartphone": 1, "phone_not_own_name": 0, "otp_not_received": 0,
                           "service_down": 1, "other": 1},
}
MARCH_BY_POINT = {
    P5: {"people_helped": 4, "elderly_helped": 2, "sessions": 4, "services": 5, "referrals": 0,
         "not_solved": 1, "rated": 3, "satisfaction_rate": 0.6667, "lesson_runs": 2,
         "lesson_completions": 1, "help_requests": 1, "devices": 1, "unsent": 0},
    P9: {"people_helped": 3, "elderly_helped": 2, "sessions": 3, "services": 4, "referrals": 0,
         "not_solved": 2, "rated": 2, "satisfaction_rate": 1.0, "lesson_runs": 1,
         "lesson_completions": 1, "help_requests": 1, "devices": 1, "unsent": 0},
    PM: {"people_helped": 2, "elderly_helped": 1, "sessions": 2, "services": 3, "referrals": 1,
         "not_solved": 0, "rated": 2, "satisfaction_rate": 0.0, "lesson_runs": 1,
         "lesson_completions": 0, "help_requests": 0, "devices": 1, "unsent": 3},
}
MARCH_ACTIVE_DAYS = {"2025-03-03": (2, 0), "2025-03-05": (0, 2), "2025-03-10": (2, 0),
                     "2025-03-12": (2, 1), "2025-03-15": (1, 0), "2025-03-20": (1, 1),
                     "2025-03-31": (1, 0)}  # day: (sessions, lesson runs)
