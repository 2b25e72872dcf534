"""Every figure of a lesson's funnel against numbers worked out by hand.

Three kiosks record runs of "vneid-activate" (4 steps): A and C with today's kiosk code (record
format 2), B as a kiosk from before format 2 would have (no record_format, no help_steps, no
practice_results, no duration_s; its help presses only in its help requests). Everything travels
the real way: kiosk database → outbox → `sync_round` → hub API → ingest → report rows. A and B
are help points of ward "Phường A", C of "Phường B".

The runs (furthest step reached; ✓ finished; time; help presses by step; practice by step):

| run | kiosk | version | furthest | time  | help      | practice                 | rating |
|-----|-------|---------|----------|-------|-----------|--------------------------|--------|
| A1  | A     | 3       | 4 ✓      | 300 s | 2         | 1 first_try, 2 shown     | good   |
| A2  | A     | 3       | 2        |       | 2, 2      | 1 found                  | bad    |
| A3  | A     | 3       | 4 ✓      | 420 s |           | 1 first_try, 3 first_try | ok     |
| A4  | A     | 3       | (opened) |       |           |                          |        |
| A5  | A     | 2       | 4 ✓      | 100 s |           |                          | good   |
| B1  | B old | 3       | 4 ✓      | 480 s | 3         | totals: 2, 1 first, 1 shown | good |
| B2  | B old | 3       | 3        |       | 3, 1      |                          |        |
| C1  | C     | 3       | 1        |       | 1         |                          | bad    |

plus runs and help requests of another lesson, and a help request naming no run, that never count.
"""

from __future__ import annotations

import csv
import io
from functools import partial

import pytest

from kiosk.core.db import device_id
from kiosk.core.lesson_runs import request_help, start_run, update_run
from kiosk.hub.enrollment import make_code
from kiosk.hub.studio.funnel import StepFigures, lesson_funnel
from kiosk.hub.studio.funnel_chart import funnel_chart
from kiosk.hub.studio.funnel_export import STEP_COLUMNS, funnel_csv
from kiosk.hub.wards import points_of
from kiosk.locale import ui_text
from kiosk.sync import outbox
from kiosk.sync.enroll import enroll
from kiosk.sync.push import sync_round

from tests.hub.conftest import client_via

LESSON = "vneid-activate"
ENDED = "2026-03-02T10:30:00.000+07:00"


def _new_run(db, version: str, *, furthest: int = 0, done: bool = False, seconds=None,
             help_at=(), practice: dict | None = None, rating=None) -> None:
    """One run recorded as today's kiosk records it."""
    run = start_run(db, lesson_id=LESSON, lesson_version=version, language="vi",
                    text_size="normal", total_steps=4)
    for step in help_at:
        request_help(db, lesson_run_id=run["id"], lesson_id=LESSON, step=step)
    if not furthest:
        return  # opened and never left (a kiosk switched off mid-run)
    outcomes = practice or {}
    update_run(db, run["id"], furthest_step=furthest, completed=int(done), ended_at=ENDED,
               practice_results=outcomes, practice_steps=len(outcomes),
               practice_first_try=sum(v == "first_try" for v in outcomes.values()),
               practice_shown=sum(v == "shown" for v in outcomes.values()),
               **({"duration_s": seconds} if seconds is not None else {}))
    if rating:
        update_run(db, run["id"], rating=rating)


def _old_run(db, number: int, **fields) -> str:
    """A format-1 run as a kiosk from before format 2 wrote it to its outbox."""
    run_id = f"01900000-0000-7000-8000-{number:012d}"
    record = {"id": run_id, "device_id": device_id(db), "revision": 3, "lesson_id": LESSON,
              "lesson_version": "3", "language": "vi", "text_size": "normal",
              "total_steps": 4, "completed": 0, "rating": None, "help_requested": 0,
              "practice_steps": 0, "practice_first_try": 0, "practice_shown": 0,
              "started_at": "2026-03-02T10:00:00.000+07:00", "ended_at": None,
              "updated_at": "2026-03-02T10:09:00.000+07:00", **fields}
    with db.atomic():
        outbox.append(db, "lesson_run", record)
    return run_id


