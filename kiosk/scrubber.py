"""Masking personal numbers and addresses in free text before it is stored (DESIGN.md invariant 8).

``scrub`` masks three kinds of thing:

* ``email``: anything shaped ``local@domain.tld``;
* ``id_number``: 12 digits (the citizen ID, CCCD), also written in groups (``001 234 567 890``);
* ``phone``: a Vietnamese phone number, ``0`` followed by 9 or 10 digits or ``84``/``+84``
  followed by 9 or 10 digits, also written in groups (``0912 345 678``, ``+84 (0) 912.345.678``).

Digits are "written in groups" when they are joined by at most ``MAX_SEPARATOR_RUN`` (3)
separator characters: white space, ``.``, ``-``, ``–``, ``—``, ``(`` and ``)`` (``SEPARATOR``).
Any Unicode decimal digit counts as a digit. A run of such groups is a *number chain*. What is
promised, for any text whatsoever:

* no number chain of the result holds 12 or more digits;
* no group of the result that starts with ``0`` (or ``84``) is followed, within its chain, by 9
  more digits, so no phone number survives;
* nothing shaped ``x@y.z`` survives;
* text with no such thing in it (ordinary Vietnamese, short numbers like "tổ 5", "12/3",
  "500.000 đồng") comes back unchanged, and scrubbing twice is the same as once.

Where a chain holds a phone or ID number next to harmless digits ("tổ 5 0912 345 678"), only the
groups that make up the number are masked, as long as what is left is harmless by the rules above.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

SEPARATOR = r"[\s.\-\u2013\u2014()]"
MAX_SEPARATOR_RUN = 3
ID_DIGITS = 12

# Stored in the record itself, so they are fixed text, whatever language the screen is in.
REPLACEMENTS = {"id_number": "[số định danh]", "phone": "[số điện thoại]", "email": "[email]"}
KINDS = tuple(REPLACEMENTS)

_LEAD = r"(?P<lead>(?:\(\s?)?\+\s?|\(\s?)?"  # "(", "+" or "(+" before a number is masked with it
_CHAIN = re.compile(rf"{_LEAD}\d+(?:{SEPARATOR}{{1,{MAX_SEPARATOR_RUN}}}\d+)*")
_GROUP = re.compile(r"\d+")
_LOCAL_PUNCTUATION = frozenset("._!#$%&'*+/=?^`{|}~-")
_DOMAIN = re.compile(r"[\w-]+(?:\.+[\w-]+)+")


class Masked(NamedTuple):
    """One thing that was masked: its kind (one of ``KINDS``) and the text as it was typed."""

    kind: str
    original: str


@dataclass(frozen=True)
class Scrubbed:
    """The text as it may be stored, and what was masked in it: e-mail addresses first, then
    numbers, each in order of appearance."""

    text: str
    masked: list[Masked] = field(default_factory=list)


def scrub(text: str) -> Scrubbed:
    """Mask e-mail addresses, 12-digit ID numbers and phone numbers in ``text``. Pure function."""
    masked: list[Masked] = []
    if "@" in text:
        text = _scrub_emails(text, masked)
    text = _CHAIN.sub(lambda m: _scrub_chain(m, masked), text)
    return Scrubbed(text, masked)


def _scrub_emails(text: str, masked: list[Masked]) -> str:
    """Mask ``local@domain.tld`` around each "@"; linear time, unlike a regex that would try
    every start of a long word."""
    pieces, cursor = [], 0
    for at in (m.start() for m in re.finditer("@", text)):
        if at < cursor:
            continue
        begin = at
        while begin > cursor and (text[begin - 1].isalnum()
                                  or text[begin - 1] in _LOCAL_PUNCTUATION):
            begin -= 1
        domain = _DOMAIN.match(text, at + 1)
        if begin == at or domain is None:
            continue
        pieces += [text[cursor:begin], _mask(masked, "email", text[begin:domain.end()])]
        cursor = domain.end()
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


def _phone_shaped(digits: str) -> bool:
    return ((digits.startswith("0") and len(digits) in (10, 11))
            or (digits.startswith("84") and len(digits) in (11, 12)))


def _is_harmless(groups: list[str]) -> bool:
    """True if a chain made of these digit groups holds no ID or phone number."""
    remaining = sum(map(len, groups))
    if remaining >= ID_DIGITS:
        return False
    for digits in groups:
        if (digits.startswith("0") and remaining >= 10) or (
                digits.startswith("84") and remaining >= 11):
            return False
        remaining -= len(digits)
    return True


def _number_spans(groups: list[str]) -> list[tuple[int, int, str]]:
    """Runs of whole groups ``(first, last, kind)`` that are exactly a phone or an ID number."""
    spans = []
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last]
            if _phone_shaped(digits):
                spans.append((first, last, "phone"))
            elif len(digits) == ID_DIGITS:
                spans.append((first, last, "id_number"))
            if len(digits) >= ID_DIGITS:
                break
    return spans


def _masks(groups: list[str]) -> list[tuple[int, int, str]]:
    """Group runs to mask, in order: overlapping number spans merged, then every run left between
    them that is still not harmless (digits that do not split into whole numbers)."""
    merged: list[list] = []
    for first, last, kind in sorted(_number_spans(groups)):
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
            merged[-1][2] = "phone" if "phone" in (kind, merged[-1][2]) else kind
        else:
            merged.append([first, last, kind])
    masks, kept_from = [], 0
    for first, last, kind in merged + [[len(groups), len(groups), None]]:
        if kept_from < first and not _is_harmless(groups[kept_from:first]):
            masks.append((kept_from, first - 1, _kind_of(groups[kept_from:first])))
        if kind is not None:
            masks.append((first, last, kind))
        kept_from = last + 1
    return masks


def _kind_of(groups: list[str]) -> str:
    digits = "".join(groups)
    suffixes = ("".join(groups[i:]) for i in range(len(groups)))
    if len(digits) < ID_DIGITS or any(_phone_shaped(s) for s in suffixes):
        return "phone"
    return "id_number"


def _rebuild(chain: str, groups: list[tuple[int, int, str]], masks: list[tuple[int, int, str]],
             lead: bool, masked: list[Masked]) -> str:
    """The chain with each masked run of groups (and the separators inside it) replaced."""
    pieces, cursor = [], 0
    for first, last, kind in masks:
        begin = 0 if first == 0 and lead else groups[first][0]
        pieces.append(chain[cursor:begin])
        pieces.append(_mask(masked, kind, chain[begin:groups[last][1]]))
        cursor = groups[last][1]
    pieces.append(chain[cursor:])
    return "".join(pieces)
