"""The admin's overview: today's or this week's local counts, exactly as ``kiosk.core.reports``
gives them (docs/reports.md), with a bar chart of services by app."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QWidget

from kiosk.core.journal import label_key
from kiosk.locale import ui_text
from kiosk.ui.admin.bar_chart import BarChart
from kiosk.ui.admin.operations import read_counts
from kiosk.ui.admin.section import (ChoiceButtons, CountTable, Section, format_number,
                                    format_percent)
from kiosk.ui.database_worker import DatabaseWorker
from kiosk.ui.widgets import column, label, scroll_area

PERIODS = ("today", "week")
TILES = ("people_helped", "services", "satisfaction_rate", "lesson_runs", "help_requests")


def value_label(field: str, value: str, language: str) -> str:
    """The label of a journal constant; a value from a newer kiosk version shows as it is."""
    try:
        return ui_text(label_key(field, value), language)
    except KeyError:
        return value


class NumberTile(QFrame):
    """A big number with a caption under it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(2)
        self.number = label("–", self, "title", wrap=False, centered=True)
        self.caption = label("", self, "small", centered=True)
        layout = column(self, margins=12, spacing=4)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)


class CountsSection(Section):
    """Counts for today or this week, read on the database worker when shown.

    ``counts`` is the last ``local_counts`` dictionary received; ``counts_did_load`` fires
    after each arrives and is drawn.
    """

    title_key = "admin.section.counts"
    counts_did_load = Signal()

    def __init__(self, worker: DatabaseWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self._worker = worker
        self.period = "today"
        self.counts: dict | None = None
        content = QWidget(self)
        self.periods = ChoiceButtons(content)
        self.period_text = label("", content, "muted")
        self.tiles = {key: NumberTile(content) for key in TILES}
        self.by_app_heading = label("", content, "heading")
        self.by_app = BarChart(content)
        self.outcome_heading = label("", content, "heading")
        self.by_outcome = CountTable(content)
        self.reason_heading = label("", content, "heading")
        self.by_reason = CountTable(content)
        self.satisfaction_heading = label("", content, "heading")
        self.satisfaction = CountTable(content)
        self._lay_out(content)

        self.periods.value_was_chosen.connect(self.show_period)

    def _lay_out(self, content: QWidget) -> None:
        grid = QGridLayout()
        grid.setSpacing(12)
        for index, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, index // 3, index % 3)
        top = QHBoxLayout()
        top.setSpacing(20)
        top.addWidget(self.periods)
        top.addWidget(self.period_text, 1)
        text = column(content, margins=0, spacing=14)
        text.setContentsMargins(0, 0, 16, 0)  # clear of the scroll bar
        text.addLayout(top)
        text.addLayout(grid)
        text.addWidget(self.by_app_heading)
        text.addWidget(self.by_app)
        text.addLayout(self._side_by_side([self.outcome_heading, self.by_outcome],
                                          [self.reason_heading, self.by_reason,
                                           self.satisfaction_heading, self.satisfaction]))
        text.addStretch(1)
        column(self, margins=0, spacing=0).addWidget(scroll_area(content, self))

    @staticmethod
    def _side_by_side(left: list[QWidget], right: list[QWidget]) -> QHBoxLayout:
        """Two columns of tables, so each number sits near its label."""
        row = QHBoxLayout()
        row.setSpacing(40)
        for widgets in (left, right):
            stack = column(margins=0, spacing=14)
            for widget in widgets:
                stack.addWidget(widget)
            stack.addStretch(1)
            row.addLayout(stack, 1)
        return row

    @property
    def default_focus(self):
        return self.periods.buttons.get(self.period)

    def show_period(self, period: str) -> None:
        """Show "today" or "week"; the counts are read again."""
        self.period = period
        self.periods.select(period)
        self.reload()

    def reload(self) -> None:
        period = self.period
        self._worker.submit(lambda db: read_counts(db, period=period), on_done=self._on_counts)

    def _on_counts(self, counts: dict) -> None:
        self.counts = counts
        self._draw()
        self.counts_did_load.emit()

    def refresh(self, language: str) -> None:
        super().refresh(language)
        self.periods.set_choices([(p, ui_text(f"admin.counts.{p}", language)) for p in PERIODS])
        self.periods.select(self.period)
        self.by_app_heading.setText(ui_text("admin.counts.by_app", language))
        self.outcome_heading.setText(ui_text("admin.counts.by_outcome", language))
        self.reason_heading.setText(ui_text("admin.counts.by_reason", language))
        self.satisfaction_heading.setText(ui_text("admin.counts.satisfaction", language))
        self._draw()

    def _draw(self) -> None:
        counts, language = self.counts, self.language
        if counts is None:
            return
        self.period_text.setText(_period_text(counts["period"], self.period))
        done = format_number(counts["lesson_completions"], language)
        for key, tile in self.tiles.items():
            tile.number.setText(self.tile_text(key))
            tile.caption.setText(self.tile_caption(key, done))
        self.by_app.set_rows([(value_label("service", app, language), n)
                              for app, n in counts["services_by_app"].items()])
        self.by_outcome.set_rows(_rows("outcome", counts["by_outcome"], language))
        self.by_reason.set_rows(_rows("unsolved_reason", counts["unsolved_by_reason"], language))
        satisfaction = dict(counts["satisfaction"])
        unrated = satisfaction.pop("unrated", 0)
        self.satisfaction.set_rows(
            _rows("satisfaction", satisfaction, language)
            + [("unrated", ui_text("admin.counts.unrated", language), str(unrated))])

    def tile_caption(self, key: str, done: str) -> str:
        """The words under tile ``key``'s number, agreeing with it ("1 person helped")."""
        if key == "satisfaction_rate":
            return ui_text(f"admin.counts.{key}", self.language)
        return ui_text(f"admin.counts.{key}", self.language, count=self.counts[key], done=done)

    def tile_text(self, key: str) -> str:
        """The big number on tile ``key``, as shown."""
        if key == "satisfaction_rate":
            return format_percent(self.counts["satisfaction_rate"], self.language)
        return format_number(self.counts[key], self.language)


def _rows(field: str, counts: dict, language: str) -> list[tuple[str, str, str]]:
    return [(value, value_label(field, value, language), str(n)) for value, n in counts.items()]


def _period_text(period: dict, which: str) -> str:
    """"12/06/2025" for a day, "09/06 – 15/06/2025" for a week (day/month, as in Vietnam)."""
    start = datetime.fromisoformat(period["start"])
    if which == "today":
        return start.strftime("%d/%m/%Y")
    end = datetime.fromisoformat(period["end"])
    last = end.fromordinal(end.toordinal() - 1)
    return f"{start:%d/%m} – {last:%d/%m/%Y}"
