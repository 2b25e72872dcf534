"""The figures of every report, defined once for the kiosk and the hub (docs/reports.md).

The kiosk's own counts (``kiosk.core.reports``) and the ward hub's report (``kiosk.hub.reports``) each
read raw tallies from their own database, then hand them to ``figures`` here, which turns them
into the named numbers both show: so "people helped", "elderly helped" or "satisfaction rate"
cannot mean one thing on the kiosk and another at the ward. The plain-words meaning of every
figure lives here too; their labels (Vietnamese and English) are in the catalogue (``report.*``).

No Qt, no SQLAlchemy: pure functions over counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterable, Mapping

from kiosk.core.journal import (AGE_BANDS, DISABILITIES, GENDERS, OUTCOMES, SATISFACTION, SERVICES,
                           UNSOLVED_REASONS, label_key)
from kiosk.locale import ui_text

VIETNAM = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")  # no daylight saving
ELDERLY_BANDS = ("60-74", "75+")
UNKNOWN = "unknown"     # a breakdown's key for "not given"
UNRATED = "unrated"     # a session with no satisfaction rating
APP_COLUMNS = ("services", *OUTCOMES)


@dataclass(frozen=True)
class Figure:
    """One named number: its key in every report and what it counts (its label is the
    catalogue's ``report.figure.<key>``)."""

    key: str
    meaning: str

    def label(self, language: str) -> str:
        return ui_text(f"report.figure.{self.key}", language)


TOTALS = (
    Figure("people_helped",
           "assistance sessions: each session is one person helped (a resident who comes back "
           "another day is counted again)"),
    Figure("elderly_helped", "people helped in the age bands 60-74 and 75+"),
    Figure("sessions", "sessions recorded by volunteers, each at its latest revision"),
    Figure("services",
           "services summed over sessions: one person helped with two apps is two services"),
    Figure("referrals", "services whose outcomes include 'referred'"),
    Figure("not_solved", "services whose outcomes include 'not_solved' (each has a reason)"),
    Figure("rated", "sessions with a satisfaction rating"),
    Figure("satisfaction_rate",
           "sessions rated 'good' divided by sessions rated at all, 0 to 1, 4 places; none "
           "when nobody rated"),
    Figure("lesson_runs", "lessons residents opened on a kiosk"),
    Figure("lesson_completions", "lesson runs that reached the last step"),
    Figure("help_requests", "times a resident pressed 'Cần người giúp'"),
)
TOTAL_KEYS = tuple(figure.key for figure in TOTALS)
FIGURES = {figure.key: figure for figure in TOTALS}


def report_label(key: str, language: str = "vi", **values) -> str:
    """A label for ``key``: a figure (``TOTALS``, catalogue ``report.figure.<key>``) or a word
    around the figures in exports and on the dashboard (``report.<key>``), with ``{name}``
    filled in. Raises ``KeyError`` for an unknown key."""
    if key in FIGURES:
        return FIGURES[key].label(language)
    return ui_text(f"report.{key}", language, **values)


def column_label(column: str, language: str = "vi") -> str:
    """The short label of a per-app column (``APP_COLUMNS``: services, then each outcome),
    catalogue ``report.column.<column>``. Raises ``KeyError`` for an unknown column."""
    return ui_text(f"report.column.{column}", language)


@lru_cache(maxsize=1024)
def value_label(field: str, value: str | None, language: str = "vi") -> str:
    """The label of a breakdown's value (``field`` as in ``journal.LABEL_PREFIXES``): "not
    given" and "not rated" included; a value this version does not know shows as it is."""
    if value is None or value in (UNKNOWN, UNRATED):
        return report_label(value or UNKNOWN, language)
    try:
        return ui_text(label_key(field, value), language)
    except KeyError:
        return str(value)


def figures(session_groups: Iterable[tuple], app_counts: Mapping[str, Mapping[str, int]],
            reasons: Mapping[str | None, int], *, lesson_runs: int, lesson_completions: int,
            help_requests: int) -> dict:
    """Every shared figure from raw tallies; both the kiosk and the hub call this.

    ``session_groups``: ``(age_band, gender, disability, satisfaction, n)`` rows, ``None`` for a
    value not given. ``app_counts``: per service, ``{"services": n, <outcome>: n, …}``.
    ``reasons``: not-solved services per reason. Returns ``{"totals", "by_age_band",
    "by_gender", "by_disability", "satisfaction", "by_app", "services_by_app", "by_outcome",
    "unsolved_by_reason"}``; every breakdown lists every known value, zeros included, in the
    order screens show them, then any value it does not know (from a newer kiosk).
    """
    tallies = {name: {} for name in ("age_band", "gender", "disability", "satisfaction")}
    for *values, n in session_groups:
        for name, value in zip(tallies, values):
            tallies[name][value] = tallies[name].get(value, 0) + n
    sessions = sum(tallies["age_band"].values())
    satisfaction = breakdown(tallies["satisfaction"], SATISFACTION, none_as=UNRATED)
    by_app = {service: {column: int(app_counts.get(service, {}).get(column) or 0)
                        for column in APP_COLUMNS}
              for service in _ordered_keys(app_counts, SERVICES)}
    by_outcome = {outcome: sum(app[outcome] for app in by_app.values()) for outcome in OUTCOMES}
    by_age_band = breakdown(tallies["age_band"], AGE_BANDS)
    totals = {"sessions": sessions, "people_helped": sessions,
              "elderly_helped": sum(by_age_band.get(band, 0) for band in ELDERLY_BANDS),
              "services": sum(app["services"] for app in by_app.values()),
              "referrals": by_outcome["referred"], "not_solved": by_outcome["not_solved"],
              "rated": sessions - satisfaction[UNRATED],
              "satisfaction_rate": satisfaction_rate(satisfaction["good"],
                                                     sessions - satisfaction[UNRATED]),
              "lesson_runs": lesson_runs, "lesson_completions": lesson_completions,
              "help_requests": help_requests}
    return {"totals": {key: totals[key] for key in TOTAL_KEYS}, "by_age_band": by_age_band,
            "by_gender": breakdown(tallies["gender"], GENDERS, none_as=UNKNOWN),
            "by_disability": breakdown(tallies["disability"], DISABILITIES, none_as=UNKNOWN),
            "satisfaction": satisfaction, "by_app": by_app,
            "services_by_app": {service: app["services"] for service, app in by_app.items()},
            "by_outcome": by_outcome,
            "unsolved_by_reason": breakdown(dict(reasons), UNSOLVED_REASONS)}


def satisfaction_rate(good: int, rated: int) -> float | None:
    """``good / rated`` rounded to 4 places, or ``None`` when nobody rated."""
    return round(good / rated, 4) if rated else None


def breakdown(found: Mapping, order: tuple[str, ...], *, none_as: str | None = None) -> dict:
    """Counts for every value of ``order``, zeros included, then ``none_as`` (when given: the
    count for "not given", always listed), then values outside ``order`` (from a newer kiosk
    version) rather than dropping them. Without ``none_as``, a "not given" count is listed as
    ``"unknown"`` only when there is one."""
    found = dict(found)
    missing = found.pop(None, 0)
    counts = {value: int(found.pop(value, 0)) for value in order}
    if none_as is not None:
        counts[none_as] = int(missing)
    elif missing:
        counts[UNKNOWN] = int(missing)
    return {**counts, **{str(k): int(v) for k, v in sorted(found.items(), key=str)}}


def _ordered_keys(found: Mapping, order: tuple[str, ...]) -> list[str]:
    return [*order, *sorted(key for key in found if key not in order and key is not None)]


@lru_cache(maxsize=4096)
def _day_of_hour(hour_prefix: str) -> str:
    """The Vietnam day of UTC ``YYYY-MM-DDTHH``."""
    moment = datetime.fromisoformat(hour_prefix + ":00:00+00:00")
    return moment.astimezone(VIETNAM).date().isoformat()


def local_day(stored: str | None) -> str | None:
    """The calendar day in Vietnam (UTC+7), ``YYYY-MM-DD``, of a time as records store it (ISO
    8601 with an offset); ``None`` when it is not such a time. Fast for the UTC form records
    use (``…+00:00``), which the hub meets 100,000s of times a minute."""
    if not isinstance(stored, str):
        return None
    if len(stored) >= 19 and stored.endswith("+00:00") and stored[10] == "T" \
            and stored[13] == ":":
        try:
            return _day_of_hour(stored[:13])
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(stored)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(VIETNAM).date().isoformat()


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """``[start, end)`` of the Vietnam calendar days ``first`` to ``last``, both included."""
    start = datetime(first.year, first.month, first.day, tzinfo=VIETNAM)
    end = datetime(last.year, last.month, last.day, tzinfo=VIETNAM) + timedelta(days=1)
    return start, end
