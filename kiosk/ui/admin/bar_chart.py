"""A horizontal bar chart drawn with QPainter: one row per name, its bar and its number."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.theme import HIGH_CONTRAST, NORMAL

ROW_GAP = 14
BAR_RADIUS = 6


class BarChart(QWidget):
    """Rows of ``(name, value)``: the name on the left, a bar whose length is the value's share
    of the largest, and the value on the right. The font and text colour follow the style sheet,
    so the chart grows with the kiosk's text size and changes with its contrast theme."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[tuple[str, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: Sequence[tuple[str, int]]) -> None:
        self.rows = list(rows)
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + ROW_GAP

    def sizeHint(self) -> QSize:
        return QSize(600, max(1, len(self.rows)) * self._row_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(300, self.sizeHint().height())

    def paintEvent(self, event) -> None:
        if not self.rows:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        bar = QColor((HIGH_CONTRAST if text.lightness() > 128 else NORMAL).primary)
        metrics = self.fontMetrics()
        name_width = min(self.width() // 2,
                         max(metrics.horizontalAdvance(name) for name, _ in self.rows) + 16)
        number_width = max(metrics.horizontalAdvance(str(v)) for _, v in self.rows) + 16
        scale = max(1, self.width() - name_width - number_width) / max(
            1, max(value for _, value in self.rows))
        for index, (name, value) in enumerate(self.rows):
            top = index * self._row_height()
            self._draw_row(painter, top, name, value, (name_width, number_width, scale),
                           (text, bar))
        painter.end()

    def _draw_row(self, painter: QPainter, top: int, name: str, value: int,
                  sizes: tuple[int, int, float], colours: tuple[QColor, QColor]) -> None:
        """One row: the name (cut with "…" if too long), the bar, then the number."""
        (name_width, number_width, scale), (text, bar) = sizes, colours
        height, metrics = self._row_height(), self.fontMetrics()
        middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.setPen(text)
        painter.drawText(QRectF(0, top, name_width, height), middle,
                         metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width))
        length = scale * value
        if length:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bar)
            painter.drawRoundedRect(QRectF(name_width, top + ROW_GAP / 2, length,
                                           height - ROW_GAP), BAR_RADIUS, BAR_RADIUS)
            painter.setPen(text)
        painter.drawText(QRectF(name_width + length + 8, top, number_width, height), middle,
                         str(value))
