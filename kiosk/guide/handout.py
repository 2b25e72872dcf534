"""The take-home guide ("cẩm nang") of a lesson: a printable A4 PDF a resident keeps at home.

Black text on white in the bundled Noto Sans (embedded, so the words can be searched, enlarged and
read aloud), body text 16 pt: the title, why it is useful and what to have ready; then every step
with its number, instruction, detail, tip and warning beside the mock phone picture, drawn large
enough that its smallest words print at ``MIN_PHONE_TEXT_PT`` or more; then common problems, what
a help point cannot do and where to go instead, and a vector QR code (with its address printed
under it) for each verified link only. Every page has the lesson title and "Trang n/N" in its
footer. A step or a boxed warning is never split across pages. The same layout is drawn as a PDF
(``write_handout``) or as page images for the kiosk's printer (``handout_pages``).
"""

import os
from pathlib import Path

import qrcode
from PIL import Image

from kiosk.guide import layout as pl
from kiosk.lessons.library import Library
from kiosk.lessons.mockscreen import H as PHONE_H, W as PHONE_W, render_screen
from kiosk.lessons.model import Lesson, Step, tr
from kiosk.locale import ui_text
from kiosk.guide.canvas import INK, PAPER, ImageCanvas, PdfCanvas

SIZES = {"kicker": 14, "title": 26, "heading": 20, "instruction": 19, "body": 16, "url": 14,
         "footer": 12}
FOOTER_MIN_PT = 9                    # a longer title wraps rather than shrinking further
MIN_PHONE_TEXT_PT = 9.0              # the smallest words inside a phone picture, printed
PHONE_SMALLEST_TEXT = 13             # the renderer's smallest text (tab labels), in phone units
PICTURE_H = (MIN_PHONE_TEXT_PT + 0.2) * PHONE_H / PHONE_SMALLEST_TEXT   # 0.2 pt for rounding
PICTURE_W = PICTURE_H * PHONE_W / PHONE_H
PICTURE_DPI = 150                    # phone pictures are drawn this sharp for paper
PICTURE_SCALE = PICTURE_H / 72 * PICTURE_DPI / PHONE_H   # the renderer's scale for that
PICTURE_COLORS = 64                  # a drawn phone needs few colours; a palette keeps it small
BADGE = 30.0                         # the diameter of a step's number disc, points
COLUMN_X = BADGE + pl.mm(4)          # where a step's text starts
GAP = pl.mm(5)                       # between a step's text and its picture
QR_SIZE, QR_PER_ROW = pl.mm(38), 3
PRINT_DPI = 200


def write_handout(lesson: Lesson, library: Library, out_path: Path, *,
                  language: str = "vi") -> int:
    """Write the guide of ``lesson`` in ``language`` as a PDF at ``out_path`` and return its
    page count. The file appears whole or not at all (temporary file, then rename); its folder
    is created if missing. Raises ``OSError`` if the path cannot be written."""
    pages = pl.paginate(handout_document(lesson, library, language))
    canvas = PdfCanvas(title=tr(lesson.title, language), language=language,
                       subject=tr(lesson.purpose, language),
                       author=ui_text("app.name", language))
    _draw(canvas, pages, lesson, language)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as file:
            canvas.save(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, out_path)
    finally:
        temporary.unlink(missing_ok=True)
    return len(pages)


def handout_pages(lesson: Lesson, library: Library, language: str) -> list[Image.Image]:
    """The guide's pages as white A4 RGB images at ``PRINT_DPI``, footers included: the same
    layout as the PDF, for printing."""
    canvas = ImageCanvas(PRINT_DPI)
    _draw(canvas, pl.paginate(handout_document(lesson, library, language)), lesson, language)
    return canvas.pages


def _draw(canvas, pages: list[pl.Stack], lesson: Lesson, language: str) -> None:
    title = tr(lesson.title, language)
    pl.render(pages, canvas, lambda c, number, total: _footer(c, number, total, title, language))


def handout_document(lesson: Lesson, library: Library, language: str) -> pl.Stack:
    """Everything the guide shows, in order, before it is cut into pages."""
    app = library.apps.get(lesson.app)
    color = app.color if app else "#37474f"
    items = _cover(lesson, library, language)
    items += [_step(step, number, color, language)
              for number, step in enumerate(lesson.steps, start=1)]
    items += _pairs(lesson.problems, "problem", "solution", ui_text("finish.problems", language),
                    language)
    items += _pairs(lesson.elsewhere, "need", "where", ui_text("intro.elsewhere", language),
                    language)
    return pl.Stack(items + _links(lesson, language))


