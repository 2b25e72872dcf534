"""The city page: every ward side by side, for city staff only.

Each ward's column of numbers comes from ``reports.city_figures`` (the one query layer, DESIGN.md
lesson 12: the same summaries and figures as that ward's own ``ward_report``), read for every ward
at once; the last row is the whole city's. Only aggregates are shown.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from kiosk.hub.dashboard.render import (day, esc, moment, num_cell, percent, t, table,
                                        with_query)
from kiosk.hub.dashboard.report_view import SATISFACTION_TARGET
from kiosk.hub.reports import city_figures
from kiosk.core.journal import SERVICES, UNSOLVED_REASONS
from kiosk.reporting.figures import value_label

WARD_COLUMNS = ("points", "people_helped", "elderly_share", "services", "dossiers",
                "not_solved", "satisfaction", "target_met", "last_sync")  # catalogue dash.col.*


def city_comparison(engine: Engine, *, start: date, end: date) -> dict:
    """Per ward (by name) and for the whole city: the row of figures the city page shows,
    ``{"wards": {NAME: row}, "city": row}``; a row is ``{"points", "people_helped",
    "elderly_helped", "elderly_share", "services", "dossiers", "not_solved",
    "satisfaction_rate", "last_sync_at", "services_by_app", "unsolved_by_reason"}``.
    One read of the report summaries for every ward at once (``reports.city_figures``).
    Read-only."""
    with engine.connect() as connection:
        found = city_figures(connection, start=start, end=end)
    return {"wards": {name: _row(entry) for name, entry in found["wards"].items()},
            "city": _row(found["city"])}


def _row(entry: dict) -> dict:
    totals = entry["totals"]
    people, elderly = totals["people_helped"], totals["elderly_helped"]
    by_app = entry["by_app"]
    return {"points": len(entry["points"]), "people_helped": people,
            "elderly_helped": elderly, "elderly_share": elderly / people if people else None,
            "services": totals["services"],
            "dossiers": sum(counts["dossier_submitted"] for counts in by_app.values()),
            "not_solved": totals["not_solved"],
            "satisfaction_rate": totals["satisfaction_rate"],
            "last_sync_at": entry["last_sync_at"],
            "services_by_app": {app: counts["services"] for app, counts in by_app.items()},
            "unsolved_by_reason": dict(entry["unsolved_by_reason"])}


def city_body(comparison: dict, *, start: date, end: date, lang: str) -> str:
    """The city page: the period form and three tables (wards, services per app, unsolved)."""
    wards, city = comparison["wards"], comparison["city"]
    sub = t(lang, "city_period", start=day(start, lang), end=day(end, lang),
            target=percent(SATISFACTION_TARGET, lang))
    parts = [f'<h1>{esc(t(lang, "city_title"))}</h1>', _period_form(start, end, lang),
             f'<p class="period">{esc(sub)}</p>']
    named = sorted(wards.items())
    everyone = named + [(None, city)] if named else []
    parts.append(table(t(lang, "table.wards"),
                       [t(lang, "col.ward")] + [t(lang, f"col.{c}") for c in WARD_COLUMNS],
                       [_ward_cells(name, row, lang) for name, row in everyone], css="wards",
                       row_css=lambda index: "city" if index == len(named) else "",
                       empty=t(lang, "no_wards"), numeric=list(range(1, 8))))
    apps = [s for s in SERVICES if any(r["services_by_app"].get(s) for _, r in everyone)]
    parts.append(table(t(lang, "table.ward_apps"),
                       [t(lang, "col.ward")] + [value_label("service", s, lang) for s in apps],
                       [[_ward_head(name, lang)]
                        + [num_cell(f"ward.{name or '*'}.app.{s}",
                                    row["services_by_app"].get(s, 0), lang) for s in apps]
                        for name, row in everyone], css="apps", empty=t(lang, "no_data")))
    reasons = [r for r in UNSOLVED_REASONS if any(row["unsolved_by_reason"].get(r)
                                                  for _, row in everyone)]
    parts.append(table(t(lang, "table.ward_unsolved"),
                       [t(lang, "col.ward")] + [value_label("unsolved_reason", r, lang)
                                                for r in reasons],
                       [[_ward_head(name, lang)]
                        + [num_cell(f"ward.{name or '*'}.unsolved.{r}",
                                    row["unsolved_by_reason"].get(r, 0), lang) for r in reasons]
                        for name, row in everyone], empty=t(lang, "none_unsolved")))
    return "".join(parts)


def _ward_head(name: str | None, lang: str) -> str:
    return f'<th scope="row">{esc(name if name is not None else t(lang, "whole_city"))}</th>'


def _ward_cells(name: str | None, row: dict, lang: str) -> list[str]:
    key = f"ward.{name or '*'}"
    rate = row["satisfaction_rate"]
    met = None if rate is None else rate >= SATISFACTION_TARGET
    return [_ward_head(name, lang),
            *(num_cell(f"{key}.{c}", row[c], lang)
              for c in ("points", "people_helped")),
            f'<td class="num" data-k="{esc(key)}.elderly_share" data-v="{esc(row["elderly_share"])}">'
            f'{esc(percent(row["elderly_share"], lang))}</td>',
            *(num_cell(f"{key}.{c}", row[c], lang) for c in ("services", "dossiers",
                                                              "not_solved")),
            f'<td class="num" data-k="{esc(key)}.satisfaction_rate" data-v="{esc(rate)}">'
            f'{esc(percent(rate, lang))}</td>',
            f'<td class="{"" if met is None else ("good" if met else "bad")}">'
            f'{esc("" if met is None else t(lang, "yes" if met else "no"))}</td>',
            f"<td>{esc(moment(row['last_sync_at'], lang))}</td>"]


def _period_form(start: date, end: date, lang: str) -> str:
    return (f'<form class="filters" method="get" action="/dashboard/city">'
            f'<label>{esc(t(lang, "from"))}<input type="date" name="from" '
            f'value="{start.isoformat()}" required></label>'
            f'<label>{esc(t(lang, "to"))}<input type="date" name="to" '
            f'value="{end.isoformat()}" required></label>'
            f'<button type="submit">{esc(t(lang, "show"))}</button>'
            f'<a class="button secondary" href="'
            f'{esc(with_query("/dashboard", **{"from": start.isoformat(), "to": end.isoformat()}))}'
            f'">{esc(t(lang, "nav.dashboard"))}</a></form>')
