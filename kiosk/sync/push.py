"""One sync round: send the unsent outbox to the hub in bounded batches, then pull lessons.

A row is marked sent only when the hub's signed acknowledgement for exactly the batch that held
it has arrived (DESIGN.md invariant 2); a row the hub refused is set aside with its reason and
never blocks the others (lesson 7). Every round records when it was attempted, when one last
succeeded and the last error in plain words (lesson 6), for the admin screen and ``kiosk status``.

Database steps go through ``run_db`` (default: call directly) so the Qt application can run them
on its single database writer while the network work stays on its network worker.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kiosk.core.db import device_id, get_setting, now_iso, set_setting
from kiosk.sync.client import HubClient, HubRefused, NotConnected
from kiosk.sync.outbox import unsent_count

if TYPE_CHECKING:
    import sqlite_utils

BATCH_ROWS = 2000
BATCH_BYTES = 4 * 1024 * 1024
RunDb = Callable[[Callable[[], object]], object]


@dataclass(frozen=True)
class SyncResult:
    """What one round did and where the kiosk stands after it."""

    ok: bool                 # the round ran to its end without a network or hub error
    sent: int                # rows the hub acknowledged in this round
    set_aside: int           # rows the hub refused in this round
    unsent: int              # rows not yet acknowledged, set-aside rows included
    set_aside_total: int     # rows waiting for an admin, all rounds
    attempted_at: str
    last_ok_at: str | None
    last_error: str | None   # plain words; None when this round succeeded
    error_kind: str | None = None  # NotConnected.KINDS, "not_enrolled" or "refused"
    lessons: dict | None = None  # LessonUpdate.as_json() when lessons were checked

    def as_json(self) -> dict:
        return asdict(self)


def sync_round(db: sqlite_utils.Database, client: HubClient, *, run_db: RunDb | None = None,
               data_dir: Path | None = None, batch_rows: int = BATCH_ROWS,
               max_batches: int | None = None) -> SyncResult:
    """Push every unsent row (at most ``max_batches`` batches), then, when ``data_dir`` is given
    and the push went through, install a newer lesson pack. Never raises for network or hub
    trouble: that is the result's ``last_error``. Blocks on the network: never on the UI thread.
    """
    run = run_db or (lambda step: step())
    attempted = now_iso()
    run(lambda: _set(db, {"sync.last_attempt_at": attempted}))
    sent = refused = 0
    lessons, error, kind = None, None, None
    try:
        sent, refused = _push(db, client, run, batch_rows, max_batches)
        if data_dir is not None:
            from kiosk.sync.lesson_update import update_lessons

            lessons = update_lessons(db, data_dir, client, run_db=run).as_json()
    except NotConnected as problem:
        error, kind = str(problem), problem.kind
    except HubRefused as refusal:
        error = _refusal_words(refusal)
        kind = "not_enrolled" if refusal.status == 401 else "refused"
    result = run(lambda: _finish(db, attempted, sent, refused, error, lessons))
    return replace(result, error_kind=kind)


def _push(db, client: HubClient, run: RunDb, batch_rows: int, max_batches) -> tuple[int, int]:
    """Send batches one at a time; while the hub stores one, read the next and mark the one
    before it sent, so the kiosk's own work stays off the critical path. A batch is marked only
    after its own acknowledgement arrived."""
    counts = {"sent": 0, "refused": 0}
    device = run(lambda: device_id(db))
    acknowledged = None  # (ack, batch) waiting to be marked
    with ThreadPoolExecutor(1, thread_name_prefix="kiosk-push") as sender:
        batch, batches = run(lambda: _next_batch(db, 0, batch_rows)), 0
        try:
            while batch is not None and (max_batches is None or batches < max_batches):
                reply = sender.submit(client.push_batch, batch[0])
                following = run(lambda: _next_batch(db, batch[2], batch_rows))
                if acknowledged:
                    _record_ack(db, run, device, *acknowledged, counts)
                    acknowledged = None
                acknowledged, batch = (reply.result(), batch), following
                batches += 1
        finally:
            if acknowledged:
                _record_ack(db, run, device, *acknowledged, counts)
    return counts["sent"], counts["refused"]


def _record_ack(db, run: RunDb, device: str, ack: dict, batch, counts: dict) -> None:
    _, first, last, seqs = batch
    reasons = _checked_ack(ack, device, first, last, seqs)
    run(lambda: _mark(db, first, last, reasons))
    counts["sent"] += len(seqs) - len(reasons)
    counts["refused"] += len(reasons)


def _next_batch(db, after: int, batch_rows: int):
    """The next batch's JSON body and range, or ``None`` when nothing is left to send."""
    rows = db.execute("SELECT seq, record_type, payload FROM outbox WHERE sent_at IS NULL "
                      "AND set_aside_reason IS NULL AND seq > ? ORDER BY seq LIMIT ?",
                      [after, batch_rows]).fetchall()
    if not rows:
        return None
    size, keep = 0, 0
    for _, _, payload in rows:  # the byte cap never empties a batch: one row always goes
        size += len(payload)
        if keep and size > BATCH_BYTES:
            break
        keep += 1
    rows = rows[:keep]
    first, last = rows[0][0], rows[-1][0]
    # payloads are already compact JSON (outbox.append): the body is put together as text
    lines = ",".join(f'{{"seq":{seq},"record_type":{json.dumps(kind)},"record":{payload}}}'
                     for seq, kind, payload in rows)
    newest = db.execute("SELECT max(seq) FROM outbox").fetchone()[0]  # for the hub's view
    head = json.dumps({"device_id": device_id(db), "first_seq": first, "last_seq": last,
                       "sent_at": now_iso(), "outbox_last_seq": newest})[:-1]
    body = f'{head},"records":[{lines}]}}'.encode("utf-8")
    return body, first, last, [seq for seq, _, _ in rows]


