"""Vietnamese tone marks for the on-screen keyboard, without Qt: which vowel of a word takes the
mark, and putting it there (or taking it off).

A tone key (sắc, huyền, hỏi, ngã, nặng) acts on the word just typed, whatever vowel it ends with:
"hô" then "ngã" gives "hỗ", "hoa" then "sắc" gives "hóa". The vowel is chosen by the usual rules
(the "old" placement most people write: hóa, thủy, khỏe):
- a vowel with its own mark (â ă ê ô ơ ư) takes the tone (the last one: ươ → ơ);
- otherwise, with a consonant after the vowels, the last vowel (hoàn, tuấn);
- otherwise the middle of three vowels (ngoái), the first of two (hóa, mía, múa), or the only one;
- "qu" and "gi" count as consonants when another vowel follows (quả, giá; but gì).
Tapping the same tone again takes it off; another tone replaces it.
"""

from __future__ import annotations

import unicodedata

TONES = {"sac": "\u0301", "huyen": "\u0300", "hoi": "\u0309", "nga": "\u0303", "nang": "\u0323"}
_TONE_MARKS = set(TONES.values())
_VOWEL_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex (â ê ô), breve (ă), horn (ơ ư)
_VOWELS = set("aeiouy")


def _parts(char: str) -> tuple[str, set[str]]:
    """A letter's base and its combining marks."""
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed[0], set(decomposed[1:])


def _with_marks(base: str, marks: set[str]) -> str:
    ordered = [m for m in ("\u031b", "\u0302", "\u0306") if m in marks]
    ordered += [m for m in marks if m in _TONE_MARKS]
    return unicodedata.normalize("NFC", base + "".join(ordered))


def last_word_start(text: str) -> int:
    """Where the word at the end of ``text`` starts (``len(text)`` if it ends with no letter)."""
    start = len(text)
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return start


def tone_vowel(word: str) -> int | None:
    """The index of the vowel of ``word`` that takes the tone mark, or None if it has none."""
    bases = [_parts(char)[0].lower() for char in word]
    vowels = [i for i, base in enumerate(bases) if base in _VOWELS]
    lowered = "".join(bases)
    if len(vowels) > 1 and vowels[0] == 1 and lowered[:2] in ("qu", "gi"):
        vowels = vowels[1:]
    if not vowels:
        return None
    cluster = [vowels[-1]]  # the last run of vowels next to each other
    for index in reversed(vowels[:-1]):
        if index != cluster[0] - 1:
            break
        cluster.insert(0, index)
    marked = [i for i in cluster if _parts(word[i])[1] & _VOWEL_MARKS]
    if marked:
        return marked[-1]
    if cluster[-1] < len(word) - 1:
        return cluster[-1]
    if len(cluster) >= 3:
        return cluster[1]
    return cluster[0]


def apply_tone(word: str, tone: str) -> str | None:
    """``word`` with the tone ``tone`` (a key of ``TONES``) on its vowel, any other tone taken
    off; the same tone again takes it off. None when the word has no vowel to carry it."""
    target = tone_vowel(word)
    if target is None:
        return None
    mark = TONES[tone]
    had = _parts(word[target])[1]
    letters = []
    for index, char in enumerate(word):
        base, marks = _parts(char)
        marks -= _TONE_MARKS
        if index == target and mark not in had:
            marks.add(mark)
        letters.append(_with_marks(base, marks))
    return "".join(letters)
