"""Every word the kiosk, the hub's dashboard and the reports show, in Vietnamese and English.

The words live in one gettext catalogue per language, ``kiosk/locale/<lang>/LC_MESSAGES/kiosk.po``
(compiled to ``kiosk.mo`` beside it, which is what is read at run time, with the standard
library's ``gettext``). Each entry's msgid is its key (``journal.today``), so call sites name the
key and never the words. A counted string is a plural entry: ``ui_text(key, lang, count=n)``
picks its form by the language's plural rule (Vietnamese has one form, English two). Change or add
words with ``scripts/catalogue.py`` (README, "Words and translations").
"""

from __future__ import annotations

import gettext
from functools import cache
from importlib import resources

DOMAIN = "kiosk"
LANGUAGES = ("vi", "en")


class _Unknown(gettext.NullTranslations):
    """The end of every fallback chain: an unknown key is an error, never shown as itself."""

    def gettext(self, message):
        raise KeyError(message)

    def ngettext(self, msgid1, msgid2, n):
        raise KeyError(msgid1)


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``language`` (Vietnamese for a language we do not have).

    English falls back to Vietnamese for a key it lacks; Vietnamese raises ``KeyError``.
    Reads the ``.mo`` shipped in the package once per process.
    """
    language = language if language in LANGUAGES else "vi"
    compiled = resources.files(__package__).joinpath(language, "LC_MESSAGES", f"{DOMAIN}.mo")
    with compiled.open("rb") as stream:
        found = gettext.GNUTranslations(stream)
    found.add_fallback(_Unknown() if language == "vi" else translations("vi"))
    return found


def ui_text(key: str, language: str, count: int | None = None, **values) -> str:
    """The words of ``key`` in ``language`` (Vietnamese if missing), ``{name}`` filled in.

    With ``count``, the plural form for that number is chosen (``ngettext``) and ``{count}`` and
    ``{n}`` are filled with it (unless ``values`` carry ``n``, e.g. the number formatted, "1.234").
    Raises ``KeyError`` for an unknown key, so a typo fails in tests rather than on screen.
    A call written before its entry was counted (``n=5``, no ``count``) counts with ``n``.
    """
    found = translations(language)
    counted = key in plural_keys()
    if count is None and counted and isinstance(values.get("n"), int):
        count = values["n"]
    if count is not None:
        values = {"count": count, "n": count, **values}
    text = found.ngettext(key, key, count) if counted and count is not None \
        else found.gettext(key)
    return text.format(**values) if values else text


@cache
def plural_keys() -> frozenset[str]:
    """The keys of every counted (plural) entry: these are looked up with ``count=``."""
    return frozenset(key[0] for key, _ in _entries("vi") if isinstance(key, tuple))


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every key with its words, ``{key: {"vi": …, "en": …}}`` (Vietnamese where English lacks
    one); a counted entry gives its form for 2, as text to search or compare, not to show."""
    keys = dict.fromkeys(key[0] if isinstance(key, tuple) else key
                         for language in LANGUAGES for key, _ in _entries(language))
    plural = plural_keys()
    return {key: {language: translations(language).ngettext(key, key, 2) if key in plural
                  else translations(language).gettext(key) for language in LANGUAGES}
            for key in keys}


def forms(key: str, language: str) -> tuple[str, ...]:
    """Every form of ``key`` in ``language`` as written (placeholders unfilled): one for a plain
    entry, one per plural of the language for a counted one. Raises ``KeyError`` if unknown."""
    found = [(k[1], text) for k, text in _entries(language) if isinstance(k, tuple) and k[0] == key]
    if found:
        return tuple(text for _, text in sorted(found))
    return (translations(language).gettext(key),)


def _entries(language: str) -> list[tuple]:
    """The raw ``(msgid, text)`` pairs of one compiled catalogue (a plural form is keyed
    ``(msgid, index)``), header left out. ``_catalog`` is where ``GNUTranslations`` keeps what
    it parsed; reading it spares a second parser of the ``.mo`` format."""
    return [(key, text) for key, text in translations(language)._catalog.items() if key != ""]
