"""Masking personal numbers and addresses in free text before it is stored (DESIGN.md invariant 8).

``scrub`` masks four kinds of thing:

* ``email``: anything shaped ``local@domain.tld``, also written ``lan＠gmail.com``,
  ``lan @ gmail . com``, ``lan(at)gmail.com``, ``lan [at] gmail [dot] com`` or ``lan at gmail.com``;
* ``id_number``: 12 digits (the citizen ID, CCCD), also written in groups (``001 234 567 890``),
  and the 9-digit ID of the old card (CMND) when it cannot be anything else: after a word that
  names it (``CMND 123 456 789``), written unbroken (``123456789``) or starting with 0
  (``012.345.678``);
* ``phone``: a Vietnamese phone number, ``0`` followed by 9 or 10 digits, or ``84``/``+84``/
  ``0084`` followed by 9 or 10 digits, also written in groups (``0912 345 678``,
  ``+84 (0) 912.345.678``, ``0912/345/678``, ``0912_345_678``, ``0912 · 345 · 678``);
* ``bank_account``: 6 to 19 digits after a word that names an account (``STK 1012 345 678``,
  ``số tài khoản: 1012345678``), and any unbroken run of 9 or more digits not masked otherwise.

Digits are "written in groups" when they are joined by at most ``MAX_SEPARATOR_RUN`` (3)
separator characters: white space, ``.``, ``-``, ``–``, ``—``, ``(`` and ``)`` (``SEPARATOR``).
Any Unicode decimal digit counts as a digit. A run of such groups is a *number chain*. A *wide
chain* also allows ``/ _ , · • ~``, zero-width characters and up to ``WIDE_SEPARATOR_RUN`` of
them; in a wide chain a whole phone or ID number is masked when the separators between its groups
(the one after a country code aside) are all alike, so that two dates in a row
("01/02/2024, 03/04/2024") or an address ("ngõ 34/56") are not taken for one. What is promised,
for any text whatsoever:

* no number chain of the result holds 12 or more digits, or an unbroken run of 9 or more;
* no group of the result that starts with ``0`` (or ``84``) is followed, within its chain, by 8
  (or 9) more digits, so no phone number and no 9-digit ID starting with 0 survives;
* nothing shaped ``x@y.z`` survives;
* text with no such thing in it (ordinary Vietnamese, short numbers like "tổ 5", "12/3",
  "500.000 đồng", "123.456.789 đồng", "ngõ 34/56", "9h30") comes back unchanged, and scrubbing
  twice is the same as once.

Where a chain holds a phone or ID number next to harmless digits ("tổ 5 0912 345 678"), only the
groups that make up the number are masked, as long as what is left is harmless by the rules above.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

SEPARATOR = r"[\s.\-\u2013\u2014()]"
MAX_SEPARATOR_RUN = 3
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
WIDE_SEPARATOR = rf"[\s.\-\u2013\u2014()/_,~\u00b7\u2022\u2219\u30fb{ZERO_WIDTH}]"
WIDE_SEPARATOR_RUN = 12
ID_DIGITS = 12
OLD_ID_DIGITS = 9
LONG_RUN = 9  # an unbroken run of this many digits is never harmless

# Stored in the record itself, so they are fixed text, whatever language the screen is in.
REPLACEMENTS = {"id_number": "[số định danh]", "phone": "[số điện thoại]", "email": "[email]",
                "bank_account": "[số tài khoản]"}
KINDS = tuple(REPLACEMENTS)

_LEAD = r"(?P<lead>(?:\(\s?)?\+\s?|\(\s?)?"  # "(", "+" or "(+" before a number is masked with it
_CHAIN = re.compile(rf"{_LEAD}\d+(?:{SEPARATOR}{{1,{MAX_SEPARATOR_RUN}}}\d+)*")
_WIDE_CHAIN = re.compile(rf"{_LEAD}\d+(?:{WIDE_SEPARATOR}{{1,{WIDE_SEPARATOR_RUN}}}\d+)+")
_KEYWORD_CHAIN = re.compile(rf"\d+(?:{SEPARATOR}{{1,{MAX_SEPARATOR_RUN}}}\d+)*")
_GROUP = re.compile(r"\d+")
_COUNTRY_CODES = ("84", "0084")  # may be joined to the number differently from its groups
_LOCAL_PUNCTUATION = frozenset("._!#$%&'*+/=?^`{|}~-")
# Words that name an ID card or a bank account, matched on the text folded to unaccented
# lower case (``_fold``), so "Số tài khoản", "so tai khoan" and "STK" all count.
_ID_WORDS = (r"cmnd|cmt|chung\s?minh(?:\s?nhan\s?dan|\s?thu)?|can\s?cuoc(?:\s?cong\s?dan)?"
             r"|so\s?cm")
_BANK_WORDS = (r"(?:so\s?)?(?:tai\s?khoan|tk)\s?ngan\s?hang|so\s?tai\s?khoan|so\s?tk|stk"
               r"|account\s?(?:number|no)|acc\s?no")  # the longest first
_LOOSE_BANK_WORDS = r"tk|tai\s?khoan|account"  # also said of app accounts: longer numbers only
_KEYWORD = re.compile(rf"(?<![^\W\d_])(?:(?P<id_number>{_ID_WORDS})|(?P<bank>{_BANK_WORDS})"
                      rf"|(?P<loose_bank>{_LOOSE_BANK_WORDS}))"
                      rf"(?![^\W\d_])[\s:.#=-]{{0,4}}(?:(?:la|so)\s?)?[\s:.#=-]{{0,4}}")
_KEYWORD_MIN_DIGITS = {"id_number": 8, "bank": 6, "loose_bank": 9}
# E-mail addresses, also written to dodge a filter: an "at" (``@``, full-width, ``(at)``,
# ``[at]``, or the bare word between spaces) and "dots" (``.``, ``．``, ``。``, ``(dot)``...).
_AT = re.compile(r"\s{0,3}(?:[@\uff20]|[(\[{]\s?at\s?[)\]}])\s{0,3}|\s{1,3}at\s{1,3}", re.I)
_DOT = r"(?:[.\uff0e\u3002]|[(\[{]\s?dot\s?[)\]}]|\s{1,3}dot\s{1,3})"
_DOMAIN = re.compile(rf"[\w-]+(?:\s{{0,3}}{_DOT}\s{{0,3}}[\w-]+)+", re.I)
_TIGHT_DOMAIN = re.compile(rf"[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,24}}(?![\w-])", re.I)


class Masked(NamedTuple):
    """One thing that was masked: its kind (one of ``KINDS``) and the text as it was typed."""

    kind: str
    original: str


@dataclass(frozen=True)
class Scrubbed:
    """The text as it may be stored, and what was masked in it: e-mail addresses first, then
    numbers named by a word before them, then other numbers, each in order of appearance."""

    text: str
    masked: list[Masked] = field(default_factory=list)


def scrub(text: str) -> Scrubbed:
    """Mask e-mail addresses, ID, phone and bank account numbers in ``text``. Pure function,
    linear in the length of ``text``."""
    masked: list[Masked] = []
    if _AT.search(text):
        text = _scrub_emails(text, masked)
    text = _scrub_named_numbers(text, masked)
    text = _CHAIN.sub(lambda m: _scrub_chain(m, masked), text)
    text = _WIDE_CHAIN.sub(lambda m: _scrub_wide_chain(m, masked), text)
    return Scrubbed(text, masked)


def _scrub_emails(text: str, masked: list[Masked]) -> str:
    """Mask ``local AT domain`` around each "at"; linear time, unlike a regex that would try
    every start of a long word. The bare word "at" needs a plain domain (``gmail.com``)."""
    pieces, cursor = [], 0
    for at in _AT.finditer(text):
        if at.start() < cursor:
            continue
        begin = at.start()
        while begin > cursor and (text[begin - 1].isalnum()
                                  or text[begin - 1] in _LOCAL_PUNCTUATION):
            begin -= 1
        strong = any(ch in at.group(0) for ch in "@\uff20([{")
        domain = (_DOMAIN if strong else _TIGHT_DOMAIN).match(text, at.end())
        if begin == at.start() or domain is None:
            continue
        pieces += [text[cursor:begin], _mask(masked, "email", text[begin:domain.end()])]
        cursor = domain.end()
    pieces.append(text[cursor:])
    return "".join(pieces)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """``ch`` unaccented and lower case, always one character (so positions stay the same)."""
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


def _fold(text: str) -> str:
    return "".join(map(_fold_char, text))


def _scrub_named_numbers(text: str, masked: list[Masked]) -> str:
    """Mask the number after a word naming an ID card or a bank account ("STK: 1012 345 678",
    "CMND số 123456789"), the word kept."""
    if not any(ch.isdecimal() for ch in text):
        return text
    folded, pieces, cursor = _fold(text), [], 0
    for word in _KEYWORD.finditer(folded):
        if word.start() < cursor:
            continue
        number = _KEYWORD_CHAIN.match(text, word.end())
        if number is None or len(_digits(number.group(0))) < _KEYWORD_MIN_DIGITS[word.lastgroup]:
            continue
        kind = "id_number" if word.lastgroup == "id_number" else "bank_account"
        pieces += [text[cursor:number.start()], _mask(masked, kind, number.group(0))]
        cursor = number.end()
    pieces.append(text[cursor:])
    return "".join(pieces)


def _mask(masked: list[Masked], kind: str, original: str) -> str:
    masked.append(Masked(kind, original))
    return REPLACEMENTS[kind]


def _digits(text: str) -> str:
    """The ASCII digits of ``text`` (any Unicode decimal digit counts, separators dropped)."""
    return "".join(str(unicodedata.digit(ch)) for ch in text if ch.isdecimal())


def _scrub_chain(match: re.Match, masked: list[Masked]) -> str:
    chain = match.group(0)
    groups = [(g.start(), g.end(), _digits(g.group(0))) for g in _GROUP.finditer(chain)]
    digits = [d for _, _, d in groups]
    if _is_harmless(digits):
        return chain
    return _rebuild(chain, groups, _masks(digits), bool(match.group("lead")), masked)


def _scrub_wide_chain(match: re.Match, masked: list[Masked]) -> str:
    """Mask the whole phone and ID numbers of a wide chain whose groups are joined alike."""
    chain = match.group(0)
    found = list(_GROUP.finditer(chain))
    groups = [(g.start(), g.end(), _digits(g.group(0))) for g in found]
    joins = [_join_kind(chain[a.end():b.start()]) for a, b in zip(found, found[1:])]
    digits = [d for *_, d in groups]
    spans = [(first, last, kind) for first, last, kind in _number_spans(digits)
             if len(set(joins[first + (digits[first] in _COUNTRY_CODES):last])) <= 1]
    if not spans:
        return chain
    return _rebuild(chain, groups, _merged(spans), bool(match.group("lead")), masked)


def _join_kind(separator: str) -> str:
    """What joins two groups, with white space and zero-width characters as one kind each."""
    kept = "".join(ch for ch in separator if ch not in ZERO_WIDTH)
    return re.sub(r"\s+", " ", kept) if kept else "zero-width"


def _phone_shaped(digits: str) -> bool:
    return ((digits.startswith("0084") and len(digits) in (13, 14))
            or (digits.startswith("0") and len(digits) in (10, 11))
            or (digits.startswith("84") and len(digits) in (11, 12)))


def _is_harmless(groups: list[str]) -> bool:
    """True if a chain made of these digit groups holds no ID, phone or account number."""
    remaining = sum(map(len, groups))
    if remaining >= ID_DIGITS:
        return False
    for digits in groups:
        if len(digits) >= LONG_RUN or (digits.startswith("0") and remaining >= OLD_ID_DIGITS) or (
                digits.startswith("84") and remaining >= 11):
            return False
        remaining -= len(digits)
    return True


def _number_spans(groups: list[str]) -> list[tuple[int, int, str]]:
    """Runs of whole groups ``(first, last, kind)`` that are exactly a phone or an ID number,
    or one unbroken run of ``LONG_RUN`` or more digits."""
    spans = []
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last]
            if _phone_shaped(digits):
                spans.append((first, last, "phone"))
            elif len(digits) == ID_DIGITS or (len(digits) == OLD_ID_DIGITS
                                              and (digits[0] == "0" or first == last)):
                spans.append((first, last, "id_number"))
            elif first == last and len(digits) > LONG_RUN:
                spans.append((first, last, "bank_account"))
            if len(digits) >= 14:
                break
    return spans


def _merged(spans: list[tuple[int, int, str]]) -> list[list]:
    """Overlapping spans joined into one (a phone wins over another kind), in order."""
    merged: list[list] = []
    for first, last, kind in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
            merged[-1][2] = "phone" if "phone" in (kind, merged[-1][2]) else merged[-1][2]
        else:
            merged.append([first, last, kind])
    return merged


def _masks(groups: list[str]) -> list[tuple[int, int, str]]:
    """Group runs to mask, in order: overlapping number spans merged, then every run left between
    them that is still not harmless (digits that do not split into whole numbers)."""
    masks, kept_from = [], 0
    for first, last, kind in _merged(_number_spans(groups)) + [[len(groups), len(groups), None]]:
        if kept_from < first and not _is_harmless(groups[kept_from:first]):
            masks.append((kept_from, first - 1, _kind_of(groups[kept_from:first])))
        if kind is not None:
            masks.append((first, last, kind))
        kept_from = last + 1
    return masks


def _kind_of(groups: list[str]) -> str:
    digits = "".join(groups)
    suffixes = ("".join(groups[i:]) for i in range(len(groups)))
    if len(digits) < ID_DIGITS and any(len(g) >= LONG_RUN for g in groups) and not any(
            _phone_shaped(s) for s in suffixes):
        return "bank_account"
    if len(digits) < ID_DIGITS or any(_phone_shaped(s) for s in suffixes):
        return "phone"
    return "id_number"


def _rebuild(chain: str, groups: list[tuple[int, int, str]], masks, lead: bool,
             masked: list[Masked]) -> str:
    """The chain with each masked run of groups (and the separators inside it) replaced."""
    pieces, cursor = [], 0
    for first, last, kind in masks:
        begin = 0 if first == 0 and lead else groups[first][0]
        pieces.append(chain[cursor:begin])
        pieces.append(_mask(masked, kind, chain[begin:groups[last][1]]))
        cursor = groups[last][1]
    pieces.append(chain[cursor:])
    return "".join(pieces)
