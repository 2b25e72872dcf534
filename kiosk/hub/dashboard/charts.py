"""The dashboard's two charts as inline SVG: activity over time, and services by app.

Drawn on the server from the same report the tables show, so a chart can never disagree with
its table; no script, no external file. Every text inside is escaped with ``esc``, so the
finished SVG is returned as ``Markup`` for the templates to include as it is. Each chart has a ``<title>`` and ``<desc>`` for screen
readers, and its numbers are in the tables beside it.
"""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup

from kiosk.hub.dashboard.render import esc, number, t
from kiosk.reporting.figures import column_label, value_label

BLUE, ORANGE, RED, GRID, INK = "#1f5fa8", "#d9822b", "#c0392b", "#d5dbe3", "#3a4452"
MAX_BARS = 62  # beyond that, days are grouped by week


def activity_chart(activity: list[dict], lang: str) -> Markup:
    """Sessions (bars) and self-guided lesson runs (line) per day, or per week when the period
    is longer than ``MAX_BARS`` days."""
    buckets = _buckets(activity)
    width, height, left, right, top, bottom = 760, 250, 44, 12, 30, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1] + [max(b["sessions"], b["lesson_runs"]) for b in buckets])
    scale = 4 * _nice(peak / 4)  # four grid steps, each a round whole number
    parts = [_svg_open(width, height, t(lang, "chart.activity"),
                       t(lang, "chart.activity_desc"))]
    parts += _grid(left, top, plot_w, plot_h, scale, lang)
    if not buckets:
        parts.append(f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
                     f'fill="{INK}" font-size="14">{esc(t(lang, "no_data"))}</text>')
    slot = plot_w / max(1, len(buckets))
    bar = max(2.0, slot * 0.62)
    points = []
    label_every = max(1, round(len(buckets) / 8))
    for index, bucket in enumerate(buckets):
        x = left + index * slot + (slot - bar) / 2
        h = plot_h * bucket["sessions"] / scale
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                     f'height="{h:.1f}" fill="{BLUE}"><title>{esc(bucket["label"])}: '
                     f'{bucket["sessions"]}</title></rect>')
        points.append((left + index * slot + slot / 2,
                       top + plot_h - plot_h * bucket["lesson_runs"] / scale))
        if index % label_every == 0:
            parts.append(f'<text x="{left + index * slot + slot / 2:.1f}" y="{height - 14}" '
                         f'text-anchor="middle" font-size="11" fill="{INK}">'
                         f'{esc(bucket["short"])}</text>')
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{ORANGE}" '
                     f'stroke-width="2.5" stroke-linejoin="round"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{ORANGE}"/>'
                  for x, y in points]
    parts.append(_legend(left, 8, [(BLUE, t(lang, "chart.sessions")),
                                   (ORANGE, t(lang, "chart.lesson_runs"))]))
    if len(buckets) and buckets[0].get("weekly"):
        parts.append(f'<text x="{width - right}" y="20" text-anchor="end" font-size="11" '
                     f'fill="{INK}">{esc(t(lang, "chart.per_week"))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # every text in it went through esc


def apps_chart(by_app: dict, lang: str) -> Markup:
    """Services per app as horizontal bars, the part not solved in red."""
    apps = [(name, values) for name, values in by_app.items() if values.get("services")]
    apps.sort(key=lambda item: -item[1]["services"])
    row_h, left, right, top = 30, 150, 56, 34
    width, height = 420, top + row_h * max(1, len(apps)) + 12
    plot_w = width - left - right
    peak = max([1] + [values["services"] for _, values in apps])
    parts = [_svg_open(width, height, t(lang, "chart.apps"), t(lang, "chart.apps_desc"))]
    parts.append(_legend(8, 8, [(BLUE, t(lang, "chart.services")),
                                (RED, column_label("not_solved", lang))]))
    if not apps:
        parts.append(f'<text x="{width / 2}" y="{top + 16}" text-anchor="middle" '
                     f'fill="{INK}" font-size="14">{esc(t(lang, "no_data"))}</text>')
    for index, (name, values) in enumerate(apps):
        y = top + index * row_h
        w = plot_w * values["services"] / peak
        red = plot_w * (values.get("not_solved") or 0) / peak
        name_label = _short(value_label("service", name, lang), 20)
        parts.append(f'<text x="{left - 8}" y="{y + row_h / 2 + 4}" text-anchor="end" '
                     f'font-size="13" fill="{INK}">{esc(name_label)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" '
                     f'fill="{BLUE}" rx="2"><title>{esc(name_label)}: {values["services"]}'
                     f"</title></rect>")
        if red:
            parts.append(f'<rect x="{left + w - red:.1f}" y="{y + 5}" width="{red:.1f}" '
                         f'height="{row_h - 10}" fill="{RED}"/>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + row_h / 2 + 4}" font-size="13" '
                     f'fill="{INK}">{esc(number(values["services"], lang))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # every text in it went through esc


def _buckets(activity: list[dict]) -> list[dict]:
    days = sorted(activity, key=lambda item: item["date"])
    if len(days) <= MAX_BARS:
        return [{"label": d["date"], "short": _short_day(d["date"]),
                 "sessions": d.get("sessions") or 0, "lesson_runs": d.get("lesson_runs") or 0}
                for d in days]
    weeks: dict[date, dict] = {}
    for item in days:
        when = date.fromisoformat(str(item["date"])[:10])
        monday = when - timedelta(days=when.weekday())
        entry = weeks.setdefault(monday, {"label": monday.isoformat(),
                                          "short": _short_day(monday.isoformat()),
                                          "sessions": 0, "lesson_runs": 0, "weekly": True})
        entry["sessions"] += item.get("sessions") or 0
        entry["lesson_runs"] += item.get("lesson_runs") or 0
    return [weeks[key] for key in sorted(weeks)]


def _short_day(value: str) -> str:
    found = date.fromisoformat(str(value)[:10])
    return f"{found.day:02d}/{found.month:02d}"


def _nice(peak: float) -> int:
    """The smallest 'round' whole number at or above ``peak`` (1, 2, 5 × 10ⁿ)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= peak:
                return step * factor
        step *= 10


def _grid(left, top, plot_w, plot_h, scale, lang) -> list[str]:
    parts = []
    for i in range(5):
        value = scale * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        if value == int(value):
            parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                         f'font-size="11" fill="{INK}">{esc(number(int(value), lang))}</text>')
    return parts


def _legend(x: float, y: float, entries: list[tuple[str, str]]) -> str:
    parts, offset = [], 0.0
    for colour, text in entries:
        parts.append(f'<rect x="{x + offset:.1f}" y="{y}" width="12" height="12" '
                     f'fill="{colour}" rx="2"/><text x="{x + offset + 17:.1f}" y="{y + 11}" '
                     f'font-size="12" fill="{INK}">{esc(text)}</text>')
        offset += 30 + 7.2 * len(text)
    return "".join(parts)


def _svg_open(width: int, height: int, title: str, desc: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'preserveAspectRatio="xMidYMid meet">'
            f"<title>{esc(title)}</title><desc>{esc(desc)}</desc>")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
