"""The admin pages: kiosks and enrollment codes, lesson packs, USB bundle import.

Each action calls the same function as the ``kiosk-hub`` command (``devices.make_code``,
``packs.publish``, ``imports.import_bundles``), so the browser and the command line cannot
behave differently. Pages for viewers show the lists without the forms; the routes refuse a
viewer's POST whatever the page showed.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from kiosk.hub.dashboard.render import (esc, hidden_csrf, moment, notice, number, t, table)
from kiosk.hub.devices import device_rows
from kiosk.hub.wards import list_wards
from kiosk.lessons.library import LESSON_FILE, lesson_folders
from kiosk.locale import catalogue
from kiosk.reporting.figures import report_label

MAX_ZIP_MEMBERS = 5000
MAX_ZIP_BYTES = 300 * 1024 * 1024  # inflated: refuses zip bombs


class UploadError(ValueError):
    """An uploaded file cannot be used; ``key`` is the catalogue label (``dash.<key>``) saying why."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(key)


def kiosks_body(engine, lang: str, csrf: str, *, admin: bool, made: dict | None = None,
                error: str | None = None, ward: str | None = None) -> str:
    """The kiosks page: the code just made (if any), the form (admins) and every device of
    ``ward`` (``None``: a city account, which also chooses the new point's ward)."""
    devices = device_rows(engine, ward=ward)
    parts = [f'<h1>{esc(t(lang, "nav.kiosks"))}</h1>']
    if error:
        parts.append(notice(t(lang, error), "bad"))
    if made:
        intro = (t(lang, "reenroll_done", device=made["device_id"], point=made["point"])
                 if made.get("device_id") else t(lang, "code_for", point=made["point"]))
        parts.append(f'<section class="code-made" role="status">'
                     f'<p>{esc(intro)}</p>'
                     f'<p class="code" data-k="code">{esc(made["code"])}</p>'
                     f'<p>{esc(t(lang, "code_expires", when=moment(made["expires_at"], lang)))}'
                     f"</p></section>")
    if admin:
        points = sorted({row["point"] for row in devices if row["point"]})
        options = "".join(f'<option value="{esc(p)}"></option>' for p in points)
        parts.append(
            f'<form class="card" method="post" action="/dashboard/kiosks">{hidden_csrf(csrf)}'
            f'{_card_heading(lang, "new_code")}'
            f'<label>{esc(t(lang, "point"))}<input name="point" list="points" required '
            f'maxlength="120"></label><datalist id="points">{options}</datalist>'
            + ("" if ward is not None else _ward_field(engine, lang)) +
            f'<label>{esc(t(lang, "valid_hours"))}<input name="hours" type="number" min="1" '
            f'max="168" value="24" required></label>'
            f'<button type="submit">{esc(t(lang, "make_code"))}</button></form>')
    rows = [[f"<td>{esc(row['point'] or report_label('no_point', lang))}</td>",
             f'<td class="mono">{esc(row["device_id"])}</td>',
             f"<td>{esc(t(lang, 'yes') if row['enrolled'] else t(lang, 'usb_only'))}</td>",
             f"<td>{esc(moment(row['last_seen_at'], lang))}</td>",
             f'<td class="num{" warn" if row.get("unsent") else ""}">'
             f"{esc(number(row.get('unsent'), lang))}</td>",
             f'<td class="{"warn" if row["clock_off"] else ""}">'
             f"{esc(_clock(row, lang))}</td>"] + ([_reenroll_cell(row, lang, csrf)] if admin else [])
            for row in devices]
    headers = [t(lang, "col.point"), t(lang, "col.device"), t(lang, "col.enrolled"),
               t(lang, "col.last_seen"), t(lang, "col.unsent"), t(lang, "col.clock")]
    parts.append(table(t(lang, "devices"), headers + ([t(lang, "col.reenroll")] if admin else []),
                       rows, css="devices", empty=t(lang, "no_devices"), numeric=[4]))
    return "".join(parts)


