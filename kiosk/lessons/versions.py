"""Lesson versions (``"2.0"``, ``"2.1"``…): comparing them, and the next one after a set.

When the same lesson comes from two places (the package and a hub's pack), the higher version
wins; on a tie the hub's pack wins (it was published for this ward).
"""

import re

_NUMBER = re.compile(r"\d+")


def version_key(version) -> tuple[int, ...]:
    """A sortable key: the numbers in ``version`` (``"2.10"`` > ``"2.9"``); ``()`` for none."""
    return tuple(int(n) for n in _NUMBER.findall(str(version or "")))[:6]


def is_newer(candidate, than) -> bool:
    """True if ``candidate`` is a higher version than ``than``."""
    return version_key(candidate) > version_key(than)


def next_version(*versions) -> str:
    """The version just above the highest of ``versions``: ``"2.0"`` → ``"2.1"``, ``"3"`` →
    ``"3.1"``, none → ``"1.0"``."""
    highest = max((version_key(v) for v in versions), default=())
    if not highest:
        return "1.0"
    if len(highest) == 1:
        return f"{highest[0]}.1"
    return ".".join(str(n) for n in (*highest[:-1], highest[-1] + 1))
