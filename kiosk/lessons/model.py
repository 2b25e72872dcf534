"""The lesson model: what a validated ``lesson.json`` becomes. Plain data, no behaviour.

A ``Text`` is a dict with one string per language (``{"vi": ..., "en": ...}``).
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

Text = dict[str, str]


def tr(text: Text | None, language: str) -> str:
    """The text in ``language``, falling back to Vietnamese; empty for no text."""
    if not text:
        return ""
    return text.get(language) or text.get("vi", "")


@dataclass(frozen=True)
class Step:
    instruction: Text
    detail: Text | None = None
    tip: Text | None = None
    warning: Text | None = None
    screen: dict | None = None
    image: Path | None = None
    target: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """Where a lesson's facts come from: an official guide or a named news article."""
    id: str
    title: str
    publisher: str
    url: str
    checked_on: date
    note: str = ""


@dataclass(frozen=True)
class Link:
    id: str
    label: Text
    url: str
    verified: bool


@dataclass(frozen=True)
class App:
    id: str
    name: Text
    color: str
    order: int


@dataclass(frozen=True)
class Lesson:
    id: str
    version: str
    app: str
    title: Text
    purpose: Text
    minutes: int
    needs: list[Text]
    steps: list[Step]
    folder: Path
    problems: list[dict] = field(default_factory=list)
    elsewhere: list[dict] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    checked_on: date | None = None

    @property
    def verified_links(self) -> list[Link]:
        return [link for link in self.links if link.verified]

    def days_since_checked(self, today: date | None = None) -> int | None:
        """Whole days since the lesson was last checked against its sources (``None``: never)."""
        if self.checked_on is None:
            return None
        return ((today or date.today()) - self.checked_on).days


def lesson_from_document(doc: dict, folder: Path) -> Lesson:
    """Build a ``Lesson`` from a document that has passed validation."""
    steps = [Step(instruction=s["instruction"], detail=s.get("detail"), tip=s.get("tip"),
                  warning=s.get("warning"), screen=s.get("screen"),
                  image=folder / s["image"] if s.get("image") else None, target=s.get("target"),
                  sources=tuple(s.get("sources", ())))
             for s in doc["steps"]]
    sources = [Source(id=x["id"], title=x["title"], publisher=x["publisher"], url=x["url"],
                      checked_on=date.fromisoformat(x["checked_on"]), note=x.get("note", ""))
               for x in doc.get("sources", [])]
    checked = doc.get("checked_on")
    links = [Link(id=l["id"], label=l["label"], url=l["url"], verified=l["verified"])
             for l in doc.get("links", [])]
    return Lesson(id=doc["id"], version=str(doc["version"]), app=doc["app"], title=doc["title"],
                  purpose=doc["purpose"], minutes=doc["minutes"], needs=doc["needs"], steps=steps,
                  folder=folder, problems=doc.get("problems", []),
                  elsewhere=doc.get("elsewhere", []), links=links, sources=sources,
                  checked_on=date.fromisoformat(checked) if checked else None)
