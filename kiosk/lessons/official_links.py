"""The link policy: a link shown as a QR code must be https on a host named in the allow-list.

The allow-list (``official_domains.json``) names each official host exactly. The check is strict
on purpose, because a published pack must never turn a look-alike address into a QR code:
look-alike hosts (``dichvucong-gov.vn``, ``dichvucong.gov.vn.xyz``), punycode, user names before
the host (``https://dichvucong.gov.vn@evil.example``), ports, backslashes and spaces are refused.
"""

import json
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

ALLOW_LIST_FILE = "official_domains.json"
MAX_URL_LENGTH = 500


@lru_cache(maxsize=1)
def official_hosts() -> frozenset[str]:
    """The hosts on the bundled allow-list, lower-case."""
    raw = json.loads(resources.files("kiosk.lessons").joinpath(ALLOW_LIST_FILE)
                     .read_text(encoding="utf-8"))
    return frozenset(entry["host"].lower() for entry in raw["hosts"])


def official_link_problem(url) -> str | None:
    """Why ``url`` may not be shown as a verified link, in plain words; ``None`` if it may."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        return "must be a full https:// address"
    if not url.isascii() or any(c.isspace() or c == "\\" or ord(c) < 32 for c in url):
        return "must hold only plain letters, digits and punctuation (no spaces or backslashes)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a well-formed address"
    if parts.scheme != "https":
        return "a verified link must start with https://"
    if "@" in parts.netloc:
        return "must not hold a user name or '@' before the host (a common trick to hide the real site)"
    if port is not None or ":" in parts.netloc:
        return "must not name a port"
    host = parts.netloc
    if host != (parts.hostname or ""):
        return "the host must be written in lower case"
    if host not in official_hosts():
        return (f"the host {host!r} is not on the list of official domains "
                f"(kiosk/lessons/{ALLOW_LIST_FILE})")
    return None
