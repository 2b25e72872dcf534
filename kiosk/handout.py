"""The take-home guide ("cẩm nang") of a lesson: a printable A4 PDF a resident keeps at home.

Black text on white in the bundled Noto Sans, body text 16 pt: the title, why it is useful and
what to have ready; then every step with its number, instruction, detail, tip and warning beside
the mock phone picture (two or three steps a page); then common problems, what a help point
cannot do and where to go instead, and a QR code (with its address printed under it) for each
verified link only. Every page has the lesson title and "Trang n/N" in its footer. Pages are
laid out by ``kiosk.page_layout``, which flows long text onto the next page instead of cutting it.
"""

import os
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw

from kiosk import page_layout as pl
from kiosk.lessons.library import Library
from kiosk.lessons.mockscreen import H as PHONE_H, W as PHONE_W, render_screen
from kiosk.lessons.model import Lesson, Step, tr
from kiosk.locale import ui_text

SIZES = {"kicker": 14, "title": 26, "heading": 20, "instruction": 19, "body": 16, "url": 14,
         "footer": 12}
FOOTER_MIN_PT = 9                    # a longer title wraps rather than shrinking further
PICTURE_H = pl.mm(80)
PICTURE_W = round(PICTURE_H * PHONE_W / PHONE_H)
BADGE = pl.pt(34)                    # the diameter of a step's number disc
COLUMN_X = BADGE + pl.mm(5)          # where a step's text starts
GAP = pl.mm(7)                       # between a step's text and its picture
QR_SIZE, QR_PER_ROW = pl.mm(38), 3
DPI = pl.DPI


def write_handout(lesson: Lesson, library: Library, out_path: Path, *,
                  language: str = "vi") -> int:
    """Write the guide of ``lesson`` in ``language`` as a PDF at ``out_path`` and return its
    page count. The file appears whole or not at all (temporary file, then rename); its folder
    is created if missing. Raises ``OSError`` if the path cannot be written."""
    pages = handout_pages(lesson, library, language)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as file:
            pages[0].save(file, "PDF", save_all=True, append_images=pages[1:], resolution=DPI,
                          quality=92, subsampling=0, title=tr(lesson.title, language),
                          author=ui_text("app.name", language), creator="kiosk handout")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, out_path)
    finally:
        temporary.unlink(missing_ok=True)
    return len(pages)


def handout_pages(lesson: Lesson, library: Library, language: str) -> list[Image.Image]:
    """The guide's pages as white A4 RGB images at ``DPI``, footers included."""
    title = tr(lesson.title, language)
    return pl.render(pl.paginate(handout_document(lesson, library, language)),
                     lambda page, number, total: _footer(page, number, total, title, language))


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


def _text(text: str, size: str, width: int = pl.FRAME_W, *, bold: bool = False, space: int = 0,
          **options) -> pl.Paragraph:
    return pl.Paragraph.of([(text, pl.font(SIZES[size], bold))], width, space_before=space,
                           **options)


def _heading(text: str) -> pl.Paragraph:
    return _text(text, "heading", bold=True, space=pl.mm(8), keep_with_next=True)


def _cover(lesson: Lesson, library: Library, language: str) -> list[pl.Flowable]:
    """Kicker, title, purpose, time, what to bring, and the heading of the steps."""
    app = library.apps.get(lesson.app)
    kicker = ui_text("handout.kicker", language, app=tr(app.name, language) if app else lesson.app)
    minutes = ui_text("intro.minutes", language, n=lesson.minutes, steps=len(lesson.steps))
    items = [_text(kicker, "kicker", bold=True),
             _text(tr(lesson.title, language), "title", bold=True, space=pl.mm(2)),
             _text(tr(lesson.purpose, language), "body", space=pl.mm(3)),
             _text(minutes, "body", space=pl.mm(2))]
    if lesson.needs:
        items.append(_heading(ui_text("intro.needs", language)))
        items += [_text(tr(need, language), "body", space=pl.mm(1.5), bullet="•",
                        indent=pl.pt(20)) for need in lesson.needs]
    return items + [_heading(ui_text("handout.steps", language))]


