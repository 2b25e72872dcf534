"""The report behind the dashboard and its downloads, from the one query layer.

``load_report`` and ``download`` both call ``kiosk.hub.reports`` with the same filters, and the
files are written by ``kiosk.hub.report_export`` (the same writers as ``kiosk-hub report``), so
the page, the CSV, the XLSX and the JSON cannot disagree (DESIGN.md lesson 12).
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from fastapi.responses import Response
from sqlalchemy import Engine

from kiosk.hub.dashboard.report_view import Filters

PACKAGE_DIR = Path(__file__).resolve().parent
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json; charset=utf-8"}


def load_report(engine: Engine, filters: Filters, ward: str | None = None) -> dict:
    """``ward_report`` for ``filters`` within ``ward`` (``None``: the city; read-only)."""
    from kiosk.hub.reports import ward_report

    with engine.connect() as connection:
        return ward_report(connection, start=filters.start, end=filters.end,
                           point=filters.point, ward=ward)


def export_bytes(engine: Engine, filters: Filters, fmt: str, lang: str = "vi",
                 ward: str | None = None) -> bytes:
    """The report for ``filters`` within ``ward`` (``None``: the city) as a ``fmt`` file
    (``csv``, ``xlsx`` or ``json``), its headings in ``lang``.

    Raises ``KeyError`` for another format."""
    from kiosk.hub import report_export
    from kiosk.hub.reports import report_rows, ward_report

    if fmt not in FORMATS:
        raise KeyError(fmt)
    bounds = {"start": filters.start, "end": filters.end, "point": filters.point, "ward": ward}
    with engine.connect() as connection:
        report = ward_report(connection, **bounds)
        if fmt == "json":
            return report_export.to_json(report).encode("utf-8")
        out = io.BytesIO()
        writer = report_export.to_csv if fmt == "csv" else report_export.to_xlsx
        writer(report, report_rows(connection, **bounds), out, language=lang)
    return out.getvalue()


def download(engine: Engine, filters: Filters, fmt: str, lang: str = "vi",
             ward: str | None = None) -> Response:
    """The file as an attachment named after the period and help point."""
    return Response(export_bytes(engine, filters, fmt, lang, ward), media_type=FORMATS[fmt],
                    headers={"Content-Disposition":
                             f'attachment; filename="{file_name(filters, fmt)}"'})


def file_name(filters: Filters, fmt: str) -> str:
    """``bao-cao-2025-06-01_2025-06-30[-nha-van-hoa-to-5].xlsx``: plain ASCII, safe anywhere."""
    point = ""
    if filters.point:
        flat = unicodedata.normalize("NFKD", filters.point.replace("đ", "d").replace("Đ", "D"))
        words = "".join(c.lower() if c.isascii() and c.isalnum() else " " for c in flat
                        if not unicodedata.combining(c)).split()
        point = ("-" + "-".join(words))[:60] if words else ""
    return f"bao-cao-{filters.start.isoformat()}_{filters.end.isoformat()}{point}.{fmt}"
