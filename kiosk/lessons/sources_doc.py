"""``docs/lesson-sources.md``: every bundled lesson's sources, written from the lesson files.

Regenerate after changing a lesson with ``python -m kiosk.lessons.sources_doc > docs/lesson-sources.md``;
a test fails while the file and the lessons disagree.
"""

from kiosk.lessons.check_age import STALE_AFTER_DAYS
from kiosk.lessons.library import Library, load_library

HEADER = f"""# Where each lesson's facts come from

Generated from the lesson files by `python -m kiosk.lessons.sources_doc`; do not edit by hand
(a test compares this page with the lessons). How to re-check a lesson: `checking-lessons.md`.
A lesson not checked for {STALE_AFTER_DAYS} days is flagged on the kiosk's admin screen and on the
hub's lessons page. Steps name the sources they follow in `lesson.json` (`"sources"` on a step).
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def sources_markdown(library: Library) -> str:
    """The whole page, one section per lesson in the kiosk's order."""
    parts = [HEADER]
    for lesson in library.lessons:
        app = library.apps.get(lesson.app)
        app_name = app.name["vi"] if app else lesson.app
        checked = lesson.checked_on.isoformat() if lesson.checked_on else "–"
        parts.append(f"\n## {lesson.title['vi']} (`{lesson.id}`)\n\n"
                     f"{lesson.title['en']}. App: {app_name}. Version {lesson.version}, "
                     f"{len(lesson.steps)} steps, checked on {checked}.\n\n"
                     "| id | source | publisher | checked | what it confirms |\n"
                     "|---|---|---|---|---|\n")
        for source in lesson.sources:
            steps = [str(n) for n, step in enumerate(lesson.steps, 1) if source.id in step.sources]
            used = f" Steps {', '.join(steps)}." if steps else ""
            parts.append(f"| `{source.id}` | [{_cell(source.title)}]({source.url}) | "
                         f"{_cell(source.publisher)} | {source.checked_on.isoformat()} | "
                         f"{_cell(source.note)}{used} |\n")
        verified = [link.url for link in lesson.verified_links]
        if verified:
            parts.append(f"\nQR codes: {', '.join(verified)}.\n")
    return "".join(parts)


if __name__ == "__main__":
    print(sources_markdown(load_library()), end="")
