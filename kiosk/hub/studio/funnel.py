"""Where residents get stuck: one lesson's figures from the lesson runs kiosks recorded.

Started, finished, completion rate, median time of the finished runs, satisfaction, and per step
how many runs reached it, how many left there without finishing, how often "Cần người giúp" was
pressed there, and how practice on its mock screen went. Runs of every record format count
(``kiosk.core.lesson_run_format``): a format-1 run (an older kiosk) has no per-step help or
practice of its own, so its help presses are taken from the help requests that name it, and its
practice counts in the lesson's practice totals only.

Read-only. Runs are found through ``report_lesson_runs`` (by lesson, and help point for a ward)
and read at their newest revision from ``records``, streamed, so memory grows with the number of
steps and finished runs (one number each for the median), never with the payloads.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

import orjson
from sqlalchemy import Connection, Select, and_, select

from kiosk.core.lesson_run_format import MAX_STEP, format_of, format_problem, upgrade
from kiosk.hub.schema import records, report_lesson_runs
from kiosk.reporting.figures import satisfaction_rate

RATINGS = ("good", "ok", "bad")
CHUNK = 2000
VERSION_CHARS = 40  # a lesson version is short ("2.0"); a hostile one is cut, not kept whole


@dataclass(frozen=True)
class StepFigures:
    """One step (1-based) of the funnel."""

    step: int
    reached: int  # runs that showed this step (a finished run reached every step)
    left: int  # runs whose furthest step this was, not finished
    help_presses: int  # "Cần người giúp" presses on this step
    practised: int  # runs that finished practising this step's tap
    first_try: int  # … finding the spot with the first tap
    shown: int  # … and those shown the spot after two misses


@dataclass
class Funnel:
    """One lesson's figures (of one version, or of all when ``version`` is ``None``)."""

    lesson_id: str
    version: str | None
    started: int = 0
    finished: int = 0
    median_seconds: float | None = None  # of the finished runs whose time is known
    timed: int = 0  # finished runs whose time is known
    steps: list[StepFigures] = field(default_factory=list)
    satisfaction: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    practice: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("practised", "first_try", "shown"), 0))  # every run's totals, old formats included
    versions: dict[str, int] = field(default_factory=dict)  # runs started per version seen

    @property
    def completion_rate(self) -> float | None:
        """``finished / started`` rounded to 4 places; ``None`` when nobody started."""
        return round(self.finished / self.started, 4) if self.started else None

    @property
    def rated(self) -> int:
        return sum(self.satisfaction.values())

    @property
    def satisfaction_rate(self) -> float | None:
        """Good ratings among the rated runs (as the ward report counts it)."""
        return satisfaction_rate(self.satisfaction["good"], self.rated)


def lesson_funnel(connection: Connection, lesson_id: str, version: str | int | None = None, *,
                  points: Iterable[str] | Select | None = None) -> Funnel:
    """The funnel of ``lesson_id`` (``version`` as the kiosk reported it, compared as text, or
    every version when ``None``).

    ``points`` limits the runs to those help points (names, or a sub-query such as
    ``kiosk.hub.wards.points_of(ward)``): a ward sees only its own. Read-only; raises only what
    the database raises. A stored record that is not a well-formed lesson run is left out.
    """
    tally = _Tally(lesson_id, version)
    for part in connection.execute(_runs_query(lesson_id, points)).partitions():
        for (payload,) in part:
            tally.add(_loaded(payload))
    if tally.old_runs:
        tally.add_old_help(_help_requests(connection, lesson_id))
    return tally.funnel()


