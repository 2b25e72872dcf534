"""Widgets drawn with QPainter: the phone illustration, QR codes, and the rating faces.

Drawing them ourselves keeps them independent of emoji or symbol fonts, which kiosks lack.
"""

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget


class PhoneView(QWidget):
    """Shows a step's illustration as tall as its column, keeping its shape: the widget makes
    itself as wide as the picture at that height, so the phone fills its column, but never
    wider than ``MAX_WINDOW_SHARE`` of the window.

    The width follows the height the *window* leaves below the widget's top, not the widget's
    own height: the widget's height comes from the layout, which a tall right-hand column can
    push past the window; following that would widen the phone, narrow the column, make its
    texts taller still and so on, until the phone was most of the screen and the step's buttons
    were off it.

    ``was_tapped`` gives a press in the picture's own pixels (for practice); presses outside
    the picture are ignored.
    """

    MAX_WINDOW_SHARE = 0.45
    BOTTOM_ROOM = 10  # the step screen's margin under the phone

    was_tapped = Signal(float, float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._image: QImage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setFixedWidth(300)

    def set_image(self, image: QImage | None) -> None:
        self._image = image if image is not None and not image.isNull() else None
        self._fit_width()
        self.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.size().height() != event.oldSize().height():
            self._fit_width()

    def _room(self) -> tuple[int, int]:
        """(height, width) the phone may take: its own height, but no lower than the window's
        bottom, and at most ``MAX_WINDOW_SHARE`` of the window's width."""
        window = self.window()
        if window is self:
            return self.height(), self.width()
        top = self.mapTo(window, QPoint(0, 0)).y()
        height = min(self.height(), window.height() - top - self.BOTTOM_ROOM)
        return height, round(window.width() * self.MAX_WINDOW_SHARE)

    def _fit_width(self) -> None:
        """Width follows height (a layout only knows height-for-width, not the reverse)."""
        if self._image is None or self.height() < 50:
            return
        height, widest = self._room()
        wanted = round(max(50, height) * self._image.width() / self._image.height())
        wanted = max(160, min(wanted, widest))
        if abs(self.maximumWidth() - wanted) > 1:
            self.setFixedWidth(wanted)

    def has_image(self) -> bool:
        return self._image is not None

    def image_rect(self) -> QRectF:
        """Where the image is drawn inside the widget."""
        if self._image is None:
            return QRectF()
        scale = min(self.width() / self._image.width(), self.height() / self._image.height())
        w, h = self._image.width() * scale, self._image.height() * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def sizeHint(self) -> QSize:
        return QSize(360, 600)

    def to_image(self, x: float, y: float) -> tuple[float, float] | None:
        """Widget coordinates to picture pixels; None outside the picture."""
        rect = self.image_rect()
        if self._image is None or not rect.contains(x, y):
            return None
        scale = self._image.width() / rect.width()
        return (x - rect.left()) * scale, (y - rect.top()) * scale

    def mousePressEvent(self, event) -> None:
        point = self.to_image(event.position().x(), event.position().y())
        if point is not None:
            self.was_tapped.emit(*point)

    def paintEvent(self, event) -> None:
        if self._image is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self.image_rect(), self._image)


class QrCodeView(QWidget):
    """A QR code for ``url``, drawn square with a quiet zone, black on white in every theme."""

    def __init__(self, url: str, parent: QWidget | None = None, size: int = 220):
        import qrcode  # only needed at a lesson's end; kept out of the kiosk's start

        super().__init__(parent)
        self.url = url
        code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(url)
        code.make(fit=True)
        matrix = code.get_matrix()
        cells = len(matrix)
        self._pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
        # One pixel per module; drawn scaled up without smoothing, so edges stay sharp.
        self._image = QImage(self._pixels, cells, cells, cells, QImage.Format.Format_Grayscale8)
        self.setFixedSize(size, size)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.drawImage(self.rect(), self._image)


class FaceButton(QPushButton):
    """A rating button: a drawn smiling, neutral or sad face, then its word, in one wide row."""

    COLORS = {"good": "#2e7d32", "ok": "#f9a825", "bad": "#c62828"}
    MOUTH = {"good": 1.0, "ok": 0.0, "bad": -1.0}

    def __init__(self, mood: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.mood = mood
        self.label = ""
        self.setProperty("role", "face")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_label(self, text: str) -> None:
        """The word beside the face; also the button's accessible name."""
        self.label = text
        self.setAccessibleName(text)
        self.update()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = self.height() - 24
        face = QRectF(20, 12, side, side)
        self._draw_face(painter, face)
        painter.setPen(self.palette().buttonText().color())
        painter.setFont(self.font())
        text_rect = QRectF(face.right() + 24, 0, self.width() - face.right() - 32, self.height())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         self.label)

    def _draw_face(self, painter: QPainter, face: QRectF) -> None:
        side = face.width()
        painter.setPen(QPen(QColor("#1b1b1b"), 3))
        painter.setBrush(QColor(self.COLORS[self.mood]))
        painter.drawEllipse(face)
        eye = side * 0.1
        painter.setBrush(QColor("#1b1b1b"))
        for fx in (0.33, 0.67):
            painter.drawEllipse(QRectF(face.left() + side * fx - eye / 2,
                                       face.top() + side * 0.33, eye, eye))
        curve = self.MOUTH[self.mood] * side * 0.18
        y = face.top() + side * 0.66 - curve / 2
        mouth = QPainterPath()
        mouth.moveTo(face.left() + side * 0.28, y)
        mouth.quadTo(face.center().x(), y + curve * 1.6, face.left() + side * 0.72, y)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor("#1b1b1b"), max(4.0, side * 0.06), Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        painter.drawPath(mouth)
