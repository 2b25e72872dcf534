"""The lesson studio's storage API: what the studio's pages call.

Bundled lessons stay in the package; the hub's own lessons and its edits of bundled ones live
in the hub's database (``studio_lessons``, ``studio_versions``, ``studio_pictures``) and reach
kiosks in signed lesson packs. Edits are drafts until published; two staff editing one lesson
are told when the other saved first (``StaleDraft``), nothing is overwritten. Which version wins
when the package is upgraded: docs/checking-lessons.md, "Which wins".

Every function takes a SQLAlchemy ``Connection``. Writers (``save_draft``, ``create``,
``duplicate``, ``publish``, ``republish``, ``import_zip``, ``upload_picture``) expect the
caller's write transaction (``with write_transaction(engine) as conn:``), which commits their
work together or, if they raise, none of it.
"""

from kiosk.hub.studio.catalogue import list_lessons
from kiosk.hub.studio.diff import Change, diff
from kiosk.hub.studio.drafts import (LessonExists, StaleDraft, StudioError, UnknownLesson,
                                     create, duplicate, get_draft, save_draft)
from kiosk.hub.studio.pictures import picture_bytes, upload_picture
from kiosk.hub.studio.publishing import (PackSettings, PublishProblems, PublishSettings,
                                         history, publish, republish, validate)
from kiosk.hub.studio.transfer import ImportRefused, export_zip, import_zip
from kiosk.lessons.validation import Problem

__all__ = ["Change", "ImportRefused", "LessonExists", "PackSettings", "Problem",
           "PublishProblems", "PublishSettings", "StaleDraft", "StudioError", "UnknownLesson",
           "create", "diff", "duplicate", "export_zip", "get_draft", "history", "import_zip",
           "list_lessons", "picture_bytes", "publish", "republish", "save_draft",
           "upload_picture", "validate"]
