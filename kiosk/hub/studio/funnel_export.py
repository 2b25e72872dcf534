"""A lesson's funnel as tables for people: labelled summary lines, the step table, and CSV.

Labels come from the shared catalogue (``funnel.*`` in ``kiosk/locale/ui.json``), Vietnamese by
default. Every text cell of the CSV goes through ``report_layout.safe_text``, as the ward
report's files do, so a lesson id or version that begins like a formula is never run by a
spreadsheet.
"""

from __future__ import annotations

import csv
import io

from kiosk.hub.report_layout import Percent, safe_text
from kiosk.hub.studio.funnel import RATINGS, Funnel
from kiosk.locale import ui_text
from kiosk.reporting.figures import value_label

STEP_COLUMNS = ("step", "reached", "left", "help_presses", "practised", "first_try", "shown")


def summary_lines(funnel: Funnel, language: str = "vi") -> list[tuple[str, object]]:
    """(label, value) lines: lesson, version, started, finished, completion rate, median time,
    satisfaction counts and rate, practice totals. Values are ``str``, ``int``, ``float``,
    ``Percent`` or ``None`` (not known)."""
    def label(key: str) -> str:
        return ui_text(f"funnel.{key}", language)

    lines = [(label("lesson"), funnel.lesson_id),
             (label("version"), funnel.version if funnel.version is not None
              else label("all_versions")),
             (label("started"), funnel.started), (label("finished"), funnel.finished),
             (label("completion_rate"), _percent(funnel.completion_rate)),
             (label("median_seconds"), funnel.median_seconds), (label("timed"), funnel.timed)]
    lines += [(f"{label('satisfaction')}: {value_label('satisfaction', rating, language)}",
               funnel.satisfaction[rating]) for rating in RATINGS]
    lines.append((label("satisfaction_rate"), _percent(funnel.satisfaction_rate)))
    lines += [(f"{label('practice_totals')}: {label(name)}", funnel.practice[name])
              for name in ("practised", "first_try", "shown")]
    return lines


def step_header(language: str = "vi") -> list[str]:
    return [ui_text(f"funnel.{column}", language) for column in STEP_COLUMNS]


def step_rows(funnel: Funnel) -> list[list[int]]:
    """One row per step, in ``STEP_COLUMNS`` order."""
    return [[getattr(step, column) for column in STEP_COLUMNS] for step in funnel.steps]


def funnel_csv(funnel: Funnel, language: str = "vi") -> str:
    """The funnel as CSV text: a title line, the summary lines (label, value), a blank line,
    then the step table with its header. Percentages are written like ``66.67%``; an unknown
    value is an empty cell. Text cells are formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(ui_text("funnel.title", language))])
    writer.writerow([safe_text(ui_text("funnel.figure", language)),
                     safe_text(ui_text("funnel.value", language))])
    writer.writerows([safe_text(label), _cell(value)] for label, value in
                     summary_lines(funnel, language))
    writer.writerows([[], [safe_text(ui_text("funnel.steps", language))],
                      [safe_text(text) for text in step_header(language)]])
    writer.writerows(step_rows(funnel))
    return out.getvalue()


def _percent(value: float | None) -> Percent | None:
    return None if value is None else Percent(value)


def _cell(value) -> str | int | float:
    if isinstance(value, Percent):
        return value.text()
    if isinstance(value, str):
        return safe_text(value)
    if value is None:
        return ""
    return value
