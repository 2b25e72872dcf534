"""Local counts against a small data set counted by hand (docs/reports.md)."""

from datetime import datetime, timedelta, timezone

import pytest

from kiosk.core import accounts, journal, lesson_runs, reports
from kiosk.core.status import kiosk_status

HANOI = timezone(timedelta(hours=7))
NOW = datetime(2025, 3, 12, 15, 0, tzinfo=HANOI)  # a Wednesday


def at(day, hour, minute=0):
    return datetime(2025, 3, day, hour, minute, tzinfo=HANOI)


def svc(service, *outcomes, reason=None):
    return {"service": service, "outcomes": list(outcomes), "unsolved_reason": reason}


@pytest.fixture
def journal_db(db):
    volunteer = accounts.create_account(db, name="Lan", role="volunteer", pin="2468")["id"]
    sessions = [  # (start, age band, services, satisfaction)
        (at(12, 9), "60-74", [svc("vneid", "installed", "not_solved",
                                  reason="otp_not_received")], "good"),
        (at(12, 10), "75+", [svc("vneid", "account_activated"), svc("etax", "payment_done")],
         "ok"),
        (at(12, 23, 30), "60-74", [svc("dichvucong", "not_solved", reason="service_down")], None),
        (at(12, 0, 30), "<18", [svc("safety", "referred")], "good"),      # 17:30 UTC the day before
        (at(10, 10), "40-59", [svc("vssid", "lookup_done")], "good"),     # Monday, this week
        (at(9, 23), "18-39", [svc("ihanoi", "installed")], "bad"),        # Sunday, last week
    ]
    ids = []
    for start, age, services, satisfaction in sessions:
        saved = journal.record_session(db, volunteer_id=volunteer, age_band=age, services=services,
                                       satisfaction=satisfaction, started_at=start,
                                       ended_at=start + timedelta(minutes=6))
        ids.append(saved["record"]["id"])
    # an edit is a new revision of the same person, never a second person
    journal.revise_session(db, ids[1], satisfaction="ok", note="đã sửa")
    return db


def test_today_counts_people_services_apps_outcomes_and_satisfaction(journal_db):
    counts = reports.local_counts(journal_db, reports.today(NOW))
    assert counts["sessions"] == counts["people_helped"] == 4
    assert counts["services"] == 5
    assert counts["services_by_app"] == {"vneid": 2, "dichvucong": 1, "vssid": 0, "etax": 1,
                                         "ihanoi": 0, "safety": 1, "bank": 0, "hocvuso": 0,
                                         "other": 0}
    assert counts["by_app"]["vneid"] == {
        "services": 2, "installed": 1, "account_activated": 1, "logged_in": 0,
        "document_added": 0, "lookup_done": 0, "dossier_submitted": 0, "payment_done": 0,
        "referred": 0, "not_solved": 1}
    assert counts["by_app"]["etax"]["payment_done"] == 1
    assert counts["referrals"] == 1 and counts["not_solved"] == 2
    assert counts["by_outcome"] == {
        "installed": 1, "account_activated": 1, "logged_in": 0, "document_added": 0,
        "lookup_done": 0, "dossier_submitted": 0, "payment_done": 1, "referred": 1,
        "not_solved": 2}
    assert counts["unsolved_by_reason"] == {"no_smartphone": 0, "phone_not_own_name": 0,
                                            "otp_not_received": 1, "service_down": 1, "other": 0}
    assert counts["satisfaction"] == {"good": 2, "ok": 1, "bad": 0, "unrated": 1}
    assert counts["rated"] == 3
    assert counts["satisfaction_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert counts["by_age_band"] == {"<18": 1, "18-39": 0, "40-59": 0, "60-74": 2, "75+": 1}
    assert counts["elderly_helped"] == 3
    assert counts["by_gender"] == {"female": 0, "male": 0, "other": 0, "unknown": 4}


def test_this_week_runs_monday_to_sunday_in_local_time(journal_db):
    week = reports.this_week(NOW)
    assert (week.start, week.end) == (at(10, 0), at(17, 0))
    counts = reports.local_counts(journal_db, week)
    assert (counts["sessions"], counts["services"]) == (5, 6)
    assert counts["services_by_app"]["vssid"] == 1 and counts["services_by_app"]["ihanoi"] == 0
    assert counts["satisfaction_rate"] == 0.75


def test_all_time_and_an_empty_period(journal_db):
    assert reports.local_counts(journal_db)["sessions"] == 6
    empty = reports.local_counts(journal_db, reports.Period(at(1, 0), at(2, 0)))
    assert empty["sessions"] == empty["services"] == 0
    assert empty["satisfaction_rate"] is None
    assert set(empty["services_by_app"].values()) == {0}
    assert empty["by_app"]["vneid"] == dict.fromkeys(empty["by_app"]["vneid"], 0)


def test_lesson_runs_completions_and_help_requests(db):
    run = lesson_runs.start_run(db, lesson_id="vneid-activate", lesson_version="1.0",
                                language="vi", text_size="normal", total_steps=4)
    lesson_runs.update_run(db, run["id"], furthest_step=4, completed=1)
    lesson_runs.start_run(db, lesson_id="etax-pay", lesson_version="1.0", language="vi",
                          text_size="normal", total_steps=6)
    lesson_runs.request_help(db, lesson_run_id=None, lesson_id="etax-pay", step=3)
    counts = reports.local_counts(db, reports.today())
    assert (counts["lesson_runs"], counts["lesson_completions"]) == (2, 1)
    assert (counts["help_requests"], counts["help_requests_open"]) == (1, 1)
    assert reports.local_counts(db, reports.Period(end=at(1, 0)))["lesson_runs"] == 0


def test_kiosk_status_reports_sessions_from_the_same_layer(journal_db, data_dir):
    status = kiosk_status(journal_db, data_dir, data_dir / "kiosk.db")
    assert status["sessions"] == reports.session_count(journal_db) == 6


def test_a_naive_period_is_refused(db):
    with pytest.raises(ValueError):
        reports.local_counts(db, reports.Period(datetime(2025, 3, 12), None))


def test_the_ward_reports_days_count_the_same_sessions_here(journal_db):
    from datetime import date

    from kiosk.reporting.figures import day_bounds

    days = reports.Period(*day_bounds(date(2025, 3, 12), date(2025, 3, 12)))
    assert (days.start, days.end) == (at(12, 0), at(13, 0))
    assert reports.local_counts(journal_db, days)["sessions"] == 4
