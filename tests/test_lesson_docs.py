"""The lesson documentation agrees with the lessons: sources list, format table, procedure."""

from pathlib import Path

from kiosk.lessons.library import load_library
from kiosk.lessons.sources_doc import sources_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_lesson_sources_page_is_generated_from_the_lessons():
    page = (DOCS / "lesson-sources.md").read_text(encoding="utf-8")
    assert page == sources_markdown(load_library()), (
        "run: python -m kiosk.lessons.sources_doc > docs/lesson-sources.md")


def test_every_source_url_of_every_lesson_is_listed():
    page = (DOCS / "lesson-sources.md").read_text(encoding="utf-8")
    for lesson in load_library().lessons:
        assert f"(`{lesson.id}`)" in page
        for source in lesson.sources:
            assert f"]({source.url})" in page, (lesson.id, source.id)


def test_the_format_and_checking_docs_name_the_fields_and_the_commands():
    fields = (DOCS / "lesson-format.md").read_text(encoding="utf-8")
    for name in ("`checked_on`", "`sources`", "official_domains.json", "`publisher`"):
        assert name in fields
    procedure = (DOCS / "checking-lessons.md").read_text(encoding="utf-8")
    for words in ("180 days", "kiosk lessons validate", "python -m kiosk.lessons.sources_doc",
                  "official_domains.json", "checked_on"):
        assert words in procedure


def test_the_readme_lists_every_bundled_lesson():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Lessons"):readme.index("## How the code is laid out")]
    for lesson in load_library().lessons:
        assert f"`{lesson.id}`" in section
