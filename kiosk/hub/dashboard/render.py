"""How the dashboard's pages are drawn: Jinja2 templates (``templates/``) with autoescape on,
and the formatting helpers the templates call (numbers, percentages, dates, labels).

Every value a template prints is escaped by Jinja2 unless it is ``Markup`` (the SVG charts of
``charts``, built from escaped parts), so nothing a kiosk sent or a visitor typed can become
markup. Pages use no JavaScript, no inline styles and nothing from outside this hub: the
Content-Security-Policy of ``web`` forbids all three, so the dashboard works with no internet.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from kiosk.lessons.model import tr
from kiosk.locale import ui_text
from kiosk.reporting.figures import VIETNAM, column_label, report_label, value_label

NAV = (("dashboard", "/dashboard", False), ("studio", "/studio", False),
       ("city", "/dashboard/city", False),
       ("kiosks", "/dashboard/kiosks", False),
       ("lessons", "/dashboard/lessons", False), ("import", "/dashboard/import", True))
CITY_ONLY = {"city"}  # pages a ward's account does not have


def esc(value) -> str:
    """``value`` as HTML text (for the SVG charts, which are built outside templates)."""
    return html.escape("" if value is None else str(value), quote=True)


def t(lang: str, key: str, **values) -> str:
    """The dashboard label ``dash.<key>`` in ``lang`` (the catalogue, ``kiosk.locale``), with
    ``{name}`` filled in; ``count=n`` picks the plural form of a counted label."""
    return ui_text(f"dash.{key}", lang, **values)


def number(value, lang: str) -> str:
    """An integer with the thousands separator of ``lang`` (1.234 in Vietnamese, 1,234 in
    English); a dash for ``None``."""
    if value is None:
        return "–"
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "vi" else text


def percent(rate, lang: str) -> str:
    """``0.935`` as ``93,5%`` (vi) or ``93.5%`` (en), ``0.9`` as ``90%``; a dash for
    ``None``."""
    if rate is None:
        return "–"
    text = f"{rate * 100:.1f}".removesuffix(".0") + "%"
    return text.replace(".", ",") if lang == "vi" else text


def day(value: date | str | None, lang: str) -> str:
    """A date as ``31/12/2025`` (vi) or ``2025-12-31`` (en); a dash for nothing."""
    if value is None or value == "":
        return "–"
    found = date.fromisoformat(str(value)[:10])
    return found.strftime("%d/%m/%Y") if lang == "vi" else found.isoformat()


def moment(value: str | None, lang: str) -> str:
    """A stored UTC time shown in Vietnam's time (as the exports show it), to the minute; plain
    text (the template escapes it), the stored text itself if it is not a time."""
    if not value:
        return t(lang, "never")
    try:
        local = datetime.fromisoformat(value).astimezone(VIETNAM)
    except ValueError:
        return value
    return local.strftime("%d/%m/%Y %H:%M") if lang == "vi" else local.strftime("%Y-%m-%d %H:%M")


def with_query(path: str, **params) -> str:
    """``path`` with the non-empty ``params`` as its query string."""
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(clean)}" if clean else path


def raw(value) -> str:
    """A figure's raw value for a ``data-v`` attribute: empty for ``None``."""
    return "" if value is None else str(value)


# The dashboard's templates, then the lesson studio's (kiosk/hub/studio/templates).
ENV = Environment(loader=ChoiceLoader([PackageLoader("kiosk.hub.dashboard", "templates"),
                                       PackageLoader("kiosk.hub.studio", "templates")]),
                  autoescape=True,
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
ENV.globals.update(t=t, number=number, percent=percent, day=day, moment=moment,
                   with_query=with_query, report_label=report_label, value_label=value_label,
                   column_label=column_label, tr=tr, NAV=NAV, CITY_ONLY=CITY_ONLY)
ENV.filters["raw"] = raw


def render(name: str, **values) -> str:
    """The template ``name`` filled with ``values`` (escaped unless ``Markup``)."""
    return ENV.get_template(name).render(**values)
