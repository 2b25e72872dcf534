"""The assistance journal: sessions, revisions, their outbox entries, help requests taken."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from kiosk.core import accounts, journal, lesson_runs
from kiosk.core.integrity import check_database
from kiosk.locale import catalogue
from kiosk.sync.outbox import unsent_count

STARTED = datetime(2025, 3, 12, 9, 0, tzinfo=timezone(timedelta(hours=7)))
VNEID_OTP = {"service": "vneid", "outcomes": ["installed", "not_solved"],
             "unsolved_reason": "otp_not_received"}


@pytest.fixture
def volunteer(db):
    return accounts.create_account(db, name="Lan", role="volunteer", pin="2468")["id"]


def record(db, volunteer, **overrides):
    fields = {"volunteer_id": volunteer, "age_band": "60-74", "services": [VNEID_OTP],
              "started_at": STARTED, "ended_at": STARTED + timedelta(minutes=7, seconds=30)}
    return journal.record_session(db, **{**fields, **overrides})


def outbox_rows(db):
    return [(kind, record_id, revision, json.loads(payload)) for kind, record_id, revision, payload
            in db.execute("SELECT record_type, record_id, revision, payload FROM outbox "
                          "ORDER BY seq")]


def test_a_session_is_stored_with_its_outbox_entry(db, volunteer):
    saved = record(db, volunteer, gender="female", satisfaction="good")
    session = saved["record"]
    assert session["revision"] == 1 and session["duration_s"] == 450
    assert session["started_at"] == "2025-03-12T02:00:00.000+00:00"
    assert journal.get_session(db, session["id"]) == session
    [(kind, record_id, revision, payload)] = outbox_rows(db)
    assert (kind, record_id, revision) == ("assistance_session", session["id"], 1)
    assert payload == session
    assert check_database(db) == []


def test_a_revision_is_the_same_record_with_the_next_number_and_its_own_outbox_row(db, volunteer):
    session = record(db, volunteer)["record"]
    revised = journal.revise_session(db, session["id"], satisfaction="ok",
                                     services=[{"service": "etax", "outcomes": ["payment_done"]}])
    assert revised["record"]["revision"] == 2
    assert db.execute("SELECT count(*) FROM assistance_sessions").fetchone()[0] == 1
    rows = outbox_rows(db)
    assert [(r[1], r[2]) for r in rows] == [(session["id"], 1), (session["id"], 2)]
    assert rows[1][3]["services"] == [{"service": "etax", "outcomes": ["payment_done"],
                                       "unsolved_reason": None}]
    assert rows[1][3]["satisfaction"] == "ok"
    assert check_database(db) == []


def test_a_revision_that_changes_nothing_writes_nothing(db, volunteer):
    session = record(db, volunteer, note="gọi 0912 345 678")["record"]
    again = journal.revise_session(db, session["id"], note=session["note"], age_band="60-74")
    assert again["record"]["revision"] == 1
    assert unsent_count(db) == 1


@pytest.mark.parametrize("overrides", [
    {"age_band": "60-75"},
    {"gender": "f"},
    {"satisfaction": "excellent"},
    {"disability": "yes"},
    {"services": []},
    {"services": [{"service": "zalo", "outcomes": ["installed"]}]},
    {"services": [{"service": "vneid", "outcomes": []}]},
    {"services": [{"service": "vneid", "outcomes": ["hacked"]}]},
    {"services": [{"service": "vneid", "outcomes": ["not_solved"]}]},
    {"services": [{"service": "vneid", "outcomes": ["installed"],
                   "unsolved_reason": "service_down"}]},
    {"services": [{"service": "vneid", "outcomes": ["not_solved"],
                   "unsolved_reason": "bad luck"}]},
    {"services": [VNEID_OTP, VNEID_OTP]},
    {"services": [{**VNEID_OTP, "phone": "0912345678"}]},
    {"neighbourhood": "Tổ 0912 345 678"},
    {"note": "x" * 1001},
    {"ended_at": STARTED - timedelta(minutes=1)},
    {"started_at": datetime(2025, 3, 12, 9, 0)},  # no UTC offset
])
def test_bad_values_are_refused_and_nothing_is_written(db, volunteer, overrides):
    with pytest.raises(ValueError):
        record(db, volunteer, **overrides)
    assert unsent_count(db) == 0
    assert db.execute("SELECT count(*) FROM assistance_sessions").fetchone()[0] == 0


def test_an_inactive_or_unknown_volunteer_cannot_record(db, volunteer, with_admin):
    accounts.set_active(db, volunteer, active=False)
    with pytest.raises(ValueError):
        record(db, volunteer)
    with pytest.raises(ValueError):
        record(db, "no-such-account")
    assert unsent_count(db) == 0


def test_a_bad_revision_is_refused_and_the_record_is_unchanged(db, volunteer):
    session = record(db, volunteer)["record"]
    with pytest.raises(ValueError):
        journal.revise_session(db, session["id"], started_at="2025-01-01T00:00:00+00:00")
    with pytest.raises(ValueError):
        journal.revise_session(db, session["id"], age_band="old")
    with pytest.raises(KeyError):
        journal.revise_session(db, "no-such-session", age_band="75+")
    assert journal.get_session(db, session["id"]) == session


def test_the_note_is_scrubbed_before_it_is_stored_and_the_volunteer_sees_what(db, volunteer):
    saved = record(db, volunteer, note="Con gái 0912.345.678, CCCD 001 234 567 890, tổ 5")
    assert saved["record"]["note"] == "Con gái [số điện thoại], CCCD [số định danh], tổ 5"
    assert [m.kind for m in saved["masked"]] == ["phone", "id_number"]
    stored = db.execute("SELECT note FROM assistance_sessions").fetchone()[0]
    payload = db.execute("SELECT payload FROM outbox").fetchone()[0]
    for text in (stored, payload):
        assert "0912" not in text and "567" not in text
    revised = journal.revise_session(db, saved["record"]["id"], note="mail lan@example.vn")
    assert revised["record"]["note"] == "mail [email]"
    assert "example.vn" not in db.execute("SELECT group_concat(payload) FROM outbox").fetchone()[0]


def test_services_and_outcomes_are_stored_in_the_constants_order(db, volunteer):
    saved = record(db, volunteer, services=[
        {"service": "other", "outcomes": ["referred"]},
        {"service": "vneid", "outcomes": ["document_added", "installed", "installed"]}])
    assert saved["record"]["services"] == [
        {"service": "vneid", "outcomes": ["installed", "document_added"], "unsolved_reason": None},
        {"service": "other", "outcomes": ["referred"], "unsolved_reason": None}]


def test_sessions_between_lists_the_day_newest_first(db, volunteer):
    first = record(db, volunteer)["record"]
    second = record(db, volunteer, started_at=STARTED + timedelta(hours=2),
                     ended_at=STARTED + timedelta(hours=2, minutes=5))["record"]
    record(db, volunteer, started_at=STARTED + timedelta(days=1),
           ended_at=STARTED + timedelta(days=1, minutes=5))
    day = STARTED.replace(hour=0)
    listed = journal.sessions_between(db, day, day + timedelta(days=1))
    assert [s["id"] for s in listed] == [second["id"], first["id"]]


def test_taking_a_help_request_is_a_new_revision_in_the_outbox(db, volunteer):
    request = lesson_runs.request_help(db, lesson_run_id=None, lesson_id="vneid-activate", step=2)
    taken = journal.take_help_request(db, request["id"], volunteer_id=volunteer)
    assert (taken["status"], taken["taken_by"], taken["revision"]) == ("taken", volunteer, 2)
    assert lesson_runs.open_help_requests(db) == []
    rows = outbox_rows(db)
    assert [(r[0], r[2]) for r in rows] == [("help_request", 1), ("help_request", 2)]
    assert rows[-1][3]["taken_by"] == volunteer
    again = journal.take_help_request(db, request["id"], volunteer_id=volunteer)
    assert again["revision"] == 2 and unsent_count(db) == 2
    assert check_database(db) == []
    with pytest.raises(KeyError):
        journal.take_help_request(db, "no-such-request", volunteer_id=volunteer)


def test_check_finds_a_session_revision_without_its_outbox_row(db, volunteer):
    session = record(db, volunteer)["record"]
    journal.revise_session(db, session["id"], satisfaction="bad")
    db.execute("DELETE FROM outbox WHERE revision = 2")
    assert any("assistance_sessions revisions have no outbox entry" in p
               for p in check_database(db))


def test_every_constant_has_a_label_in_both_languages():
    texts = catalogue()
    for field, values in (("age_band", journal.AGE_BANDS), ("gender", journal.GENDERS),
                          ("disability", journal.DISABILITIES), ("service", journal.SERVICES),
                          ("outcome", journal.OUTCOMES),
                          ("unsolved_reason", journal.UNSOLVED_REASONS),
                          ("satisfaction", journal.SATISFACTION)):
        for value in values:
            entry = texts[journal.label_key(field, value)]
            assert entry["vi"] and entry["en"]


def test_services_are_the_lesson_apps_and_other():
    from kiosk.lessons import BUNDLED_DIR

    apps = json.loads((BUNDLED_DIR / "apps.json").read_text(encoding="utf-8"))["apps"]
    assert journal.SERVICES == (*[app["id"] for app in apps], "other")