def _text(text: str, size: str, width: float = pl.FRAME_W, *, bold: bool = False,
          space: float = 0, **options) -> pl.Paragraph:
    return pl.Paragraph.of([(text, pl.font(SIZES[size], bold))], width, space_before=space,
                           **options)


def _heading(text: str) -> pl.Paragraph:
    return _text(text, "heading", bold=True, space=pl.mm(8), keep_with_next=True,
                 bookmark=(text, 1))


def _cover(lesson: Lesson, library: Library, language: str) -> list[pl.Flowable]:
    """Kicker, title, purpose, time, what to bring, and the heading of the steps."""
    app = library.apps.get(lesson.app)
    kicker = ui_text("handout.kicker", language, app=tr(app.name, language) if app else lesson.app)
    steps = ui_text("intro.steps", language, count=len(lesson.steps))
    minutes = ui_text("intro.minutes", language, count=lesson.minutes, steps=steps)
    title = tr(lesson.title, language)
    items = [_text(kicker, "kicker", bold=True),
             _text(title, "title", bold=True, space=pl.mm(2), bookmark=(title, 0)),
             _text(tr(lesson.purpose, language), "body", space=pl.mm(3)),
             _text(minutes, "body", space=pl.mm(2))]
    if lesson.needs:
        items.append(_heading(ui_text("intro.needs", language)))
        items += [_text(tr(need, language), "body", space=pl.mm(1.5), bullet="•",
                        indent=20) for need in lesson.needs]
    return items + [_heading(ui_text("handout.steps", language))]


def _step(step: Step, number: int, color: str, language: str) -> pl.Beside:
    """One step, kept on one page: its number disc, its texts in a column, its picture right."""
    instruction = tr(step.instruction, language)
    picture = _illustration(step, color, language, instruction)
    width = pl.FRAME_W - COLUMN_X - ((picture.width + GAP) if picture else 0)
    body, strong = pl.font(SIZES["body"]), pl.font(SIZES["body"], bold=True)
    parts = [_text(instruction, "instruction", width, bold=True)]
    if step.detail:
        parts.append(_text(tr(step.detail, language), "body", width, space=pl.mm(2.5)))
    if step.tip:
        parts.append(pl.Paragraph.of([(ui_text("step.tip", language) + ":", strong),
                                      (tr(step.tip, language), body)], width,
                                     space_before=pl.mm(2.5)))
    if step.warning:
        parts.append(pl.Paragraph.of([(ui_text("step.warning", language) + ":", strong),
                                      (tr(step.warning, language), body)], width, box=True,
                                     space_before=pl.mm(3)))
    picture_x = pl.FRAME_W - picture.width if picture else 0
    return pl.Beside(pl.Stack(parts), COLUMN_X, picture, picture_x, _badge(number),
                     space_before=pl.mm(7), bookmark=(f"{number}. {instruction}", 2))


def _badge(number: int):
    """A function drawing a black disc with the white step ``number`` at a step's top left."""
    def draw(canvas, x: float, y: float) -> None:
        canvas.disc(x + BADGE / 2, y + BADGE / 2, BADGE / 2, INK)
        label = str(number)
        size = SIZES["instruction"] if len(label) == 1 else SIZES["url"]
        canvas.text(x + (BADGE - pl.text_width(label, size, True)) / 2,
                    y + BADGE / 2 + size * 0.36, label, size, True, PAPER)
    return draw


def _illustration(step: Step, color: str, language: str, alt: str) -> pl.Picture | None:
    """The step's mock phone drawn sharp for paper at ``PICTURE_H``, or its own picture scaled
    to fit that box; ``None`` if it has neither (or its picture cannot be read)."""
    scale = PICTURE_SCALE
    if step.screen:
        image, _ = render_screen(step.screen, language=language, app_color=color,
                                 target=step.target, scale=scale)
        return pl.Picture(_for_paper(image), PICTURE_W, PICTURE_H, alt)
    if step.image:
        try:
            with Image.open(step.image) as source:
                image = source.convert("RGBA")
        except OSError:
            return None
        image.thumbnail((round(PHONE_W * scale), round(PHONE_H * scale)),
                        Image.Resampling.LANCZOS)
        ratio = min(PICTURE_W / image.width, PICTURE_H / image.height)
        return pl.Picture(_for_paper(image), image.width * ratio, image.height * ratio, alt)
    return None


