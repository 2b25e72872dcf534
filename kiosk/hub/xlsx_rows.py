"""A workbook's long sheet streamed as XML rows, straight into the XLSX file.

XlsxWriter makes the workbook (formats, the summary sheet, charts, the long sheet's header), but
its per-cell path (checks, a cell object, XML escaping call by call) took most of a ward's year:
about 190 µs a line. ``stream_rows`` puts the long sheet's lines in itself instead, while it
copies the rest of XlsxWriter's file: each line is one string of ``<c>`` elements, numbers as
they are, dates as Excel serial days with XlsxWriter's date style, every text an inline string
(``t="inlineStr"``) — never a formula: no ``<f>`` element is ever written, and each text is
``report_layout.safe_text`` too, so it stays harmless once copied to another program. Texts
repeat (labels, point names), so their escaped XML is remembered, up to ``CACHE`` of them.
Memory stays bounded: lines go to the zip member ``FLUSH`` at a time.
"""

from __future__ import annotations

import math
import re
import zipfile
from datetime import date, datetime
from typing import IO, Iterable
from xml.sax.saxutils import escape

from kiosk.hub.report_layout import safe_text

CACHE = 20_000
FLUSH = 500
_EPOCH = datetime(1899, 12, 30)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_COLUMNS = [_column_name(index) for index in range(64)]


class RowXml:
    """Turns a line of values into one ``<row>`` of SpreadsheetML. ``date_style`` and
    ``datetime_style`` are the workbook's cell style (xf) indexes for those values."""

    def __init__(self, date_style: int, datetime_style: int):
        self._styles = (date_style, datetime_style)
        self._texts: dict[str, str] = {}

    def row(self, number: int, values: list) -> str:
        """The XML of line ``number`` (counted from 0) holding ``values``; ``None`` is empty."""
        at = str(number + 1)
        cells = []
        for column, value in enumerate(values):
            if value is None:
                continue
            kind = value.__class__
            ref = _COLUMNS[column] + at
            if kind is int or (kind is float and math.isfinite(value)):
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
            elif kind is str:
                cells.append(f'<c r="{ref}" t="inlineStr">{self._text(value)}</c>')
            elif isinstance(value, (date, datetime)):
                cells.append(self._moment(ref, value))
            else:
                cells.append(f'<c r="{ref}" t="inlineStr">{self._text(str(value))}</c>')
        return f'<row r="{at}">{"".join(cells)}</row>'

    def _text(self, value: str) -> str:
        found = self._texts.get(value)
        if found is None:
            clean = _NOT_XML.sub("\ufffd", safe_text(value))
            found = f'<is><t xml:space="preserve">{escape(clean)}</t></is>'
            if len(self._texts) < CACHE:
                self._texts[value] = found
        return found

    def _moment(self, ref: str, value: date) -> str:
        if isinstance(value, datetime):
            moment = value.replace(tzinfo=None) - _EPOCH
            serial = moment.days + moment.seconds / 86400 + moment.microseconds / 8.64e10
            return f'<c r="{ref}" s="{self._styles[1]}"><v>{serial!r}</v></c>'
        return f'<c r="{ref}" s="{self._styles[0]}"><v>{(value - _EPOCH.date()).days}</v></c>'


def stream_rows(source: IO[bytes], member: str, lines: Iterable[str], out) -> None:
    """Copy the XLSX file ``source`` to ``out`` (a path or a binary stream), with ``lines``
    (``RowXml.row`` strings) added at the end of worksheet ``member``'s data. The sheet's
    ``<dimension>`` (optional, and wrong once lines are added) is left out."""
    with zipfile.ZipFile(source) as old, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename != member:
                new.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            head, tail = data.decode("utf-8").split("</sheetData>", 1)
            with new.open(member, "w", force_zip64=True) as stream:
                stream.write(_DIMENSION.sub("", head, count=1).encode("utf-8"))
                batch = []
                for line in lines:
                    batch.append(line)
                    if len(batch) >= FLUSH:
                        stream.write("".join(batch).encode("utf-8"))
                        batch = []
                stream.write(("".join(batch) + "</sheetData>" + tail).encode("utf-8"))
