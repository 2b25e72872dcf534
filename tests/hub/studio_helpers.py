"""Helpers for the lesson-studio storage tests: a picture, a zip of a lesson folder, a
published pack installed on a kiosk's data folder."""

import io
import json
import zipfile

import pytest
from PIL import Image

from kiosk.hub.database import write_transaction
from kiosk.hub.studio.publishing import PublishSettings
from kiosk.lessons.installed import installed_library
from kiosk.sync.lesson_update import install_pack


def png(width: int = 40, height: int = 60, color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def zip_of(files: dict[str, bytes | str], **options) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data, **options)
    return out.getvalue()


def lesson_json(lesson: dict) -> str:
    return json.dumps(lesson, ensure_ascii=False)


def write(engine, action, *args, **kwargs):
    """``action(conn, *args, **kwargs)`` in one write transaction."""
    with write_transaction(engine) as conn:
        return action(conn, *args, **kwargs)


def install_newest(engine, settings, data_dir):
    """Install the newest pack the hub published into a kiosk data folder; its library."""
    from kiosk.hub.packs import current_pack

    row = current_pack(engine)
    install_pack(data_dir, settings.packs_dir / row["file_name"],
                 settings.keys.public()["signing_key"])
    return installed_library(data_dir)


@pytest.fixture
def settings(hub_keys, tmp_path):
    """Where the tests' lesson packs go and the key that signs them."""
    return PublishSettings(keys=hub_keys, packs_dir=tmp_path / "packs")


def read(engine, action, *args):
    """``action(conn, *args)`` on a reading connection."""
    with engine.connect() as conn:
        return action(conn, *args)
