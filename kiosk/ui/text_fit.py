"""Fitting text into a bounded box: wrapping at spaces, shrinking a title to a few lines.

Used by tiles and the top bar so that text is never cut: a long word-group moves to the next
line, and a title that would need too many lines is drawn smaller (down to the body size).
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetrics


def wrap_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``text``'s lines, each broken at spaces so it fits ``width`` px where it can
    (a single word wider than ``width`` keeps its own line)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and metrics.horizontalAdvance(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def needed_height(text: str, font: QFont, width: int) -> int:
    """The height ``text`` takes in ``font`` when word-wrapped to ``width`` px."""
    from PySide6.QtCore import Qt

    box = QFontMetrics(font).boundingRect(QRect(0, 0, max(1, width), 100_000),
                                          int(Qt.TextFlag.TextWordWrap.value), text)
    return box.height()


def fitting_point_size(text: str, font: QFont, width: int, max_lines: int,
                       smallest_pt: int) -> int:
    """The largest point size, from ``font``'s own down to ``smallest_pt``, at which ``text``
    wraps into at most ``max_lines`` lines of ``width`` px."""
    trial = QFont(font)
    size = font.pointSize()
    while size > smallest_pt:
        trial.setPointSize(size)
        lines = needed_height(text, trial, width) / QFontMetrics(trial).lineSpacing()
        if lines <= max_lines + 0.2:
            return size
        size -= 1
    return smallest_pt
