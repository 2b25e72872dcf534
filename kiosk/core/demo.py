"""``kiosk demo``: realistic assistance sessions and self-guided lesson runs, for trying out
screens, reports, exports and the lesson funnel.

The mix (mostly older residents, VNeID first, one in eight problems not solved, the odd phone
number typed into a note) follows what help points report, so the figures look like a real week.
Lesson runs are recorded through ``kiosk.core.lesson_runs`` as the kiosk records them (record
format 2: help presses per step, practice per step, time taken), with one harder step per lesson
where residents more often stop or ask for help.
"""

from __future__ import annotations

import json
import random
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Iterator, Sequence

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core import accounts, journal, lesson_runs
from kiosk.core.db import now_iso

DEMO_VOLUNTEER = "Tình nguyện viên mẫu"
_AGE_WEIGHTS = {"<18": 2, "18-39": 10, "40-59": 25, "60-74": 40, "75+": 23}
_SERVICE_WEIGHTS = {"vneid": 35, "dichvucong": 15, "vssid": 15, "etax": 8, "ihanoi": 12,
                    "safety": 8, "bank": 10, "hocvuso": 6, "other": 7}
_LIKELY_OUTCOMES = {
    "vneid": ("installed", "account_activated", "logged_in", "document_added", "referred"),
    "dichvucong": ("logged_in", "lookup_done", "dossier_submitted", "payment_done"),
    "vssid": ("installed", "logged_in", "lookup_done"),
    "etax": ("installed", "logged_in", "lookup_done", "payment_done"),
    "ihanoi": ("installed", "account_activated", "dossier_submitted"),
    "safety": ("lookup_done", "referred"),
    "bank": ("installed", "account_activated", "logged_in", "payment_done"),
    "hocvuso": ("account_activated", "logged_in", "lookup_done"),
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


def record_demo_lesson_runs(db: sqlite_utils.Database, count: int, *,
                            seed: int | None = None) -> Iterator[str]:
    """Record ``count`` lesson runs of the bundled lessons, yielding each id once its last
    revision is committed. Each write is its own transaction, as on a kiosk. The same ``seed``
    gives the same runs (ids and times aside)."""
    rng = random.Random(seed)
    lessons = bundled_lessons()
    for _ in range(count):
        yield _demo_run(db, rng, _weighted_lesson(rng, lessons))


def bundled_lessons() -> list[dict]:
    """``{"id", "app", "version", "steps"}`` of each bundled lesson, by id (read from the
    lesson files only: no renderer, no validation)."""
    from kiosk.lessons import BUNDLED_DIR

    found = []
    for path in sorted(BUNDLED_DIR.glob("*/lesson.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        found.append({"id": document["id"], "app": document["app"],
                      "version": str(document["version"]), "steps": len(document["steps"])})
    return found


def _weighted_lesson(rng: random.Random, lessons: list[dict]) -> dict:
    return rng.choices(lessons, [_SERVICE_WEIGHTS.get(lesson["app"], 5) for lesson in lessons])[0]


def _demo_run(db: sqlite_utils.Database, rng: random.Random, lesson: dict) -> str:
    """One resident's walk through ``lesson``: she may ask for help, practise, stop, rate."""
    hard = random.Random(lesson["id"]).randrange(1, lesson["steps"] + 1)  # same step each run
    run = lesson_runs.start_run(db, lesson_id=lesson["id"], lesson_version=lesson["version"],
                                language=rng.choices(("vi", "en"), (95, 5))[0],
                                text_size=rng.choices(("normal", "large", "larger"),
                                                      (50, 35, 15))[0],
                                total_steps=lesson["steps"])
    practice, seconds, reached = {}, 0, 0
    for step in range(1, lesson["steps"] + 1):
        reached, seconds = step, seconds + round(rng.triangular(15, 120, 35))
        if rng.random() < (0.25 if step == hard else 0.03):
            lesson_runs.request_help(db, lesson_run_id=run["id"], lesson_id=lesson["id"],
                                     step=step)
        if rng.random() < 0.3:
            practice[str(step)] = rng.choices(("first_try", "found", "shown"),
                                              (6, 3, 1) if step != hard else (3, 3, 4))[0]
        if rng.random() < (0.2 if step == hard else 0.04):
            break
    done = reached == lesson["steps"]
    lesson_runs.update_run(
        db, run["id"], furthest_step=reached, completed=int(done), ended_at=now_iso(),
        duration_s=seconds, practice_results=practice, practice_steps=len(practice),
        practice_first_try=sum(v == "first_try" for v in practice.values()),
        practice_shown=sum(v == "shown" for v in practice.values()))
    if done or rng.random() < 0.3:
        rating = rng.choices(("good", "ok", "bad", None), (70, 18, 6, 6))[0]
        if rating:
            lesson_runs.update_run(db, run["id"], rating=rating)
    return run["id"]