def _old_help(db, number: int, run_id: str | None, step: int, lesson: str = LESSON) -> None:
    request = {"id": f"01900000-0000-7000-9000-{number:012d}", "device_id": device_id(db),
               "revision": 1, "lesson_run_id": run_id, "lesson_id": lesson, "step": step,
               "status": "open", "created_at": "2026-03-02T10:05:00.000+07:00",
               "taken_at": None, "updated_at": "2026-03-02T10:05:00.000+07:00"}
    with db.atomic():
        outbox.append(db, "help_request", request)


@pytest.fixture
def hub(live_hub, make_kiosk):
    """The live hub after the three kiosks of the table above have synced."""
    kiosks = {}
    for name, point, ward in (("A", "Tổ 1", "Phường A"), ("B", "Tổ 2", "Phường A"),
                              ("C", "Tổ 9", "Phường B")):
        db, _ = make_kiosk(f"kiosk-{name}")
        enroll(db, live_hub.url, make_code(live_hub.engine, point, keys=live_hub.keys,
                                           ward=ward)["code"])
        kiosks[name] = db
    a, b, c = kiosks["A"], kiosks["B"], kiosks["C"]
    _new_run(a, "3", furthest=4, done=True, seconds=300, help_at=[2],
             practice={"1": "first_try", "2": "shown"}, rating="good")
    _new_run(a, "3", furthest=2, help_at=[2, 2], practice={"1": "found"}, rating="bad")
    _new_run(a, "3", furthest=4, done=True, seconds=420,
             practice={"1": "first_try", "3": "first_try"}, rating="ok")
    _new_run(a, "3")
    _new_run(a, "2", furthest=4, done=True, seconds=100, rating="good")
    other = start_run(a, lesson_id="etax-pay", lesson_version="3", language="vi",
                      text_size="normal", total_steps=9)
    request_help(a, lesson_run_id=other["id"], lesson_id="etax-pay", step=7)
    update_run(a, other["id"], furthest_step=9, completed=1, ended_at=ENDED, rating="bad")
    b1 = _old_run(b, 1, furthest_step=4, completed=1, help_requested=1, rating="good",
                  ended_at="2026-03-02T10:08:00.000+07:00", practice_steps=2,
                  practice_first_try=1, practice_shown=1)
    b2 = _old_run(b, 2, furthest_step=3, help_requested=1)
    _old_help(b, 1, b1, 3)
    _old_help(b, 2, b2, 3)
    _old_help(b, 3, b2, 1)
    _old_help(b, 4, None, 2)  # asked from the lesson list: no run, so no step of a run
    _old_help(b, 5, b2, 4, lesson="etax-pay")  # names another lesson
    _new_run(c, "3", furthest=1, help_at=[1], rating="bad")
    for db in kiosks.values():
        with client_via(db, live_hub.url) as client:
            result = sync_round(db, client)
        assert (result.last_error, result.unsent) == (None, 0)
    return live_hub


def _funnel(hub, version="3", points=None):
    with hub.engine.connect() as connection:
        return lesson_funnel(connection, LESSON, version, points=points)


def _steps(reached, left, help_presses, practised, first_try, shown) -> list[StepFigures]:
    return [StepFigures(step + 1, *values) for step, values in
            enumerate(zip(reached, left, help_presses, practised, first_try, shown))]


@pytest.mark.timeout(120)
def test_every_figure_of_one_version_for_the_city(hub):
    funnel = _funnel(hub)
    assert (funnel.lesson_id, funnel.version) == (LESSON, "3")
    assert (funnel.started, funnel.finished) == (7, 3)  # A1–A4, B1, B2, C1; A1, A3, B1
    assert funnel.completion_rate == 0.4286  # 3 / 7
    assert (funnel.median_seconds, funnel.timed) == (420, 3)  # of 300, 420, 480 (B1: 8 min)
    assert funnel.steps == _steps(
        reached=[7, 5, 4, 3],  # all; A1 A2 A3 B1 B2; A1 A3 B1 B2; A1 A3 B1
        left=[2, 1, 1, 0],  # A4 C1; A2; B2
        help_presses=[2, 3, 2, 0],  # B2 C1; A1 A2 A2; B1 B2
        practised=[3, 1, 1, 0],  # A1 A2 A3; A1; A3 (B1's practice has no steps)
        first_try=[2, 0, 1, 0],  # A1 A3; ; A3
        shown=[0, 1, 0, 0])  # ; A1
    assert funnel.practice == {"practised": 7, "first_try": 4, "shown": 2}  # B1's totals too
    assert funnel.satisfaction == {"good": 2, "ok": 1, "bad": 2}  # A1 B1; A3; A2 C1
    assert (funnel.rated, funnel.satisfaction_rate) == (5, 0.4)
    assert funnel.versions == {"3": 7, "2": 1}


