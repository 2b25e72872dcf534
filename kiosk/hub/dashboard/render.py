"""HTML building blocks of the dashboard: the page frame, tables, tiles, numbers and dates.

Every text that comes from data or from the visitor goes through ``esc`` (``html.escape``), so
nothing a kiosk sent or a visitor typed can become markup. Pages use no JavaScript, no inline
styles and nothing from outside this hub: the Content-Security-Policy of ``routes`` forbids all
three, so the dashboard works on a ward PC with no internet.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Iterable, Sequence
from urllib.parse import urlencode

from kiosk.locale import ui_text
from kiosk.reporting.figures import VIETNAM

NAV = (("dashboard", "/dashboard", False), ("city", "/dashboard/city", False),
       ("kiosks", "/dashboard/kiosks", False), ("lessons", "/dashboard/lessons", False),
       ("import", "/dashboard/import", True))
CITY_ONLY = {"city"}  # pages a ward's account does not have


def esc(value) -> str:
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
    if value is None or value == "":
        return "–"
    found = date.fromisoformat(str(value)[:10])
    return found.strftime("%d/%m/%Y") if lang == "vi" else found.isoformat()


def moment(value: str | None, lang: str) -> str:
    """A stored UTC time shown in Vietnam's time (as the exports show it), to the minute."""
    if not value:
        return t(lang, "never")
    try:
        local = datetime.fromisoformat(value).astimezone(VIETNAM)
    except ValueError:
        return esc(value)
    return local.strftime("%d/%m/%Y %H:%M") if lang == "vi" else local.strftime("%Y-%m-%d %H:%M")


def num_cell(key: str, value, lang: str, *, tag: str = "td") -> str:
    """A table cell showing ``value`` with its raw value in ``data-k``/``data-v`` attributes,
    so tests (and anyone checking) can compare the page with the exports exactly."""
    raw = "" if value is None else value
    css = "num zero" if value == 0 else "num"
    return (f'<{tag} class="{css}" data-k="{esc(key)}" data-v="{esc(raw)}">'
            f"{esc(number(value, lang))}</{tag}>")


def table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], *,
          css: str = "", empty: str = "", numeric: Iterable[int] | None = None,
          row_css=None) -> str:
    """A table; ``rows`` are lists of ready cell HTML (``<td>…</td>``). The headers of the
    ``numeric`` columns (default: all but the first) are aligned right, like their numbers.
    ``row_css(index)`` gives a row its class (e.g. a total row)."""
    right = set(range(1, len(headers)) if numeric is None else numeric)
    head = "".join(f'<th scope="col"{" class=num" if i in right else ""}>{esc(h)}</th>'
                   for i, h in enumerate(headers))
    body = "".join(_row_start(row_css(index) if row_css else "") + "".join(cells) + "</tr>"
                   for index, cells in enumerate(rows))
    if not body and empty:
        body = f'<tr><td colspan="{len(headers)}" class="empty">{esc(empty)}</td></tr>'
    return (f'<table class="{esc(css)}"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _row_start(css: str) -> str:
    return f'<tr class="{esc(css)}">' if css else "<tr>"


def tile(title: str, key: str, value_html: str, raw, note: str = "", *, css: str = "") -> str:
    return (f'<div class="tile {esc(css)}"><div class="tile-title">{esc(title)}</div>'
            f'<div class="tile-value" data-k="{esc(key)}" '
            f'data-v="{esc("" if raw is None else raw)}">'
            f'{value_html}</div><div class="tile-note">{note}</div></div>')


def with_query(path: str, **params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(clean)}" if clean else path


def page(*, lang: str, title: str, body: str, user=None, csrf: str = "", active: str = "",
         here: str = "/dashboard", query: dict | None = None, printable: bool = False) -> str:
    """A whole HTML document. ``here`` and ``query`` make the language switch keep the page
    and its filters; ``printable`` leaves out the navigation (the meeting print-out)."""
    other = "en" if lang == "vi" else "vi"
    switch = (f'<a class="lang" href="{esc(with_query(here, **{**(query or {}), "lang": other}))}"'
              f' hreflang="{other}" lang="{other}">{esc(t(lang, "other_language"))}</a>')
    header = "" if printable else _header(lang, user, csrf, active, switch)
    classes = "print" if printable else "screen"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="referrer" content="same-origin">'
            f"<title>{esc(title)} · {esc(t(lang, 'product'))}</title>"
            f'<link rel="stylesheet" href="/dashboard/static/hub.css"></head>'
            f'<body class="{classes}">{header}<main>{body}</main></body></html>')


def _header(lang: str, user, csrf: str, active: str, switch: str) -> str:
    if user is None:
        return (f'<header class="bar"><div class="brand">{esc(t(lang, "product"))}</div>'
                f'<nav class="tools">{switch}</nav></header>')
    links = "".join(
        f'<a href="{href}"{" class=active aria-current=page" if name == active else ""}>'
        f"{esc(t(lang, 'nav.' + name))}</a>"
        for name, href, admin_only in NAV if (user.is_admin or not admin_only)
        and (getattr(user, "ward", None) is None or name not in CITY_ONLY))
    role = t(lang, f"role.{user.role}")
    ward = getattr(user, "ward", None)
    role += f" · {ward if ward is not None else t(lang, 'whole_city')}"
    return (f'<header class="bar"><div class="brand">{esc(t(lang, "product"))}</div>'
            f'<nav class="main">{links}</nav><div class="tools">'
            f'<span class="who">{esc(user.name)} · {esc(role)}</span>{switch}'
            f'<form method="post" action="/signout" class="inline">'
            f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
            f'<button type="submit" class="link">{esc(t(lang, "sign_out"))}</button></form>'
            f"</div></header>")


def notice(text: str, kind: str = "info") -> str:
    return f'<p class="notice {esc(kind)}" role="status">{esc(text)}</p>'


def hidden_csrf(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{esc(csrf)}">'
