"""Pictures uploaded for lesson steps: capped, checked by Pillow, stored once by content.

A stored picture is named ``images/SHA256.png`` (or ``.jpg``); that name is what a step's
``image`` holds, in the studio, in exported zips and in lesson packs.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings

from PIL import Image, UnidentifiedImageError
from sqlalchemy import Connection, select

from kiosk.hub.database import now_iso
from kiosk.hub.schema import studio_pictures
from kiosk.hub.studio.drafts import StudioError, insert_new

MAX_PICTURE_BYTES = 1024 * 1024
MAX_PIXELS = 4096 * 4096           # a decompression bomb is refused before it is decoded
FORMATS = {"PNG": "png", "JPEG": "jpg"}
NAME = re.compile(r"^images/([0-9a-f]{64})\.(png|jpg)$")


def picture_name(sha256: str, extension: str) -> str:
    return f"images/{sha256}.{extension}"


def check_picture(data: bytes) -> tuple[str, int, int]:
    """``(extension, width, height)`` of a PNG or JPEG picture; raises ``StudioError`` in plain
    words for anything else: too large, not a picture, damaged, too many pixels."""
    if len(data) > MAX_PICTURE_BYTES:
        raise StudioError(f"the picture is larger than {MAX_PICTURE_BYTES // 1024} KB: save it "
                          "smaller (a phone screenshot as PNG or JPEG is enough)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in FORMATS:
                    raise StudioError("the picture must be a PNG or JPEG file")
                if width * height > MAX_PIXELS:
                    raise StudioError("the picture has too many pixels (at most 4096 × 4096)")
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except StudioError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise StudioError("this file is not a picture that can be read (PNG or JPEG)") from None
    return FORMATS[kind], width, height


def upload_picture(conn: Connection, data: bytes, user: str) -> str:
    """Store a checked picture (once, whoever uploads it again) and return its name for a
    step's ``image``. Raises ``StudioError`` as ``check_picture`` does."""
    extension, width, height = check_picture(data)
    sha256 = hashlib.sha256(data).hexdigest()
    insert_new(conn, studio_pictures, sha256=sha256, extension=extension, width=width,
               height=height, size=len(data), data=data, uploaded_by=user,
               uploaded_at=now_iso())
    return picture_name(sha256, extension)


def picture_bytes(conn: Connection, name: str) -> bytes | None:
    """The bytes of the stored picture ``name`` (``images/SHA256.ext``), or ``None``."""
    match = NAME.match(name or "")
    if not match:
        return None
    data = conn.execute(select(studio_pictures.c.data).where(
        studio_pictures.c.sha256 == match.group(1),
        studio_pictures.c.extension == match.group(2))).scalar_one_or_none()
    return bytes(data) if data is not None else None


def has_picture(conn: Connection, name: str) -> bool:
    match = NAME.match(name or "")
    return bool(match) and conn.execute(select(studio_pictures.c.sha256).where(
        studio_pictures.c.sha256 == match.group(1),
        studio_pictures.c.extension == match.group(2))).first() is not None
