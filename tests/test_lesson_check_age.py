"""Check age: how long ago each lesson was checked, and which ones are due (180 days)."""

from dataclasses import replace
from datetime import date, timedelta

from kiosk.lessons.check_age import STALE_AFTER_DAYS, check_age_from_document, check_ages
from kiosk.lessons.library import load_library

TODAY = date(2027, 6, 1)


def test_ages_are_counted_from_checked_on_and_the_oldest_comes_first():
    lessons = load_library().lessons[:3]
    dated = [replace(lessons[0], checked_on=TODAY - timedelta(days=10)),
             replace(lessons[1], checked_on=TODAY - timedelta(days=STALE_AFTER_DAYS)),
             replace(lessons[2], checked_on=None)]
    ages = check_ages(dated, today=TODAY)
    assert [(a.lesson_id, a.days, a.stale) for a in ages] == [
        (lessons[2].id, None, True),
        (lessons[1].id, STALE_AFTER_DAYS, True),
        (lessons[0].id, 10, False)]


def test_179_days_is_not_yet_due():
    lesson = replace(load_library().lessons[0], checked_on=TODAY - timedelta(days=179))
    assert not check_ages([lesson], today=TODAY)[0].stale


def test_raw_fields_with_a_bad_date_count_as_never_checked():
    assert check_age_from_document("x", {"vi": "x", "en": "x"}, "26/11/2026", TODAY).stale
    age = check_age_from_document("x", {"vi": "x", "en": "x"}, "2027-05-01", TODAY)
    assert (age.days, age.stale) == (31, False)


def test_every_bundled_lesson_has_a_check_date():
    assert all(age.days is not None for age in check_ages(load_library().lessons))
