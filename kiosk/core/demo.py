"""``kiosk demo``: realistic assistance sessions for trying out screens, reports and exports.

The mix (mostly older residents, VNeID first, one in eight problems not solved, the odd phone
number typed into a note) follows what help points report, so the figures look like a real week.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Iterator, Sequence

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core import accounts, journal

DEMO_VOLUNTEER = "Tình nguyện viên mẫu"
_AGE_WEIGHTS = {"<18": 2, "18-39": 10, "40-59": 25, "60-74": 40, "75+": 23}
_SERVICE_WEIGHTS = {"vneid": 35, "dichvucong": 15, "vssid": 15, "etax": 8, "ihanoi": 12,
                    "safety": 8, "other": 7}
_LIKELY_OUTCOMES = {
    "vneid": ("installed", "account_activated", "logged_in", "document_added", "referred"),
    "dichvucong": ("logged_in", "lookup_done", "dossier_submitted", "payment_done"),
    "vssid": ("installed", "logged_in", "lookup_done"),
    "etax": ("installed", "logged_in", "lookup_done", "payment_done"),
    "ihanoi": ("installed", "account_activated", "dossier_submitted"),
    "safety": ("lookup_done", "referred"),
    "other": ("installed", "lookup_done", "referred"),
}
_REASON_WEIGHTS = {"otp_not_received": 35, "phone_not_own_name": 25, "no_smartphone": 15,
                   "service_down": 15, "other": 10}
_NOTES = ("Hẹn quay lại tuần sau để kích hoạt mức 2.", "Cần công an phường xác thực mức 2.",
          "Bác quên mật khẩu, đã đặt lại.", "Con gái sẽ giúp bác nạp tiền, SĐT {phone}.",
          "Bác nhờ ghi lại số CCCD {id} để tra cứu.", "Gửi hướng dẫn qua email {email}.",
          "Điện thoại hết dung lượng, đã xoá bớt ảnh.")


def demo_volunteers(db: sqlite_utils.Database) -> list[str]:
    """Ids of the active volunteers; makes one (with a random PIN nobody is told) if none."""
    found = [a["id"] for a in accounts.list_accounts(db, active_only=True, role="volunteer")]
    if found:
        return found
    pin = f"{secrets.randbelow(10**6):06d}"
    return [accounts.create_account(db, name=DEMO_VOLUNTEER, role="volunteer", pin=pin)["id"]]


def record_demo_sessions(db: sqlite_utils.Database, count: int, *, seed: int | None = None,
                         neighbourhoods: Sequence[str] = (),
                         now: datetime | None = None) -> Iterator[str]:
    """Record ``count`` sessions, each in its own transaction, yielding each id after its commit.

    Sessions fall in opening hours over the seven days before ``now``. The same ``seed`` gives the
    same sessions (ids and write times aside).
    """
    rng = random.Random(seed)
    volunteers = demo_volunteers(db)
    now = now or datetime.now().astimezone()
    for _ in range(count):
        saved = journal.record_session(db, **demo_session(rng, volunteers, neighbourhoods, now))
        yield saved["record"]["id"]


def demo_session(rng: random.Random, volunteers: Sequence[str], neighbourhoods: Sequence[str],
                 now: datetime) -> dict:
    """Keyword arguments for one realistic ``journal.record_session`` call."""
    day = (now - timedelta(days=rng.randrange(7))).replace(hour=8, minute=0, second=0,
                                                          microsecond=0)
    started = day + timedelta(seconds=rng.randrange(9 * 3600))
    return {
        "volunteer_id": rng.choice(volunteers),
        "age_band": _weighted(rng, _AGE_WEIGHTS),
        "gender": rng.choices(("female", "male", "other", None), (55, 40, 1, 4))[0],
        "disability": rng.choices((None, "none", "vision", "hearing", "mobility", "other"),
                                  (70, 24, 2, 2, 1, 1))[0],
        "neighbourhood": rng.choice(neighbourhoods) if neighbourhoods else None,
        "services": _services(rng),
        "satisfaction": rng.choices(("good", "ok", "bad", None), (75, 15, 3, 7))[0],
        "note": _note(rng) if rng.random() < 0.15 else None,
        "started_at": started,
        "ended_at": started + timedelta(seconds=round(rng.triangular(120, 1500, 420))),
    }


def _services(rng: random.Random) -> list[dict]:
    how_many = rng.choices((1, 2, 3), (75, 20, 5))[0]
    chosen: list[str] = []
    while len(chosen) < how_many:
        service = _weighted(rng, _SERVICE_WEIGHTS)
        if service not in chosen:
            chosen.append(service)
    return [_service(rng, service) for service in chosen]


def _service(rng: random.Random, service: str) -> dict:
    likely = _LIKELY_OUTCOMES[service]
    outcomes = rng.sample(likely, rng.choice((1, 1, 2)))
    if rng.random() >= 0.12:
        return {"service": service, "outcomes": outcomes, "unsolved_reason": None}
    partial = outcomes[:1] if rng.random() < 0.4 else []
    return {"service": service, "outcomes": partial + ["not_solved"],
            "unsolved_reason": _weighted(rng, _REASON_WEIGHTS)}


def _note(rng: random.Random) -> str:
    phone = f"09{rng.randrange(10)} {rng.randrange(1000):03d} {rng.randrange(10000):04d}"
    citizen_id = f"001{rng.randrange(10**9):09d}"
    return rng.choice(_NOTES).format(phone=phone, id=citizen_id, email="con.gai@example.vn")


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(tuple(weights), tuple(weights.values()))[0]
