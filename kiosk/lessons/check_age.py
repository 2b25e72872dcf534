"""How long ago each lesson was checked against its sources, for staff (never residents).

A lesson not checked for ``STALE_AFTER_DAYS`` is flagged so that a ward officer re-checks it
(``docs/checking-lessons.md``). The kiosk's admin screen and the hub's dashboard both use this.
"""

from dataclasses import dataclass
from datetime import date

from kiosk.lessons.model import Lesson, Text

STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class CheckAge:
    lesson_id: str
    title: Text
    checked_on: date | None
    days: int | None  # None: the lesson names no date (an upgraded format 1 lesson)

    @property
    def stale(self) -> bool:
        """True when the lesson should be re-checked: never checked, or 180 days or more ago."""
        return self.days is None or self.days >= STALE_AFTER_DAYS


def check_ages(lessons: list[Lesson], today: date | None = None) -> list[CheckAge]:
    """One entry per lesson, the longest unchecked first (never-checked before all others)."""
    today = today or date.today()
    ages = [CheckAge(lesson.id, lesson.title, lesson.checked_on, lesson.days_since_checked(today))
            for lesson in lessons]
    return sorted(ages, key=lambda age: (age.days is not None, -(age.days or 0), age.lesson_id))


def check_age_from_document(lesson_id: str, title: Text, checked_on: str | None,
                            today: date | None = None) -> CheckAge:
    """A ``CheckAge`` from raw fields (the hub reads them from a pack's lesson files)."""
    try:
        day = date.fromisoformat(checked_on) if checked_on else None
    except (TypeError, ValueError):
        day = None
    days = ((today or date.today()) - day).days if day else None
    return CheckAge(lesson_id, title, day, days)
