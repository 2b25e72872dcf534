"""The take-home guide: for every lesson and both languages a real A4 PDF (embedded Noto Sans,
extractable text, vector QR codes that open exactly the verified links, sharp phone pictures,
no step or warning box split across pages), under 300 KB; the printer gets the same pages."""

import re
import subprocess
import sys
import unicodedata
from dataclasses import replace

import pytest

from kiosk.guide import handout as ho
from kiosk.guide import layout as pl
from kiosk.cli import main
from kiosk.guide.handout import handout_document, handout_pages, write_handout
from kiosk.lessons import mockscreen
from kiosk.lessons.phone import text as phone_text
from kiosk.lessons.library import load_library
from kiosk.lessons.model import tr

TIMEOUT = 60
LANGUAGES = ("vi", "en")
MAX_BYTES = 300 * 1024


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True,
                          timeout=TIMEOUT).stdout


def squeeze(text: str) -> str:
    """``text`` NFC with every space and line break removed, to compare wrapped text."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def handouts(library, tmp_path_factory):
    """(lesson id, language) → (PDF path, pages reported) for every lesson in the library."""
    folder = tmp_path_factory.mktemp("handouts")
    made = {}
    for lesson in library.lessons:
        for language in LANGUAGES:
            path = folder / f"{lesson.id}-{language}.pdf"
            made[lesson.id, language] = path, write_handout(lesson, library, path,
                                                            language=language)
    return made


def each(library, handouts):
    for lesson in library.lessons:
        for language in LANGUAGES:
            yield lesson, language, *handouts[lesson.id, language]


def test_every_handout_is_a4_on_the_pages_it_reports_and_small(library, handouts):
    assert len(handouts) == 2 * len(library.lessons) >= 14
    for lesson, language, path, pages in each(library, handouts):
        info = run("pdfinfo", str(path))
        assert re.search(r"^Page size:.*\(A4\)", info, re.M), lesson.id
        assert pages >= 2
        assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) == pages
        assert path.stat().st_size < MAX_BYTES, (lesson.id, language, path.stat().st_size)


def test_every_handout_embeds_noto_sans_regular_and_bold(library, handouts):
    for lesson, language, path, _ in each(library, handouts):
        rows = run("pdffonts", str(path)).splitlines()[2:]
        names = sorted(row.split()[0].split("+")[-1] for row in rows)
        assert names == ["NotoSans", "NotoSansBold"], (lesson.id, language, rows)
        for row in rows:     # type, encoding, then emb sub uni: all "yes"
            assert row.split()[-5:-2] == ["yes", "yes", "yes"], row


def test_every_step_instruction_and_the_title_are_in_the_text_layer(library, handouts):
    for lesson, language, path, _ in each(library, handouts):
        text = squeeze(run("pdftotext", "-enc", "UTF-8", str(path), "-"))
        assert squeeze(tr(lesson.title, language)) in text
        for number, step in enumerate(lesson.steps, start=1):
            assert squeeze(tr(step.instruction, language)) in text, (lesson.id, language,
                                                                     number)
            if step.warning:
                assert squeeze(tr(step.warning, language)) in text
        for link in lesson.verified_links:
            assert squeeze(link.url) in text


def test_title_language_subject_and_author_are_in_the_metadata_and_it_is_tagged(library,
                                                                                handouts):
    for lesson, language, path, _ in each(library, handouts):
        info = run("pdfinfo", str(path))
        assert f"Title:           {tr(lesson.title, language)}" in info
        assert f"Subject:         {tr(lesson.purpose, language)}" in info
        assert re.search(r"^Author:\s+\S", info, re.M)
        assert re.search(r"^Tagged:\s+yes", info, re.M)
        assert f"/Lang ({language})".encode() in path.read_bytes()


def decoded_qr_codes(pdf, prefix) -> list[str]:
    """Every QR code zbarimg finds on the pages of ``pdf`` rendered in grey at 100 dpi (a
    module is then under 4 pixels wide: codes that decode here decode from any print), sorted."""
    run("pdftoppm", "-r", "100", "-gray", str(pdf), str(prefix))
    images = sorted(prefix.parent.glob(f"{prefix.name}-*.pgm"))
    result = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", *map(str, images)],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode in (0, 4), result.stderr      # 4: no code found at all
    return sorted(line for line in result.stdout.splitlines() if line)


def test_qr_codes_decode_to_exactly_the_verified_links(library, handouts, tmp_path):
    for lesson, language, path, _ in each(library, handouts):
        found = decoded_qr_codes(path, tmp_path / f"{lesson.id}-{language}")
        assert found == sorted(link.url for link in lesson.verified_links), (lesson.id,
                                                                             language)
    assert any(lesson.verified_links for lesson in library.lessons)
    assert any(not link.verified for lesson in library.lessons for link in lesson.links)


def test_qr_codes_are_vectors_and_the_only_images_are_sharp_phone_pictures(library, handouts):
    for lesson, language, path, _ in each(library, handouts):
        rows = [row.split() for row in run("pdfimages", "-list", str(path)).splitlines()[2:]]
        assert len(rows) == sum(1 for step in lesson.steps if step.screen or step.image)
        for row in rows:
            assert int(row[12]) >= 150 and int(row[13]) >= 150, row    # x-ppi, y-ppi


def smallest_phone_text_pt(library) -> float:
    """The smallest text the mock-screen renderer draws in any step of any lesson, in printed
    points once its picture is placed in the guide."""
    sizes = []
    original = phone_text._font

    def recording(size_px, bold):
        sizes.append(size_px)
        return original(size_px, bold)
    smallest = float("inf")
    phone_text._font = recording
    try:
        for lesson in library.lessons:
            for language in LANGUAGES:
                for step in lesson.steps:
                    if not step.screen:
                        continue
                    sizes.clear()
                    image, _ = mockscreen.render_screen(
                        step.screen, language=language, app_color="#37474f",
                        target=step.target, scale=ho.PICTURE_SCALE)
                    points_per_px = ho.PICTURE_H / image.height
                    smallest = min(smallest, min(sizes) * points_per_px)
    finally:
        phone_text._font = original
    return smallest


def test_the_smallest_words_in_a_phone_picture_print_at_9_pt_or_more(library):
    assert smallest_phone_text_pt(library) >= ho.MIN_PHONE_TEXT_PT == 9
    # the tab bar's labels, the renderer's smallest text, are covered whether a lesson has one
    assert ho.PHONE_SMALLEST_TEXT * ho.PICTURE_H / mockscreen.H >= 9


def test_no_step_no_warning_box_and_no_paragraph_is_split_across_pages(library, handouts):
    for lesson in library.lessons:
        for language in LANGUAGES:
            document = handout_document(lesson, library, language)
            pages = pl.paginate(document)
            assert len(pages) == handouts[lesson.id, language][1]
            # nothing at all is cut in two: not a paragraph, a problem's answer or a QR row
            assert sum(len(page.items) for page in pages) == len(document.items)
            steps = [item for page in pages for item in page.items
                     if isinstance(item, pl.Beside)]
            assert len(steps) == len(lesson.steps), (lesson.id, language)
            assert all(step.badge and step.picture for step in steps)
            for placed, step in zip(steps, lesson.steps):     # the size the 9 pt test assumes
                if step.screen:
                    assert placed.picture.picture_h == pytest.approx(ho.PICTURE_H)
            boxes = [part for step in steps for part in step.column.items
                     if isinstance(part, pl.Paragraph) and part.box]
            assert len(boxes) == sum(1 for step in lesson.steps if step.warning)
            assert all(page.height() <= pl.FRAME_H for page in pages)


def test_a_step_that_would_not_fit_below_others_moves_whole_to_the_next_page(library):
    lesson = library.lesson("etax-pay")
    long = " ".join(f"Câu số {n} nói thêm." for n in range(8))
    steps = [replace(step, warning={"vi": long, "en": long}) for step in lesson.steps]
    pages = pl.paginate(handout_document(replace(lesson, steps=steps), library, "vi"))
    placed = [item for page in pages for item in page.items if isinstance(item, pl.Beside)]
    assert len(placed) == len(steps) and all(step.badge for step in placed)
    assert all(step.height() > pl.FRAME_H / 2 for step in placed)    # no two fit one page


def test_long_text_flows_onto_more_pages_and_is_never_cut(library):
    lesson = library.lesson("vneid-activate")
    long = " ".join(f"Câu số {n} giải thích thêm về bước này, đọc kỹ nhé." for n in range(150))
    url = "https://vneid.gov.vn/" + "rat-dai-" * 40
    steps = [replace(lesson.steps[0], detail={"vi": long, "en": long}), *lesson.steps[1:]]
    longer = replace(lesson, steps=steps, problems=[{"problem": {"vi": url, "en": url},
                                                     "solution": {"vi": long, "en": long}}])
    normal_pages = pl.paginate(handout_document(lesson, library, "vi"))
    pages = pl.paginate(handout_document(longer, library, "vi"))
    assert len(pages) >= len(normal_pages) + 3
    assert all(page.height() <= pl.FRAME_H for page in pages)
    printed = "".join(line.text for page in pages for line in page.lines()).replace(" ", "")
    assert printed.count(long.replace(" ", "")) == 2
    assert url in printed


def test_a_word_wider_than_the_column_is_broken_not_cut():
    url = "https://dichvucong.gov.vn/" + "x" * 200
    lines = pl.wrap([(url, pl.font(14))], 300)
    assert len(lines) > 1 and "".join(line.text for line in lines) == url
    assert all(line.width() <= 300 for line in lines)


def test_the_printer_gets_the_same_pages_as_images_with_working_qr_codes(library, handouts,
                                                                          tmp_path):
    lesson = library.lesson("dichvucong-submit")
    images = handout_pages(lesson, library, "en")
    assert len(images) == handouts[lesson.id, "en"][1]
    assert all(image.size == (1654, 2339) and image.mode == "RGB" for image in images)
    images[-1].save(tmp_path / "last.png")
    result = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(tmp_path / "last.png")],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert sorted(result.stdout.split()) == sorted(link.url for link in lesson.verified_links)


def test_cli_writes_a_handout(tmp_path, data_dir, capsys):
    out = tmp_path / "guide.pdf"
    assert main(["handout", "safety-scams", "--out", str(out), "--lang", "vi"]) == 0
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(out)), re.M).group(1))
    assert f"{pages} pages" in capsys.readouterr().out


def test_cli_refuses_an_unknown_lesson_or_an_unwritable_path_plainly(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for lesson_id, out in (("no-such-lesson", tmp_path / "x.pdf"),
                           ("vneid-activate", blocker / "x.pdf")):
        result = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path),
                                 "handout", lesson_id, "--out", str(out)],
                                capture_output=True, text=True, timeout=TIMEOUT)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and result.stderr.strip()
        assert not out.exists()