def _ward_field(engine, lang: str) -> str:
    """A city admin's choice of ward for a new point (empty: its ward, or the only one)."""
    options = "".join(f'<option value="{esc(w["name"])}"></option>' for w in list_wards(engine))
    return (f'<label>{esc(t(lang, "ward"))} <small>{esc(t(lang, "ward_hint"))}</small>'
            f'<input name="ward" list="wards" maxlength="120"></label>'
            f'<datalist id="wards">{options}</datalist>')


def _reenroll_cell(row: dict, lang: str, csrf: str) -> str:
    """An admin's button revoking a kiosk and making a code bound to it."""
    return (f'<td><form method="post" action="/dashboard/kiosks/reenroll">{hidden_csrf(csrf)}'
            f'<input type="hidden" name="device_id" value="{esc(row["device_id"])}">'
            f'<button type="submit" title="{esc(t(lang, "reenroll_hint"))}">'
            f'{esc(t(lang, "reenroll"))}</button></form></td>')


def _card_heading(lang: str, key: str) -> str:
    """A form's heading and hint: labels ``<key>_title`` and ``<key>_hint``."""
    return (f'<h2>{esc(t(lang, key + "_title"))}</h2>'
            f'<p class="hint">{esc(t(lang, key + "_hint"))}</p>')


def _clock(row: dict, lang: str) -> str:
    offset = row.get("clock_offset_s")
    if offset is None:
        return "–"
    return t(lang, "clock_off", s=number(abs(round(offset)), lang)) if row["clock_off"] \
        else t(lang, "clock_ok")


def lessons_body(packs: list[dict], lang: str, csrf: str, *, admin: bool,
                 published: dict | None = None, problems: str | None = None,
                 error: str | None = None, checks: tuple | None = None) -> str:
    parts = [f'<h1>{esc(t(lang, "nav.lessons"))}</h1>']
    if published:
        parts.append(notice(t(lang, "published", version=published["version"],
                              count=published["lessons"], n=published["lessons"]), "good"))
    if error:
        parts.append(notice(t(lang, error), "bad"))
    if problems:
        parts.append(f'<div class="notice bad" role="status"><p>{esc(t(lang, "publish_refused"))}'
                     f"</p><pre>{esc(problems)}</pre></div>")
    if admin:
        parts.append(
            f'<form class="card" method="post" action="/dashboard/lessons" '
            f'enctype="multipart/form-data">{hidden_csrf(csrf)}'
            f'{_card_heading(lang, "publish")}<label>{esc(t(lang, "zip_file"))}'
            f'<input type="file" name="pack" accept=".zip" required></label>'
            f'<button type="submit">{esc(t(lang, "publish"))}</button></form>')
    rows = [[f'<td class="num" data-k="version">{row["version"]}</td>',
             f'<td class="num">{esc(number(row["lessons"], lang))}</td>',
             f"<td>{esc(moment(row['published_at'], lang))}</td>",
             f'<td class="num">{esc(number(round(row["size"] / 1024), lang))} KB</td>']
            for row in packs]
    parts.append(table(t(lang, "packs"), [t(lang, "col.version"), t(lang, "col.lessons"),
                                          t(lang, "col.published"), t(lang, "col.size")],
                       rows, css="packs", empty=t(lang, "no_packs"), numeric=[0, 1, 3]))
    if checks is not None:
        parts.append(_checks_table(*checks, lang))
    return "".join(parts)


def _checks_table(version: int | None, ages: list, lang: str) -> str:
    """When each lesson kiosks receive was last checked against its sources; lessons not
    checked for 180 days are flagged for staff (residents never see this)."""
    due = sum(age.stale for age in ages)
    parts = [notice(t(lang, "checks_due", count=due, n=due), "warn")] if due else []
    rows = [[f'<td data-k="lesson">{esc(age.lesson_id)}</td>',
             f"<td>{esc(age.title.get(lang) or age.title.get('vi', ''))}</td>",
             f"<td>{esc(age.checked_on.strftime('%d/%m/%Y') if age.checked_on else '–')}</td>",
             f'<td class="num{" warn" if age.stale else ""}" data-k="days">'
             f"{esc(number(age.days, lang))}</td>",
             f'<td class="{"warn" if age.stale else ""}">'
             f'{esc(t(lang, "check_due" if age.stale else "check_ok"))}</td>']
            for age in ages]
    caption = (t(lang, "checks_pack", version=version) if version is not None
               else t(lang, "checks_bundled"))
    parts.append(table(caption, [t(lang, "col.lesson"), t(lang, "col.title"),
                                 t(lang, "col.checked_on"), t(lang, "col.days_ago"),
                                 t(lang, "col.check_state")],
                       rows, css="checks", numeric=[3]))
    return "".join(parts)