class _Tally:
    """Counts gathered run by run."""

    def __init__(self, lesson_id: str, version: str | int | None):
        self.version = None if version is None else str(version)  # as the kiosk sent it: text
        self.result = Funnel(lesson_id, self.version)
        self.reached: Counter[int] = Counter()  # furthest step of each run → runs
        self.left: Counter[int] = Counter()
        self.help: Counter[int] = Counter()
        self.practice: dict[str, Counter[int]] = {name: Counter() for name in
                                                 ("practised", "first_try", "shown")}
        self.durations: list[int] = []
        self.last_step = 0
        self.old_runs: set[str] = set()  # format-1 runs: help comes from their help requests

    def add(self, record: dict | None) -> None:
        if record is None or format_problem(record):
            return
        run = upgrade(record)
        version = _text(run.get("lesson_version"))[:VERSION_CHARS]
        self.result.versions[version] = self.result.versions.get(version, 0) + 1
        if self.version is not None and version != self.version:
            return
        self.result.started += 1
        done = run.get("completed") in (1, True)
        total = _count(run.get("total_steps"), MAX_STEP)
        furthest = total if done else max(1, _count(run.get("furthest_step"), MAX_STEP))
        self.last_step = max(self.last_step, total, furthest)
        self.reached[furthest] += 1
        if done:
            self.result.finished += 1
            if run.get("duration_s") is not None:
                self.durations.append(run["duration_s"])
        else:
            self.left[furthest] += 1
        if run.get("rating") in RATINGS:
            self.result.satisfaction[run["rating"]] += 1
        self._add_practice(run)
        if format_of(run) >= 2:
            self._steps(self.help, run["help_steps"])
        elif isinstance(run.get("id"), str):
            self.old_runs.add(run["id"])

    def _add_practice(self, run: dict) -> None:
        for name, key in (("practised", "practice_steps"), ("first_try", "practice_first_try"),
                          ("shown", "practice_shown")):
            self.result.practice[name] += _count(run.get(key), MAX_STEP)
        for step, outcome in (run.get("practice_results") or {}).items():
            self._steps(self.practice["practised"], [int(step)])
            if outcome in ("first_try", "shown"):
                self._steps(self.practice[outcome], [int(step)])

    def _steps(self, counter: Counter, steps: list[int]) -> None:
        counter.update(steps)
        self.last_step = max([self.last_step, *steps])

    def add_old_help(self, requests: Iterable[dict]) -> None:
        """Help requests naming a format-1 run of this funnel, one press each at its step."""
        for request in requests:
            step = request.get("step")
            if request.get("lesson_run_id") in self.old_runs and isinstance(step, int) \
                    and not isinstance(step, bool) and 1 <= step <= MAX_STEP:
                self._steps(self.help, [step])

    def funnel(self) -> Funnel:
        result, beyond = self.result, 0
        steps = []
        for step in range(self.last_step, 0, -1):  # from the end: reached = at or beyond
            beyond += self.reached[step]
            steps.append(StepFigures(step, beyond, self.left[step], self.help[step],
                                     *(self.practice[name][step] for name in
                                       ("practised", "first_try", "shown"))))
        result.steps = steps[::-1]
        result.timed = len(self.durations)
        result.median_seconds = statistics.median(self.durations) if self.durations else None
        return result


def _runs_query(lesson_id: str, points) -> Select:
    query = select(records.c.payload).select_from(report_lesson_runs.join(records, and_(
        records.c.record_type == "lesson_run",
        records.c.record_id == report_lesson_runs.c.record_id))).where(
        report_lesson_runs.c.lesson_id == lesson_id)
    if points is not None:
        query = query.where(report_lesson_runs.c.point.in_(
            points if isinstance(points, Select) else list(points)))
    return query.execution_options(yield_per=CHUNK)


def _help_requests(connection: Connection, lesson_id: str) -> Iterable[dict]:
    """The help requests that name ``lesson_id``, streamed. The stored payload is orjson's
    compact form, so the text match finds every one; each is then read as JSON and checked."""
    needle = '"lesson_id":' + orjson.dumps(lesson_id).decode()
    query = select(records.c.payload).where(
        records.c.record_type == "help_request",
        records.c.payload.contains(needle, autoescape=True)).execution_options(yield_per=CHUNK)
    for part in connection.execute(query).partitions():
        for (payload,) in part:
            request = _loaded(payload)
            if request is not None and request.get("lesson_id") == lesson_id:
                yield request


def _loaded(payload: str) -> dict | None:
    try:
        found = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    return found if isinstance(found, dict) else None


def _count(value, limit: int) -> int:
    """A whole number from 0 to ``limit`` as a count; anything else counts as 0."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limit:
        return value
    return 0


def _text(value) -> str:
    return value if isinstance(value, str) else str(value) if value is not None else ""
