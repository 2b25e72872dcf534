"""Where printed pages are drawn: a real PDF (fpdf2) or page images (Pillow), from one layout.

Both canvases take the same calls in printed points with the origin at the top left of an A4
page, so ``kiosk.guide.layout`` lays a document out once and either draws it into a PDF with the
bundled Noto Sans embedded (text stays text, shapes stay vectors) or paints it on page images
for the kiosk's printer. Text is measured from the font's own advance widths, the same
widths the PDF viewer uses (``kiosk.guide.text``), so what fits in the layout fits on paper.
"""

from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from kiosk.guide.text import INK, font_file, nfc

PAGE_W, PAGE_H = 595.28, 841.89          # A4 in points
PAPER = "#ffffff"
FAMILY = "NotoSans"


class PdfCanvas:
    """An A4 PDF with the Noto Sans regular and bold embedded (as subsets), drawn with fpdf2."""

    def __init__(self, *, title: str, language: str, subject: str, author: str):
        from fpdf import FPDF

        self.pdf = pdf = FPDF(unit="pt", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.add_font(FAMILY, "", str(font_file(False)))
        pdf.add_font(FAMILY, "B", str(font_file(True)))
        pdf.set_title(title)
        pdf.set_lang(language)
        pdf.set_subject(subject)
        pdf.set_author(author)
        pdf.set_creator("kiosk handout")
        pdf.set_display_mode("fullwidth")

    def start_page(self) -> None:
        self.pdf.add_page()

    def text(self, x: float, baseline: float, text: str, size: float, bold: bool = False,
             color: str = INK) -> None:
        """``text`` starting at ``x`` on the line ``baseline``."""
        self.pdf.set_font(FAMILY, "B" if bold else "", size)
        self.pdf.set_text_color(color)
        self.pdf.text(x, baseline, nfc(text))

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str | None = None,
             stroke: str | None = None, width: float = 1) -> None:
        """A rectangle, filled and/or outlined (``width`` points of line)."""
        if fill:
            self.pdf.set_fill_color(fill)
        if stroke:
            self.pdf.set_draw_color(stroke)
            self.pdf.set_line_width(width)
        self.pdf.rect(x, y, w, h, style=("F" if fill else "") + ("D" if stroke else ""))

    def disc(self, cx: float, cy: float, r: float, fill: str) -> None:
        self.pdf.set_fill_color(fill)
        self.pdf.circle(cx, cy, r, style="F")

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float,
             color: str = INK) -> None:
        self.pdf.set_draw_color(color)
        self.pdf.set_line_width(width)
        self.pdf.line(x1, y1, x2, y2)

    def image(self, image: Image.Image, x: float, y: float, w: float, h: float,
              alt: str) -> None:
        """``image`` (RGB or palette) in the box; ``alt`` tags it as a figure for readers."""
        self.pdf.image(image, x, y, w, h, alt_text=nfc(alt))

    def bookmark(self, name: str, level: int, y: float) -> None:
        """An entry of the document outline pointing at height ``y`` of the current page."""
        self.pdf.set_y(y)
        self.pdf.start_section(nfc(name), level, strict=False)

    def save(self, file) -> None:
        """Write the whole PDF to the open binary ``file``."""
        file.write(self.pdf.output())


@lru_cache(maxsize=32)
def _pil_font(size_px: int, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_file(bold)), max(1, size_px))


class ImageCanvas:
    """White A4 RGB page images at ``dpi``, for printers that take pictures of pages."""

    def __init__(self, dpi: int = 200):
        self.dpi, self.pages = dpi, []
        self._draw = None

    def px(self, points: float) -> int:
        return round(points * self.dpi / 72)

    def start_page(self) -> None:
        self.pages.append(Image.new("RGB", (self.px(PAGE_W), self.px(PAGE_H)), PAPER))
        self._draw = ImageDraw.Draw(self.pages[-1])

    def text(self, x, baseline, text, size, bold=False, color=INK) -> None:
        self._draw.text((self.px(x), self.px(baseline)), nfc(text),
                        font=_pil_font(self.px(size), bold), fill=color, anchor="ls")

    def rect(self, x, y, w, h, *, fill=None, stroke=None, width=1) -> None:
        box = [self.px(x), self.px(y), self.px(x + w) - 1, self.px(y + h) - 1]
        self._draw.rectangle(box, fill=fill, outline=stroke,
                             width=max(1, self.px(width)) if stroke else 0)

    def disc(self, cx, cy, r, fill) -> None:
        self._draw.ellipse([self.px(cx - r), self.px(cy - r), self.px(cx + r), self.px(cy + r)],
                           fill=fill)

    def line(self, x1, y1, x2, y2, width, color=INK) -> None:
        self._draw.line([self.px(x1), self.px(y1), self.px(x2), self.px(y2)], fill=color,
                        width=max(1, self.px(width)))

    def image(self, image, x, y, w, h, alt) -> None:
        size = (self.px(w), self.px(h))
        placed = image.convert("RGB")
        if placed.size != size:
            placed = placed.resize(size, Image.Resampling.LANCZOS)
        self.pages[-1].paste(placed, (self.px(x), self.px(y)))

    def bookmark(self, name, level, y) -> None:
        """Page images have no outline."""