def import_body(lang: str, csrf: str, *, report: dict | None = None,
                error: str | None = None) -> str:
    parts = [f'<h1>{esc(t(lang, "nav.import"))}</h1>']
    if error:
        parts.append(notice(t(lang, error), "bad"))
    parts.append(
        f'<form class="card" method="post" action="/dashboard/import" '
        f'enctype="multipart/form-data">{hidden_csrf(csrf)}'
        f'{_card_heading(lang, "import")}'
        f'<label>{esc(t(lang, "bundle_files"))}<input type="file" name="bundles" multiple '
        f'accept=".hpb" required></label><button type="submit">{esc(t(lang, "import"))}</button>'
        "</form>")
    if report is not None:
        rows = []
        for item in report["bundles"]:
            if item["refused_whole"]:
                result = (f'<td class="bad" colspan="4">{esc(t(lang, "refused_whole"))}: '
                          f"{esc(localised_reason(item['reason'], lang))}</td>")
            else:
                result = "".join(f'<td class="num" data-k="{k}">{esc(number(item[k], lang))}</td>'
                                 for k in ("new", "already_present", "updated")) + \
                         f'<td class="num">{esc(number(len(item["refused"]), lang))}</td>'
            rows.append([f"<td>{esc(item['file'])}</td>", result])
        parts.append(table(t(lang, "import_result"),
                           [t(lang, "col.file"), t(lang, "col.new"), t(lang, "col.already"),
                            t(lang, "col.updated"), t(lang, "col.refused")], rows))
    return "".join(parts)


def localised_reason(reason: str | None, lang: str) -> str:
    """A bundle's refusal reason (English, from ``imports``) in ``lang`` when the catalogue has
    that sentence; otherwise as it is."""
    if not reason or lang == "en":
        return reason or ""
    for key, entry in catalogue().items():
        if key.startswith("bundle.error.") and entry.get("en") == reason:
            return entry.get(lang) or reason
    return reason


def safe_name(name: str | None, fallback: str) -> str:
    """The last part of an uploaded file's name, without anything that could leave a folder."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(c for c in base if c.isalnum() or c in "-_.")[:120].lstrip(".")
    return base or fallback


def unpack_lessons(archive: Path, into: Path) -> Path:
    """Unzip an uploaded lesson zip into ``into`` and return the folder to publish: the lesson
    folder, the folder of lesson folders, or the ``lessons/`` of a pack. Raises ``UploadError``
    for a file that is not a zip, too large when unpacked, or naming paths outside itself."""
    try:
        with zipfile.ZipFile(archive) as opened:
            members = opened.infolist()
            if len(members) > MAX_ZIP_MEMBERS or \
                    sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                raise UploadError("zip_too_large")
            for member in members:
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                if member.filename.startswith("/") or ".." in parts or ":" in member.filename:
                    raise UploadError("zip_unsafe")
                target = into.joinpath(*parts) if parts else into
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with opened.open(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
    except (zipfile.BadZipFile, EOFError):
        raise UploadError("not_a_zip") from None
    return _lesson_root(into)


def _lesson_root(folder: Path) -> Path:
    for _ in range(4):
        if (folder / LESSON_FILE).exists() or lesson_folders(folder):
            return folder
        if (folder / "lessons").is_dir():
            folder = folder / "lessons"
            continue
        children = [c for c in folder.iterdir() if c.is_dir() and not c.name.startswith("__")]
        if len(children) != 1:
            break
        folder = children[0]
    return folder


def temporary_folder(prefix: str) -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix=f"kiosk-hub-{prefix}-")
