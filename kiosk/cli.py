"""The ``kiosk`` command line: a thin layer over functions that tests call too."""

import argparse
import json
import sys
from pathlib import Path

from kiosk import paths


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

    shots = commands.add_parser("screenshot", help="render every screen to PNG, offscreen")
    shots.add_argument("--out", type=Path, required=True)
    shots.add_argument("--lang", choices=("vi", "en"), default=None,
                       help="one language only (default: both)")
    shots.set_defaults(handler=_screenshot)

    status = commands.add_parser("status", help="this kiosk's identity and counts")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)

    check = commands.add_parser("check", help="check the database; exit 1 if anything is wrong")
    check.set_defaults(handler=_check)
    return parser


def _open(args):
    from kiosk.db import connect

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
    from kiosk.ui.screenshots import write_screenshots

    languages = (args.lang,) if args.lang else ("vi", "en")
    written = write_screenshots(args.out, paths.data_dir(args.data_dir), languages)
    print(f"{len(written)} screenshots in {args.out}")
    return 0


def _status(args) -> int:
    from kiosk.status import kiosk_status

    data, db_path, db = _open(args)
    status = kiosk_status(db, data, db_path)
    if args.json:
        print(json.dumps(status, ensure_ascii=False))
    else:
        for key, value in status.items():
            print(f"{key}: {value}")
    return 0


def _check(args) -> int:
    from kiosk.integrity import check_database

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