def _step(step: Step, number: int, color: str, language: str) -> pl.Beside:
    """One step: its number disc, its texts in a column, its picture on the right."""
    picture = _illustration(step, color, language)
    width = pl.FRAME_W - COLUMN_X - ((PICTURE_W + GAP) if picture else 0)
    body = pl.font(SIZES["body"])
    strong = pl.font(SIZES["body"], bold=True)
    parts = [_text(tr(step.instruction, language), "instruction", width, bold=True)]
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
                     space_before=pl.mm(7))


def _badge(number: int):
    """A function drawing a black disc with the white step ``number`` at a step's top left."""
    def draw(page: Image.Image, x: int, y: int) -> None:
        canvas = ImageDraw.Draw(page)
        canvas.ellipse([x, y, x + BADGE, y + BADGE], fill=pl.INK)
        canvas.text((x + BADGE / 2, y + BADGE / 2), str(number), fill=pl.PAPER,
                    font=pl.font(SIZES["instruction"], bold=True), anchor="mm")
    return draw


def _illustration(step: Step, color: str, language: str) -> Image.Image | None:
    """The step's mock phone drawn at print size, or its own picture scaled to fit; ``None`` if
    it has neither (or its picture cannot be read)."""
    if step.screen:
        image, _ = render_screen(step.screen, language=language, app_color=color,
                                 target=step.target, scale=PICTURE_H / PHONE_H)
        return image
    if step.image:
        try:
            with Image.open(step.image) as source:
                image = source.convert("RGBA")
        except OSError:
            return None
        image.thumbnail((PICTURE_W, PICTURE_H), Image.Resampling.LANCZOS)
        return image
    return None


def _pairs(entries: list[dict], head: str, tail: str, title: str,
           language: str) -> list[pl.Flowable]:
    """A heading, then each entry's ``head`` in bold (bulleted) with its ``tail`` under it."""
    if not entries:
        return []
    items: list[pl.Flowable] = [_heading(title)]
    for entry in entries:
        items.append(_text(tr(entry[head], language), "body", bold=True, space=pl.mm(3),
                           bullet="•", indent=pl.pt(20), keep_with_next=True))
        items.append(_text(tr(entry[tail], language), "body", indent=pl.pt(20)))
    return items


def _links(lesson: Lesson, language: str) -> list[pl.Flowable]:
    """QR codes of the verified links, three to a row, each with its label and address; the
    labels of unverified links with a note to have a volunteer check them (no address)."""
    items: list[pl.Flowable] = []
    verified = lesson.verified_links
    if verified:
        items.append(_heading(ui_text("finish.qr", language)))
        cell_w = pl.FRAME_W // max(2, min(QR_PER_ROW, len(verified)))
        for start in range(0, len(verified), QR_PER_ROW):
            cells = [pl.Stack([pl.Picture(qr_image(link.url)),
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
                        indent=pl.pt(20)) for link in unverified]
    return items


def qr_image(url: str, size: int = QR_SIZE) -> Image.Image:
    """A crisp black-on-white QR code of ``url`` (with its quiet zone), about ``size`` pixels."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix)
    image = Image.new("L", (modules, modules), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    box = max(4, size // modules)
    return image.resize((modules * box, modules * box), Image.Resampling.NEAREST)


def _footer(page: Image.Image, number: int, total: int, title: str, language: str) -> None:
    """A rule, then the lesson title (smaller, or on more lines, if it is very long) and
    "Trang n/N" at the page foot."""
    canvas = ImageDraw.Draw(page)
    top = pl.PAGE_H - pl.MARGIN_BOTTOM + pl.mm(6)
    right = pl.PAGE_W - pl.MARGIN_X
    canvas.line([pl.MARGIN_X, top, right, top], fill=pl.INK, width=pl.pt(0.8))
    label = ui_text("handout.page", language, n=number, total=total)
    label_font = pl.font(SIZES["footer"], bold=True)
    y = top + pl.mm(1.5)
    label_line = pl.wrap([(label, label_font)], pl.FRAME_W)[0]
    label_line.draw(canvas, right - label_line.width(), y)
    room = right - pl.MARGIN_X - label_font.getlength(label) - pl.mm(8)
    size = SIZES["footer"]
    lines = pl.wrap([(title, pl.font(size))], room)
    while len(lines) > 1 and size > FOOTER_MIN_PT or len(lines) > 3:
        size -= 0.5
        lines = pl.wrap([(title, pl.font(size))], room)
    for line in lines:
        line.draw(canvas, pl.MARGIN_X, y)
        y += line.height