def _for_paper(image: Image.Image) -> Image.Image:
    """``image`` on white paper (no transparency) with at most ``PICTURE_COLORS`` colours."""
    paper = Image.new("RGB", image.size, PAPER)
    paper.paste(image, (0, 0), image if image.mode == "RGBA" else None)
    return paper.quantize(PICTURE_COLORS, method=Image.Quantize.FASTOCTREE)


def _pairs(entries: list[dict], head: str, tail: str, title: str,
           language: str) -> list[pl.Flowable]:
    """A heading, then each entry's ``head`` in bold (bulleted) with its ``tail`` under it."""
    if not entries:
        return []
    items: list[pl.Flowable] = [_heading(title)]
    for entry in entries:
        items.append(_text(tr(entry[head], language), "body", bold=True, space=pl.mm(3),
                           bullet="•", indent=20, keep_with_next=True))
        items.append(_text(tr(entry[tail], language), "body", indent=20))
    return items


def _links(lesson: Lesson, language: str) -> list[pl.Flowable]:
    """QR codes of the verified links, three to a row, each with its label and address; the
    labels of unverified links with a note to have a volunteer check them (no address)."""
    items: list[pl.Flowable] = []
    verified = lesson.verified_links
    if verified:
        items.append(_heading(ui_text("finish.qr", language)))
        cell_w = pl.FRAME_W / max(2, min(QR_PER_ROW, len(verified)))
        for start in range(0, len(verified), QR_PER_ROW):
            cells = [pl.Stack([qr_drawing(link.url),
                               _text(tr(link.label, language), "url", cell_w - pl.mm(6),
                                     bold=True, space=pl.mm(2)),
                               _text(link.url, "url", cell_w - pl.mm(6), space=pl.mm(1))])
                     for link in verified[start:start + QR_PER_ROW]]
            items.append(pl.Row(cells, cell_w, space_before=pl.mm(4)))
    unverified = [link for link in lesson.links if not link.verified]
    if unverified:
        items.append(_text(ui_text("finish.unverified", language), "body", bold=True,
                           space=pl.mm(8), keep_with_next=True))
        items += [_text(tr(link.label, language), "body", space=pl.mm(1.5), bullet="•",
                        indent=20) for link in unverified]
    return items


def qr_modules(url: str) -> list[list[bool]]:
    """The QR code of ``url`` (error correction M) as rows of dark modules, quiet zone included."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def qr_drawing(url: str, size: float = QR_SIZE) -> pl.Drawing:
    """The QR code of ``url`` as vector squares, ``size`` points wide: each row's dark runs are
    one rectangle, overlapping the next row a little so no hairline shows between rows."""
    matrix = qr_modules(url)
    module = size / len(matrix)

    def paint(canvas, x: float, y: float) -> None:
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                end = c
                while end < len(row) and row[end]:
                    end += 1
                below = r + 1 < len(matrix) and any(matrix[r + 1][c:end])
                canvas.rect(x + c * module, y + r * module, (end - c) * module,
                            module + (module * 0.1 if below else 0), fill=INK)
                c = end
    return pl.Drawing(size, paint)


def _footer(canvas, number: int, total: int, title: str, language: str) -> None:
    """A rule, then the lesson title (smaller, or on more lines, if it is very long) and
    "Trang n/N" at the page foot."""
    top = pl.PAGE_H - pl.MARGIN_BOTTOM + pl.mm(6)
    right = pl.PAGE_W - pl.MARGIN_X
    canvas.line(pl.MARGIN_X, top, right, top, 0.8)
    label = ui_text("handout.page", language, n=number, total=total)
    label_line = pl.wrap([(label, pl.font(SIZES["footer"], True))], pl.FRAME_W)[0]
    y = top + pl.mm(1.5)
    label_line.draw(canvas, right - label_line.width(), y)
    room = right - pl.MARGIN_X - label_line.width() - pl.mm(8)
    size = SIZES["footer"]
    lines = pl.wrap([(title, pl.font(size))], room)
    while len(lines) > 1 and size > FOOTER_MIN_PT or len(lines) > 3:
        size -= 0.5
        lines = pl.wrap([(title, pl.font(size))], room)
    for line in lines:
        line.draw(canvas, pl.MARGIN_X, y)
        y += line.height