def _checked_ack(ack: dict, device: str, first: int, last: int, seqs: list[int]) -> dict:
    """The refused rows' reasons, once the acknowledgement is shown to be for this batch."""
    if (ack.get("device_id"), ack.get("first_seq"), ack.get("last_seq"),
            ack.get("acknowledged_through")) != (device, first, last, last):
        raise NotConnected("the hub acknowledged a different batch; will send again")
    known = set(seqs)
    reasons = {}
    for item in ack.get("refused") or ():
        if isinstance(item, dict) and item.get("seq") in known:
            reasons[item["seq"]] = str(item.get("reason") or "refused by the hub")[:500]
    return reasons


def _mark(db, first: int, last: int, reasons: dict[int, str]) -> None:
    """In one transaction: set refused rows aside, mark the rest of the batch sent."""
    now = now_iso()
    with db.atomic():
        for seq, reason in reasons.items():
            db.execute("UPDATE outbox SET set_aside_reason = ? WHERE seq = ? AND sent_at IS NULL",
                       [reason, seq])
        db.execute("UPDATE outbox SET sent_at = ? WHERE seq BETWEEN ? AND ? AND sent_at IS NULL "
                   "AND set_aside_reason IS NULL", [now, first, last])


def _finish(db, attempted: str, sent: int, refused: int, error: str | None,
            lessons: dict | None) -> SyncResult:
    changes = {"sync.last_error": error or ""}
    if error is None:
        changes["last_sync_ok_at"] = now_iso()
    _set(db, changes)
    return SyncResult(ok=error is None, sent=sent, set_aside=refused, unsent=unsent_count(db),
                      set_aside_total=set_aside_count(db), attempted_at=attempted,
                      last_ok_at=get_setting(db, "last_sync_ok_at"), last_error=error,
                      lessons=lessons)


def _set(db, values: dict) -> None:
    with db.atomic():
        for key, value in values.items():
            set_setting(db, key, value)


def _refusal_words(refusal: HubRefused) -> str:
    if refusal.status == 401:
        return "the hub no longer knows this kiosk: enroll it again"
    return f"the hub refused: {refusal.message}"


def sync_state(db: sqlite_utils.Database) -> dict:
    """For the indicator and admin screen: ``{"unsent", "set_aside", "last_ok_at",
    "last_attempt_at", "last_error"}`` (``last_error`` is ``None`` after a success). Read-only."""
    return {"unsent": unsent_count(db), "set_aside": set_aside_count(db),
            "last_ok_at": get_setting(db, "last_sync_ok_at"),
            "last_attempt_at": get_setting(db, "sync.last_attempt_at"),
            "last_error": get_setting(db, "sync.last_error") or None}


def set_aside_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL "
                      "AND set_aside_reason IS NOT NULL").fetchone()[0]


def set_aside_rows(db: sqlite_utils.Database, limit: int = 200) -> list[dict]:
    """Rows the hub refused, oldest first: ``seq``, ``record_type``, ``record_id``,
    ``revision``, ``reason``. Read-only."""
    rows = db.execute("SELECT seq, record_type, record_id, revision, set_aside_reason FROM outbox "
                      "WHERE sent_at IS NULL AND set_aside_reason IS NOT NULL ORDER BY seq "
                      "LIMIT ?", [limit]).fetchall()
    return [dict(zip(("seq", "record_type", "record_id", "revision", "reason"), row))
            for row in rows]


def retry_set_aside(db: sqlite_utils.Database, seqs: list[int] | None = None) -> int:
    """Put set-aside rows (all, or ``seqs``) back in the queue; returns how many."""
    with db.atomic():
        where = "sent_at IS NULL AND set_aside_reason IS NOT NULL"
        if seqs is not None:
            where += f" AND seq IN ({','.join('?' * len(seqs))})" if seqs else " AND 0"
        return db.execute(f"UPDATE outbox SET set_aside_reason = NULL WHERE {where}",
                          list(seqs or ())).rowcount
