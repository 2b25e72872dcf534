"""The ``kiosk`` command line: a thin layer over functions that tests call too."""

import argparse
import json
import os
import sys
from pathlib import Path

from kiosk.core import paths


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Help-point kiosk")
    parser.add_argument("--data-dir", help="where the kiosk keeps its data (or KIOSK_DATA_DIR)")
    commands = parser.add_subparsers(metavar="COMMAND")

    run = commands.add_parser("run", help="start the kiosk application")
    run.add_argument("--mode", choices=("resident", "volunteer", "admin"), default="resident")
    run.add_argument("--fullscreen", action="store_true", help="full screen, locked by admin PIN")
    run.set_defaults(handler=_run)

    lessons = commands.add_parser("lessons", help="list or check lessons").add_subparsers(
        metavar="ACTION")
    listing = lessons.add_parser("list", help="installed lessons")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_lessons_list)
    validate = lessons.add_parser("validate", help="check a lesson folder or a folder of lessons")
    validate.add_argument("path", type=Path)
    validate.set_defaults(handler=_lessons_validate)
    narrate = lessons.add_parser("narrate", help="pre-render the spoken narration of every step")
    narrate.add_argument("--lesson", metavar="ID", help="only this lesson")
    narrate.set_defaults(handler=_lessons_narrate)

    handout = commands.add_parser("handout", help="the printable take-home guide of a lesson")
    handout.add_argument("lesson_id", metavar="LESSON_ID")
    handout.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    handout.add_argument("--lang", choices=("vi", "en"), default="vi")
    handout.set_defaults(handler=_handout)

    shots = commands.add_parser("screenshot", help="render every screen to PNG, offscreen")
    shots.add_argument("--out", type=Path, required=True)
    shots.add_argument("--lang", choices=("vi", "en"), default=None,
                       help="one language only (default: both)")
    shots.add_argument("--size", type=_screen_size, default=None, metavar="WxH",
                       help="one window size only, e.g. 1366x768 (default: 1366x768 and 1920x1080)")
    shots.set_defaults(handler=_screenshot)

    status = commands.add_parser("status", help="this kiosk's identity and counts")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)

    check = commands.add_parser("check", help="check the database; exit 1 if anything is wrong")
    check.set_defaults(handler=_check)

    demo = commands.add_parser("demo", help="record realistic assistance sessions")
    demo.add_argument("--sessions", type=int, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=None, metavar="S")
    demo.add_argument("--lesson-runs", type=int, default=0, metavar="N",
                      help="also record N self-guided lesson runs (after the sessions)")
    demo.set_defaults(handler=_demo)

    export = commands.add_parser("export", help="write a USB bundle of what the hub lacks")
    export.add_argument("--to", type=Path, required=True, metavar="DIR")
    export.add_argument("--all", action="store_true", help="every record, acknowledged or not")
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=_export)

    enroll = commands.add_parser("enroll", help="enroll this kiosk with the ward hub")
    enroll.add_argument("--hub", required=True, metavar="URL", help="e.g. http://192.168.1.10:8750")
    enroll.add_argument("--code", required=True, help="from: kiosk-hub enroll-code --point NAME")
    enroll.set_defaults(handler=_enroll)

    sync = commands.add_parser("sync", help="send records to the hub and fetch new lessons")
    sync.add_argument("--once", action="store_true", help="one round, then exit (0: all sent)")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=_sync)

    autostart = commands.add_parser("autostart", help="start the full-screen kiosk at login")
    switch = autostart.add_mutually_exclusive_group(required=True)
    switch.add_argument("--enable", action="store_true", help="register it for this user")
    switch.add_argument("--disable", action="store_true", help="remove the registration")
    autostart.set_defaults(handler=_autostart)
    return parser


def _open(args):
    from kiosk.core.db import connect

    data = paths.data_dir(args.data_dir)
    return data, paths.db_path(data), connect(paths.db_path(data))


def _installed_library(args):
    from kiosk.lessons.installed import installed_library

    return installed_library(paths.data_dir(args.data_dir))


def _run(args) -> int:
    from kiosk.ui.app import run_app

    return run_app(paths.data_dir(args.data_dir), mode=args.mode, fullscreen=args.fullscreen)


def _lessons_list(args) -> int:
    library = _installed_library(args)
    rows = [{"id": l.id, "app": l.app, "title": l.title["vi"], "version": l.version,
             "steps": len(l.steps)} for l in library.lessons]
    if args.json:
        print(json.dumps({"lessons": rows}, ensure_ascii=False))
        return 0
    for row in rows:
        print(f"{row['id']:<28} {row['version']:<6} {row['steps']:>2} bước  {row['title']}")
    for problem in library.problems:
        print(f"not loaded: {problem}", file=sys.stderr)
    return 0


