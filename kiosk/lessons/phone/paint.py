"""Painting the phone with Pillow: a painter working in logical units, the screen's fixed parts
(status bar, top bar, home indicator), the target's highlight and the phone's frame."""

from PIL import Image, ImageColor, ImageDraw, ImageFont

from kiosk.lessons.phone import text as fitting
from kiosk.lessons.phone.geometry import BEZEL, BAR_H, CONTENT_TOP, H, SH, STATUS_H, SW, W

BG, PANEL, INK, MUTED, LINE = "#f4f5f7", "#ffffff", "#1f2328", "#5b6470", "#c9ced6"
HIGHLIGHT = "#ff6d00"


def rgb(color: str) -> tuple[int, int, int]:
    return ImageColor.getrgb(color)[:3]


def on_color(color: str) -> str:
    """White or ink: whichever reads better on ``color``."""
    r, g, b = rgb(color)
    return INK if (0.299 * r + 0.587 * g + 0.114 * b) > 170 else "#ffffff"


def shade(color: str, factor: float) -> tuple[int, int, int]:
    return tuple(round(c * factor) for c in rgb(color))


class Painter:
    """Draws on ``image`` in logical units (times ``scale``) and remembers the boxes of ids."""

    def __init__(self, image: Image.Image, scale: float, language: str, accent: str):
        self.image, self.scale, self.language, self.accent = image, scale, language, accent
        self.draw = ImageDraw.Draw(image)
        self.boxes: dict[str, tuple[float, float, float, float]] = {}
        self.taps: dict[str, tuple[float, float]] = {}   # where a finger goes, if not the default

    def s(self, value: float) -> int:
        return round(value * self.scale)

    def t(self, text) -> str:
        """A text object in the painter's language."""
        return fitting.localized(text, self.language)

    def font(self, size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
        return fitting.font(size, self.scale, bold)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return fitting.width(text, size, self.scale, bold)

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        return fitting.wrap(text, size, width, self.scale, bold)

    def fit(self, text: str, size: float, width: float, bold: bool = False) -> str:
        return fitting.fit(text, size, width, self.scale, bold)

    def mark(self, ident, box, tap: tuple[float, float] | None = None) -> None:
        """Remember the box of ``ident`` (if any), and where on it a finger would tap."""
        if ident:
            self.boxes[str(ident)] = box
            if tap:
                self.taps[str(ident)] = tap

    def rect(self, box, fill=None, outline=None, width: float = 1, radius: float = 0) -> None:
        self.draw.rounded_rectangle([self.s(v) for v in box], radius=self.s(radius), fill=fill,
                                    outline=outline, width=max(1, self.s(width)))

    def circle(self, cx, cy, r, fill=None, outline=None, width: float = 1) -> None:
        self.draw.ellipse([self.s(cx - r), self.s(cy - r), self.s(cx + r), self.s(cy + r)],
                          fill=fill, outline=outline, width=max(1, self.s(width)))

    def line(self, points, fill, width: float) -> None:
        self.draw.line([(self.s(x), self.s(y)) for x, y in points], fill=fill,
                       width=max(1, self.s(width)), joint="curve")

    def text(self, x, y, text, size, *, bold=False, fill=INK, anchor="la") -> None:
        self.draw.text((self.s(x), self.s(y)), text, font=self.font(size, bold), fill=fill,
                       anchor=anchor)

    def paragraph(self, x, y, text, size, width, *, bold=False, fill=INK, center=False,
                  max_lines: int = 99) -> float:
        """Draw wrapped ``text`` from top ``y`` (centred on ``x`` if ``center``); return bottom."""
        lines = self.wrap(text, size, width, bold)[:max_lines]
        step = fitting.line_step(size)
        for i, line in enumerate(lines):
            anchor = "ma" if center else "la"
            self.text(x, y + i * step, line, size, bold=bold, fill=fill, anchor=anchor)
        return y + len(lines) * step


def status_bar(p: Painter, color: str) -> None:
    """Time, a camera hole, signal bars and a battery on a darker shade of the bar colour."""
    ink = on_color(color)
    p.rect((0, 0, SW, STATUS_H), fill=shade(color, 0.8))
    p.text(24, 15, "9:41", 14, bold=True, fill=ink, anchor="lm")
    p.circle(SW / 2, 15, 6, fill="#0d0f12")
    for i in range(4):
        p.rect((SW - 84 + i * 6, 21 - 3 * (i + 1), SW - 80 + i * 6, 21), fill=ink)
    p.rect((SW - 54, 9, SW - 30, 21), outline=ink, width=1.5, radius=3)
    p.rect((SW - 51, 12, SW - 38, 18), fill=ink)
    p.rect((SW - 29, 13, SW - 27, 17), fill=ink)


def top_bar(p: Painter, screen: dict, color: str) -> None:
    """The coloured bar with the screen's title and, if ``back``, a back arrow."""
    ink, mid = on_color(color), STATUS_H + BAR_H / 2
    p.rect((0, STATUS_H, SW, CONTENT_TOP), fill=color)
    x = 20
    if screen.get("back"):
        p.line([(20, mid), (40, mid)], ink, 3)
        p.line([(29, mid - 9), (20, mid), (29, mid + 9)], ink, 3)
        x = 56
    p.text(x, mid, p.fit(p.t(screen.get("title")), 20, SW - x - 16, True), 20, bold=True,
           fill=ink, anchor="lm")


def home_indicator(p: Painter) -> None:
    p.rect((SW / 2 - 55, SH - 11, SW / 2 + 55, SH - 6), fill="#9aa1ab", radius=3)


def highlight(p: Painter, box, tap, spot) -> None:
    """A thick orange outline (white-edged, visible on any colour) around ``box``, and an arrow
    at ``spot`` (``(tip x, tip y, 1 up / -1 down)``) if there is one, else a "tap here"
    fingertip at ``tap`` (default: on its right-hand part)."""
    x0, y0, x1, y1 = box[0] - 7, box[1] - 7, box[2] + 7, box[3] + 7
    p.rect((x0, y0, x1, y1), outline="#ffffff", width=9, radius=16)
    p.rect((x0 + 1.5, y0 + 1.5, x1 - 1.5, y1 - 1.5), outline=HIGHLIGHT, width=6, radius=15)
    if spot:
        tip_x, tip_y, sign = spot
        arrow = [(0, 0), (20, 24), (8, 24), (8, 54), (-8, 54), (-8, 24), (-20, 24)]
        points = [(p.s(tip_x + dx), p.s(tip_y + sign * dy)) for dx, dy in arrow]
        p.draw.polygon(points, fill=HIGHLIGHT, outline="#ffffff", width=max(1, p.s(2.5)))
        return
    _touch(p, *(tap or (box[2] - 30 if box[2] - box[0] > 120 else (box[0] + box[2]) / 2,
                        (box[1] + box[3]) / 2)))


def _touch(p: Painter, cx: float, cy: float) -> None:
    """A see-through orange fingertip with a solid rim: "tap here", without hiding what is under."""
    overlay = Image.new("RGBA", p.image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for r, fill, rim, width in ((23.5, None, (255, 255, 255, 255), 2.5),
                                (21, (255, 109, 0, 120), (255, 109, 0, 255), 4)):
        draw.ellipse([p.s(cx - r), p.s(cy - r), p.s(cx + r), p.s(cy + r)], fill=fill,
                     outline=rim, width=max(1, p.s(width)))
    p.image.paste(overlay, (0, 0), overlay)


def frame(screen_image: Image.Image, scale: float) -> Image.Image:
    """The screen set into a dark rounded phone body on a transparent background."""
    image = Image.new("RGBA", (round(W * scale), round(H * scale)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, image.width - 1, image.height - 1], radius=round(50 * scale),
                           fill="#1b1e23", outline="#3b414b", width=max(1, round(2 * scale)))
    mask = Image.new("L", screen_image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, mask.width - 1, mask.height - 1],
                                           radius=round(40 * scale), fill=255)
    image.paste(screen_image, (round(BEZEL * scale), round(BEZEL * scale)), mask)
    return image
