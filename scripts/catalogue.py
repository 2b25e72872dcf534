"""Keep the gettext catalogues (``kiosk/locale/{vi,en}/LC_MESSAGES/kiosk.po``) and their
compiled ``.mo`` files in step.

    .venv/bin/python scripts/catalogue.py compile            # .po → .mo, after editing a .po
    .venv/bin/python scripts/catalogue.py import FILE.json… [--since BASE.json]
                                                      # carry keys of an old ui.json over
    .venv/bin/python scripts/catalogue.py check              # exit 1 and say what is wrong
    .venv/bin/python scripts/catalogue.py remove KEY…        # drop keys no code uses any more

``import`` reads ``{key: {"vi": …, "en": …}}`` files (the catalogue's format before gettext):
a key the ``.po`` files lack is added to both, a key whose words changed is updated (a counted
entry is left alone and reported: edit its forms in the ``.po``), then everything is compiled.
With ``--since BASE.json`` (the ui.json where the branch began, ``git show BASE:kiosk/locale/ui.json``)
only keys added or changed since then are carried over, so a merge brings in the other side's
edits without undoing the catalogue's own.
``check`` finds: a ``.mo`` that differs from its ``.po``, a key missing from a language or with
empty words, a counted entry without one form per plural of its language, a fuzzy entry.
Needs Babel (the ``test`` extra); the kiosk and hub themselves read the ``.mo`` with ``gettext``.
"""

from __future__ import annotations

import gettext
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parent.parent / "kiosk" / "locale"
LANGUAGES = ("vi", "en")
DOMAIN = "kiosk"
HEADER = ("# Words of the help-point kiosk, its ward dashboard and reports.\n"
          "# msgid is the key the code asks for (ui_text(\"journal.today\", lang, count=n));\n"
          "# edit msgstr, then run scripts/catalogue.py compile (README, \"Words and translations\").")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def load(language: str) -> Catalog:
    """The ``.po`` catalogue of ``language`` as Babel reads it."""
    with po_path(language).open("rb") as stream:
        return read_po(stream, locale=language, domain=DOMAIN)


def save(language: str, catalog: Catalog) -> None:
    """Write ``catalog`` as the ``.po`` of ``language`` (entries in the order they were added,
    no line wrapping, so a diff shows one line per changed string)."""
    po_path(language).parent.mkdir(parents=True, exist_ok=True)
    catalog.header_comment = HEADER
    catalog.last_translator = catalog.language_team = "the kiosk's developers"
    catalog.msgid_bugs_address = ""
    with po_path(language).open("wb") as stream:
        write_po(stream, catalog, width=0, omit_header=False, sort_output=False,
                 include_lineno=False)


def compile_all() -> None:
    """Write every language's ``.mo`` from its ``.po``."""
    for language in LANGUAGES:
        with mo_path(language).open("wb") as stream:
            write_mo(stream, load(language))


def key_of(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def import_json(paths: list[Path], since: Path | None = None) -> list[str]:
    """Merge ``{key: {vi, en}}`` files into the ``.po`` files (only what differs from ``since``,
    when given); return what was done, a line each."""
    catalogs = {language: load(language) for language in LANGUAGES}
    base = json.loads(Path(since).read_text(encoding="utf-8")) if since else {}
    said = []
    for path in paths:
        for key, words in json.loads(Path(path).read_text(encoding="utf-8")).items():
            if base.get(key) != words:
                said += _merge(catalogs, key, words)
    for language, catalog in catalogs.items():
        save(language, catalog)
    compile_all()
    return said


def _merge(catalogs: dict[str, Catalog], key: str, words: dict) -> list[str]:
    existing = catalogs["vi"].get(key)
    if existing is not None and isinstance(existing.id, (tuple, list)):
        return [f"{key}: a counted entry, left as it is (edit its forms in the .po files)"]
    said = []
    for language, catalog in catalogs.items():
        text = words.get(language) or words.get("vi") or ""
        found = catalog.get(key)
        if found is None:
            catalog.add(key, text)
        elif found.string != text:
            found.string = text
        else:
            continue
        said.append(f"{key} [{language}]: {'added' if found is None else 'changed'}")
    return said


def remove(keys: list[str]) -> list[str]:
    """Delete ``keys`` from every language's ``.po``, then compile; return what was removed."""
    said = []
    for language in LANGUAGES:
        catalog = load(language)
        for key in keys:
            if catalog.get(key) is not None:
                catalog.delete(key)
                said.append(f"{key} [{language}]: removed")
        save(language, catalog)
    compile_all()
    return said


def problems() -> list[str]:
    """Everything wrong with the catalogues, one plain line each; empty when all is well."""
    found = []
    catalogs = {language: load(language) for language in LANGUAGES}
    keys = {language: {key_of(m): m for m in catalog if m.id} for language, catalog in
            catalogs.items()}
    for language, catalog in catalogs.items():
        others = set().union(*(keys[other] for other in LANGUAGES if other != language))
        found += [f"{key}: missing in {language}" for key in sorted(others - set(keys[language]))]
        for key, message in keys[language].items():
            found += _entry_problems(language, catalog.num_plurals, key, message)
        found += _compiled_problems(language, keys[language])
    return found


def _entry_problems(language: str, num_plurals: int, key: str, message: Message) -> list[str]:
    where = f"{key} [{language}]"
    if message.fuzzy:
        return [f"{where}: marked fuzzy"]
    if isinstance(message.id, (tuple, list)):
        forms = message.string if isinstance(message.string, (tuple, list)) else ()
        if len(forms) != num_plurals or not all(forms):
            return [f"{where}: needs {num_plurals} plural form(s), has {sum(map(bool, forms))}"]
        return []
    return [] if message.string else [f"{where}: no words"]


def _compiled_problems(language: str, messages: dict[str, Message]) -> list[str]:
    """Differences between the ``.mo`` gettext will read and the ``.po``."""
    if not mo_path(language).exists():
        return [f"{mo_path(language).name} [{language}]: missing, run: scripts/catalogue.py compile"]
    with mo_path(language).open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)._catalog
    expected = {}
    for key, message in messages.items():
        if isinstance(message.id, (tuple, list)):
            expected.update({(key, index): form for index, form in enumerate(message.string)})
        else:
            expected[key] = message.string
    compiled = {key: text for key, text in compiled.items() if key != ""}
    if compiled != expected:
        return [f"{mo_path(language)} is out of date with its .po: run scripts/catalogue.py compile"]
    return []


def main(argv: list[str]) -> int:
    command, *rest = argv or ["check"]
    if command == "compile":
        compile_all()
    elif command == "import":
        since = Path(rest.pop(rest.index("--since") + 1)) if "--since" in rest else None
        files = [Path(p) for p in rest if p != "--since"]
        print("\n".join(import_json(files, since)) or "nothing new")
    elif command == "remove":
        print("\n".join(remove(rest)) or "no such key")
    elif command == "check":
        wrong = problems()
        print("\n".join(wrong) or "catalogues OK")
        return 1 if wrong else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