@pytest.mark.timeout(120)
def test_a_ward_sees_only_its_own_help_points(hub):
    funnel = _funnel(hub, points=points_of("Phường A"))  # A and B: C1 is left out
    assert (funnel.started, funnel.finished, funnel.completion_rate) == (6, 3, 0.5)
    assert (funnel.median_seconds, funnel.timed) == (420, 3)
    assert funnel.steps == _steps(reached=[6, 5, 4, 3], left=[1, 1, 1, 0],
                                  help_presses=[1, 3, 2, 0], practised=[3, 1, 1, 0],
                                  first_try=[2, 0, 1, 0], shown=[0, 1, 0, 0])
    assert funnel.satisfaction == {"good": 2, "ok": 1, "bad": 1}
    assert funnel.satisfaction_rate == 0.5
    by_name = _funnel(hub, points=["Tổ 9"])
    assert (by_name.started, by_name.steps[0].help_presses) == (1, 1)
    assert _funnel(hub, points=[]).started == 0


@pytest.mark.timeout(120)
def test_every_version_together(hub):
    funnel = _funnel(hub, version=None)  # A5 (version 2) joins
    assert (funnel.started, funnel.finished, funnel.completion_rate) == (8, 4, 0.5)
    assert (funnel.median_seconds, funnel.timed) == (360, 4)  # of 100, 300, 420, 480
    assert [s.reached for s in funnel.steps] == [8, 6, 5, 4]
    assert [s.left for s in funnel.steps] == [2, 1, 1, 0]
    assert funnel.satisfaction == {"good": 3, "ok": 1, "bad": 2}
    unknown = _funnel(hub, version="9")
    assert (unknown.started, unknown.steps, unknown.completion_rate) == (0, [], None)
    assert unknown.median_seconds is None and unknown.satisfaction_rate is None


@pytest.mark.timeout(120)
def test_csv_and_chart_show_the_same_figures(hub):
    funnel = _funnel(hub)
    rows = list(csv.reader(io.StringIO(funnel_csv(funnel, "en"))))
    label = partial(ui_text, language="en")
    assert rows[:2] == [[label("funnel.title")], [label("funnel.figure"), label("funnel.value")]]
    assert [value for _, value in rows[2:16]] == [
        "vneid-activate", "3", "7", "3", "42.86%", "420", "3", "2", "1", "2", "40%", "7", "4",
        "2"]
    assert rows[2][0] == label("funnel.lesson")
    assert rows[9][0] == f'{label("funnel.satisfaction")}: {label("satisfaction.good")}'
    assert rows[16:19] == [[], [label("funnel.steps")],
                           [label(f"funnel.{column}") for column in STEP_COLUMNS]]
    assert rows[19:] == [["1", "7", "2", "2", "3", "2", "0"], ["2", "5", "1", "3", "1", "0", "1"],
                         ["3", "4", "1", "2", "1", "1", "0"], ["4", "3", "0", "0", "0", "0", "0"]]
    assert list(csv.reader(io.StringIO(funnel_csv(funnel))))[2][0] == ui_text("funnel.lesson", "vi")
    chart = funnel_chart(funnel, "vi")
    assert chart.startswith("<svg") and chart.count(f"<title>{ui_text('funnel.step', 'vi')} ") == 4
    assert f"{ui_text('funnel.step', 'vi')} 1: 7</title>" in chart
    assert ui_text("funnel.chart_help", "vi", count=3) in chart


@pytest.mark.timeout(120)
def test_csv_cells_never_start_a_formula(hub):
    with hub.engine.connect() as connection:
        funnel = lesson_funnel(connection, "=HYPERLINK(1)", "+1")
    rows = list(csv.reader(io.StringIO(funnel_csv(funnel))))
    assert [rows[2][1], rows[3][1]] == ["'=HYPERLINK(1)", "'+1"]
    assert ui_text("funnel.no_runs", "vi") in funnel_chart(funnel)  # nothing to draw