def _lessons_validate(args) -> int:
    from kiosk.lessons.library import validate_path

    checked, problems = validate_path(args.path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {checked} lesson(s)", file=sys.stderr)
        return 1
    print(f"{checked} lesson(s) OK")
    return 0


def _screenshot(args) -> int:
    from kiosk.ui.screenshots import SIZES, ScreenshotFailed, write_screenshots

    languages = (args.lang,) if args.lang else ("vi", "en")
    sizes = (args.size,) if args.size else SIZES
    try:
        written = write_screenshots(args.out, paths.data_dir(args.data_dir), languages, sizes)
    except (ScreenshotFailed, OSError) as error:
        print(f"Chưa chụp được màn hình / screenshots failed: {error}", file=sys.stderr)
        return 1
    print(f"{len(written)} screenshots in {args.out}")
    return 0


def _screen_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("use WIDTHxHEIGHT, e.g. 1366x768") from None
    return width, height


def _status(args) -> int:
    from kiosk.core.status import kiosk_status

    data, db_path, db = _open(args)
    status = kiosk_status(db, data, db_path)
    if args.json:
        print(json.dumps(status, ensure_ascii=False))
    else:
        for key, value in status.items():
            print(f"{key}: {value}")
    return 0


def _check(args) -> int:
    from kiosk.core.integrity import check_database

    try:
        _, db_path, db = _open(args)
        problems = check_database(db)
    except Exception as error:  # a damaged file must give a plain answer, not a traceback
        problems = [f"the database cannot be opened: {error}"]
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print("database OK")
    return 0


def _lessons_narrate(args) -> int:
    from kiosk.lessons.narration import engine_available, narrate_library, narration_dir

    library = _installed_library(args)
    if args.lesson and library.lesson(args.lesson) is None:
        print(f"no lesson with id {args.lesson!r} (see: kiosk lessons list)", file=sys.stderr)
        return 1
    if not engine_available():
        print("no speech engine found: install espeak-ng to narrate lessons", file=sys.stderr)
    count = narrate_library(library, narration_dir(paths.data_dir(args.data_dir)), args.lesson)
    print(f"{count} narration clips")
    return 0


def _handout(args) -> int:
    from kiosk.guide.handout import write_handout

    library = _installed_library(args)
    lesson = library.lesson(args.lesson_id)
    if lesson is None:
        print(f"no lesson with id {args.lesson_id!r} (see: kiosk lessons list)", file=sys.stderr)
        return 1
    try:
        pages = write_handout(lesson, library, args.out, language=args.lang)
    except OSError as error:
        print(f"cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"{pages} pages written to {args.out}")
    return 0


def _demo(args) -> int:
    from kiosk.core.config import load
    from kiosk.core.demo import record_demo_lesson_runs, record_demo_sessions

    data, _, db = _open(args)
    neighbourhoods = load(paths.config_path(data)).neighbourhoods
    for session_id in record_demo_sessions(db, args.sessions, seed=args.seed,
                                           neighbourhoods=neighbourhoods):
        print(session_id, flush=True)  # only after its commit: a printed id is a stored one
    for _ in record_demo_lesson_runs(db, args.lesson_runs, seed=args.seed):
        pass
    return 0


def _export(args) -> int:
    from kiosk.core.config import load
    from kiosk.sync.bundle import ExportError, write_bundle

    data, _, db = _open(args)
    try:
        result = write_bundle(db, args.to, include_all=args.all,
                              help_point=load(paths.config_path(data)).help_point)
    except ExportError as error:
        print(error, file=sys.stderr)
        if args.json:
            print(json.dumps({"error": error.reason, "message": str(error)}, ensure_ascii=False))
        return 1
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    elif result.path is None:
        print(_say("export.nothing"))
    else:
        print(_say("export.done", n=result.records, file=result.path))
    return 0


def _enroll(args) -> int:
    from kiosk.sync.enroll import EnrollFailed, enroll

    _, _, db = _open(args)
    try:
        found = enroll(db, args.hub, args.code)
    except EnrollFailed as error:
        print(f"enrollment failed: {error}", file=sys.stderr)
        return 1
    print(f"enrolled with hub {found.hub_id} at {found.hub_url}"
          + (f" as help point {found.point!r}" if found.point else ""))
    return 0


def _sync(args) -> int:
    from kiosk.sync.enroll import NotEnrolled, client_for
    from kiosk.sync.push import sync_round

    data, _, db = _open(args)
    try:
        client = client_for(db)
    except NotEnrolled as error:
        print(f"{error}: kiosk enroll --hub URL --code CODE", file=sys.stderr)
        if args.json:
            print(json.dumps({"ok": False, "error": str(error)}))
        return 1
    with client:
        if not args.once:
            return _sync_forever(db, client, data)
        result = sync_round(db, client, data_dir=data)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(f"sent {result.sent}, set aside {result.set_aside}, still unsent {result.unsent}"
              + (f"; last error: {result.last_error}" if result.last_error else ""))
    return 0 if result.unsent == 0 else 1


def _sync_forever(db, client, data) -> int:
    from kiosk.sync.push import sync_round
    from kiosk.sync.schedule import SyncWorker

    def report(result) -> None:
        print(f"{result.attempted_at}: sent {result.sent}, unsent {result.unsent}"
              + (f", error: {result.last_error}" if result.last_error else ""), flush=True)

    worker = SyncWorker(lambda: sync_round(db, client, data_dir=data), on_result=report)
    worker.start()
    try:
        worker.join()
    finally:
        worker.stop()
    return 0


def _say(key: str, **values) -> str:
    from kiosk.locale import ui_text

    return f"{ui_text(key, 'vi', **values)}\n{ui_text(key, 'en', **values)}"


def _autostart(args) -> int:
    from kiosk.core import autostart

    if args.disable:
        removed = autostart.disable()
        print(f"removed {removed}" if removed else "autostart was not enabled: nothing to remove")
        return 0
    # A data folder chosen by option or environment is written into the entry: the login
    # session will not have the environment variable.
    chosen = args.data_dir or os.environ.get("KIOSK_DATA_DIR")
    data = paths.data_dir(chosen) if chosen else None
    try:
        plan = autostart.enable(data)
    except OSError as error:
        print(f"cannot enable autostart: {error}", file=sys.stderr)
        return 1
    print(f"the kiosk will start full screen at login: {plan.path}")
    return 0


def gui_main() -> int:
    """``kiosk-gui [ARGS]``: the same as ``kiosk run [ARGS]``, installed as a GUI script so that on
    Windows the kiosk starts (from the Startup folder or a shortcut) without a console window."""
    return main(["run", *sys.argv[1:]])
