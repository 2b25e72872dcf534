"""A lesson's step funnel as inline SVG, drawn on the server like the dashboard's charts.

One bar per step: its length is the runs that reached the step, its red end the runs that left
there without finishing, and on the right the "Cần người giúp" presses on that step. No script,
no external file; ``<title>`` and ``<desc>`` for screen readers; every number is also in the
funnel's table (``funnel_export``), so the chart can never say what the table does not.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from kiosk.hub.dashboard.render import number
from kiosk.hub.studio.funnel import Funnel
from kiosk.locale import ui_text

BLUE, RED, ORANGE, INK = "#1f5fa8", "#c0392b", "#b35c00", "#3a4452"
ROW, LEFT, TOP, WIDTH, HELP_W = 30, 78, 36, 760, 150


def funnel_chart(funnel: Funnel, language: str = "vi") -> Markup:
    """The funnel of ``funnel`` as an ``<svg>`` element, safe to put in a page as it is."""
    height = TOP + ROW * max(1, len(funnel.steps)) + 10
    plot_w = WIDTH - LEFT - HELP_W - 50
    peak = max([1] + [step.reached for step in funnel.steps])
    parts = [f'<svg class="chart funnel" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'preserveAspectRatio="xMidYMid meet"><title>{_t("chart_title", language)}'
             f'</title><desc>{_t("chart_desc", language)}</desc>',
             _legend(language)]
    if not funnel.steps:
        parts.append(f'<text x="{WIDTH / 2}" y="{TOP + 18}" text-anchor="middle" '
                     f'font-size="14" fill="{INK}">{_t("no_runs", language)}</text>')
    for index, step in enumerate(funnel.steps):
        parts.append(_row(step, TOP + index * ROW, plot_w, peak, language))
    parts.append("</svg>")
    return Markup("".join(parts))


def _row(step, y: float, plot_w: float, peak: int, language: str) -> str:
    """One step's label, bar (blue, its red end the runs that left here), count and help."""
    reached_w = plot_w * step.reached / peak
    left_w = plot_w * step.left / peak
    middle = y + ROW / 2 + 4
    name = escape(f'{ui_text("funnel.step", language)} {step.step}')
    row = [f'<text x="{LEFT - 8}" y="{middle}" text-anchor="end" font-size="13" '
           f'fill="{INK}">{name}</text>',
           f'<rect x="{LEFT}" y="{y + 5}" width="{reached_w:.1f}" height="{ROW - 10}" '
           f'fill="{BLUE}" rx="2"><title>{name}: {step.reached}</title></rect>']
    if left_w:
        row.append(f'<rect x="{LEFT + reached_w - left_w:.1f}" y="{y + 5}" '
                   f'width="{left_w:.1f}" height="{ROW - 10}" fill="{RED}">'
                   f'<title>{_t("left", language)}: {step.left}</title></rect>')
    row.append(f'<text x="{LEFT + reached_w + 6:.1f}" y="{middle}" font-size="13" '
               f'fill="{INK}">{escape(number(step.reached, language))}</text>')
    if step.help_presses:
        help_text = ui_text("funnel.chart_help", language,
                            count=number(step.help_presses, language))
        row.append(f'<text x="{WIDTH - 8}" y="{middle}" text-anchor="end" font-size="13" '
                   f'fill="{ORANGE}">{escape(help_text)}</text>')
    return "".join(row)


def _legend(language: str) -> str:
    parts, offset = [], 8.0
    for colour, key in ((BLUE, "reached"), (RED, "left")):
        text = ui_text(f"funnel.{key}", language)
        parts.append(f'<rect x="{offset:.1f}" y="8" width="12" height="12" fill="{colour}" '
                     f'rx="2"/><text x="{offset + 17:.1f}" y="19" font-size="12" '
                     f'fill="{INK}">{escape(text)}</text>')
        offset += 30 + 7.2 * len(text)
    return "".join(parts)


def _t(key: str, language: str) -> Markup:
    return escape(ui_text(f"funnel.{key}", language))
