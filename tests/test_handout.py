"""The take-home guide: a real A4 PDF per lesson whose QR codes open exactly its verified links."""

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from kiosk import page_layout as pl
from kiosk.cli import main
from kiosk.handout import handout_document, write_handout
from kiosk.lessons.library import load_library

TIMEOUT = 60


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def handouts(library, tmp_path_factory):
    """lesson id → (PDF path, pages reported) for every bundled lesson, in Vietnamese."""
    folder = tmp_path_factory.mktemp("handouts")
    return {lesson.id: (folder / f"{lesson.id}.pdf",
                        write_handout(lesson, library, folder / f"{lesson.id}.pdf"))
            for lesson in library.lessons}


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True,
                          timeout=TIMEOUT).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def to_png(path, out_prefix, dpi: int) -> list:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(out_prefix)], check=True,
                   capture_output=True, timeout=TIMEOUT)
    return sorted(out_prefix.parent.glob(f"{out_prefix.name}-*.png"))


def test_every_lesson_prints_on_the_pages_its_layout_says(library, handouts, tmp_path):
    for lesson in library.lessons:
        path, pages = handouts[lesson.id]
        assert pages >= 2
        assert pages == pdf_pages(path) == len(pl.paginate(handout_document(lesson, library,
                                                                            "vi")))
        images = to_png(path, tmp_path / lesson.id, 50)
        assert len(images) == pages
        assert "A4" in subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                                      timeout=TIMEOUT).stdout


def decoded_qr_codes(pdf, prefix) -> list[str]:
    """Every QR code zbarimg finds on the pages of ``pdf`` rendered at 150 dpi, sorted."""
    images = to_png(pdf, prefix, 150)
    result = subprocess.run(["zbarimg", "-q", "--raw", *map(str, images)],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode in (0, 4), result.stderr      # 4: no code found at all
    return sorted(line for line in result.stdout.splitlines() if line)


def test_qr_codes_decode_to_exactly_the_verified_links(library, handouts, tmp_path):
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = dict(zip(handouts, pool.map(lambda lesson_id: decoded_qr_codes(
            handouts[lesson_id][0], tmp_path / lesson_id), handouts)))
    for lesson in library.lessons:
        assert found[lesson.id] == sorted(link.url for link in lesson.verified_links), lesson.id
    assert any(not link.verified for lesson in library.lessons for link in lesson.links)


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


def test_english_handout(library, tmp_path):
    lesson = library.lesson("dichvucong-submit")
    pages = write_handout(lesson, library, tmp_path / "en" / "guide.pdf", language="en")
    assert pages >= 2 and pdf_pages(tmp_path / "en" / "guide.pdf") == pages


def test_cli_writes_a_handout(tmp_path, data_dir, capsys):
    out = tmp_path / "guide.pdf"
    assert main(["handout", "safety-scams", "--out", str(out), "--lang", "vi"]) == 0
    assert f"{pdf_pages(out)} pages" in capsys.readouterr().out


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
