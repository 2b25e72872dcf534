"""The ``kiosk-hub`` command line: a thin layer over ``kiosk.hub`` functions tests call too.

Every command takes ``--db URL`` (or ``KIOSK_HUB_DB``) and ``--data-dir DIR`` (or
``KIOSK_HUB_DATA_DIR``). Problems are reported in plain words on stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kiosk.locale import ui_text


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
    except Exception as error:  # plain words for the admin, not a traceback
        message = _plain_error(error)
        if message is None:
            raise
        print(f"kiosk-hub: {message}", file=sys.stderr)
        if getattr(args, "json", False):
            print(json.dumps({"error": message}, ensure_ascii=False))
        return 1


def _plain_error(error: Exception) -> str | None:
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from kiosk.hub.database import DatabaseUrlError

    if isinstance(error, DatabaseUrlError):
        return str(error)
    if isinstance(error, OperationalError):
        return f"cannot open the hub database: {str(error.orig).strip().splitlines()[0]}"
    if isinstance(error, SQLAlchemyError):
        return f"database problem: {str(error).splitlines()[0]}"
    if isinstance(error, OSError):
        return f"{error.filename or 'file'}: {error.strerror or error}"
    return None


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="URL",
                        help="sqlite:///PATH or postgresql://USER@HOST/NAME (or KIOSK_HUB_DB)")
    common.add_argument("--data-dir", default=argparse.SUPPRESS, metavar="DIR",
                        help="keys, lesson packs and the default database (or KIOSK_HUB_DATA_DIR)")
    parser = argparse.ArgumentParser(prog="kiosk-hub", parents=[common],
                                     description="The ward hub for help-point kiosks")
    commands = parser.add_subparsers(metavar="COMMAND")

    serve = commands.add_parser("serve", parents=[common], help="run the hub's API")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (0.0.0.0: every network of this computer)")
    serve.add_argument("--port", type=int, default=8750)
    serve.add_argument("--workers", type=_workers, default=1, metavar="N",
                       help="hub processes sharing this address and database (default 1)")
    tls = serve.add_mutually_exclusive_group()
    tls.add_argument("--tls-cert", metavar="FILE",
                     help="serve HTTPS with this certificate (PEM; with --tls-key)")
    tls.add_argument("--tls-self-signed", action="store_true",
                     help="serve HTTPS with a self-signed certificate made on the first start "
                          "and kept in the data folder")
    serve.add_argument("--tls-key", metavar="FILE", help="the private key of --tls-cert (PEM)")
    serve.set_defaults(handler=_serve)

    code = commands.add_parser("enroll-code", parents=[common],
                               help="a one-time, expiring enrollment code for a help point")
    code.add_argument("--point", required=True, metavar="NAME")
    code.add_argument("--ward", metavar="NAME",
                      help="the ward of a new help point (made if new; default: the point's "
                           "ward, else the hub's only ward, else \"Phường\")")
    code.add_argument("--hours", type=float, default=24.0, help="valid for (default 24)")
    code.add_argument("--json", action="store_true")
    code.set_defaults(handler=_enroll_code)

    imports = commands.add_parser("import", parents=[common], help="import USB bundles")
    imports.add_argument("bundles", nargs="+", type=Path, metavar="BUNDLE")
    imports.add_argument("--json", action="store_true")
    imports.set_defaults(handler=_import)

    stats = commands.add_parser("stats", parents=[common], help="records held per device")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=_stats)

    listing = commands.add_parser("devices", parents=[common],
                                  help="enrolled kiosks, last contact, clocks that are off")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_devices)

    again = _group_action(
        commands, common, ("device", "one kiosk: re-enroll it"),
        ("reenroll", "revoke a kiosk's token and key now and make a code only that kiosk can "
                     "redeem (a reinstall, a lost or stolen key)"), _reenroll)
    again.add_argument("device_id", metavar="DEVICE_ID")
    again.add_argument("--point", metavar="NAME", help="its help point (default: unchanged)")
    again.add_argument("--hours", type=float, default=24.0, help="code valid for (default 24)")

    report = commands.add_parser("report", parents=[common],
                                 help="the ward report (as on the dashboard) as JSON, CSV or XLSX")
    report.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                        help="first day (Vietnam time), included; default: the first record")
    report.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                        help="last day, included; default: the last record")
    report.add_argument("--point", metavar="NAME", help="one help point (default: all)")
    report.add_argument("--ward", metavar="NAME", help="one ward's points (default: the city)")
    report.add_argument("--format", choices=("csv", "xlsx", "json"),
                        help="default: from --out's suffix, else json")
    report.add_argument("--out", type=Path, metavar="FILE",
                        help="write to FILE (default: standard output)")
    report.set_defaults(handler=_report)

    publish = _group_action(commands, common, ("lessons", "lesson packs"),
                            ("publish", "sign and publish a lesson folder for kiosks to pull"),
                            _publish)
    publish.add_argument("path", type=Path, metavar="PATH")

    add_user = _group_action(commands, common, ("user", "ward staff accounts (dashboard)"),
                             ("add", "add a dashboard account (viewer or admin)"), _user_add,
                             json_flag=False)
    add_user.add_argument("name", metavar="NAME")
    add_user.add_argument("--role", choices=("viewer", "admin"), required=True)
    add_user.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of standard input")
    add_user.add_argument("--ward", metavar="NAME",
                          help="an account of this ward only (default: of the whole city)")
    add_user.add_argument("--replace", action="store_true",
                          help="give an existing user this new password, role and ward")

    backup = commands.add_parser("backup", parents=[common],
                                 help="a consistent copy of the database and keys, while serving")
    backup.add_argument("--to", type=Path, required=True, metavar="DIR",
                        help="a new (or empty) folder, outside the hub's data folder")
    backup.add_argument("--json", action="store_true")
    backup.set_defaults(handler=_backup)
    restore = commands.add_parser("restore", parents=[common],
                                  help="put a backup back (new data folder, empty database)")
    restore.add_argument("source", type=Path, metavar="DIR")
    restore.add_argument("--json", action="store_true")
    restore.set_defaults(handler=_restore)
    _group_action(commands, common, ("ward", "wards (tenants of this hub)"),
                  ("list", "every ward and its number of help points"), _ward_list)
    return parser


def _group_action(commands, common, group: tuple[str, str], action: tuple[str, str], handler,
                  *, json_flag: bool = True) -> argparse.ArgumentParser:
    """The parser of ``kiosk-hub GROUP ACTION`` (each a ``(name, help)``) run by ``handler``,
    with ``--json`` unless ``json_flag`` is false; the caller adds the action's own arguments."""
    parent = commands.add_parser(group[0], parents=[common], help=group[1])
    sub = parent.add_subparsers(metavar="ACTION").add_parser(action[0], parents=[common],
                                                             help=action[1])
    if json_flag:
        sub.add_argument("--json", action="store_true")
    sub.set_defaults(handler=handler)
    return sub


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"not a number of workers from 1 to 64: {text!r}")
    return value


def worker_app():
    """The app of one ``serve --workers N`` process (an import-string factory for uvicorn):
    the hub named by ``KIOSK_HUB_DB`` and ``KIOSK_HUB_DATA_DIR``, which ``_serve`` sets."""
    from kiosk.hub.api import create_app
    from kiosk.hub.site import open_hub

    hub = open_hub()
    return create_app(hub.engine, hub.keys, packs_dir=hub.packs_dir)


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write it as YYYY-MM-DD, "
                                         "e.g. 2025-06-30)") from None


def _report(args) -> int:
    from kiosk.hub.report_export import ReportError, write_report

    try:
        done = write_report(_hub(args).engine, args.out, fmt=args.format, start=args.start,
                            end=args.end, point=args.point, stdout=sys.stdout.buffer,
                            ward=args.ward)
    except ReportError as error:
        print(f"kiosk-hub: {error}", file=sys.stderr)
        return 1
    if args.out is not None:
        print(ui_text("cli.report_written", "en", count=done["sessions"], file=args.out,
                      format=done["format"]))
    return 0


def _hub(args):
    from kiosk.hub.site import open_hub

    return open_hub(getattr(args, "db", None), getattr(args, "data_dir", None))


def _out(args, data: dict, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if getattr(args, "json", False) else text)


def _serve(args) -> int:
    import uvicorn

    from kiosk.hub.api import create_app
    from kiosk.hub.tls import TLSError

    if bool(args.tls_cert) != bool(args.tls_key) or (args.tls_key and args.tls_self_signed):
        print("kiosk-hub: give --tls-cert and --tls-key together, or --tls-self-signed",
              file=sys.stderr)
        return 2
    hub = _hub(args)
    try:
        tls = _tls_files(args, hub)
    except TLSError as error:
        print(f"kiosk-hub: {error}", file=sys.stderr)
        return 1
    if args.workers > 1:  # each worker opens the same hub from the environment
        os.environ["KIOSK_HUB_DB"] = hub.engine.url.render_as_string(hide_password=False)
        os.environ["KIOSK_HUB_DATA_DIR"] = str(hub.data_dir)
        app, extra = "kiosk.hub.cli:worker_app", {"factory": True, "workers": args.workers}
    else:
        app, extra = create_app(hub.engine, hub.keys, packs_dir=hub.packs_dir), {}
    scheme = "https" if tls else "http"
    print(f"kiosk-hub {hub.keys.hub_id} listening on {scheme}://{args.host}:{args.port} "
          f"(database: {hub.engine.url.render_as_string(hide_password=True)}, "
          f"{ui_text('cli.processes', 'en', count=args.workers)})", flush=True)
    if tls:
        print(f"TLS certificate {tls.cert} SHA-256 {tls.fingerprint()}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning",
                ssl_certfile=str(tls.cert) if tls else None,
                ssl_keyfile=str(tls.key) if tls else None, **extra)
    return 0


def _tls_files(args, hub):
    """The certificate and key to serve HTTPS with, or ``None`` for plain HTTP."""
    from kiosk.hub import tls

    if args.tls_self_signed:
        return tls.self_signed(hub.data_dir, host=args.host, hub_id=hub.keys.hub_id)
    if args.tls_cert:
        return tls.given(args.tls_cert, args.tls_key)
    return None


def _enroll_code(args) -> int:
    from datetime import timedelta

    from kiosk.hub.enrollment import EnrollError, make_code

    hub = _hub(args)
    try:
        made = make_code(hub.engine, args.point, keys=hub.keys,
                         lifetime=timedelta(hours=args.hours), ward=args.ward)
    except EnrollError as error:
        return _refused(args, error)
    _out(args, made, f"Enrollment code for {made['point']} ({made['ward']}): {made['code']}\n"
                     f"(one use, valid "
                     f"until {made['expires_at']} UTC; it also names this hub's key, so a kiosk "
                     "refuses any other machine)")
    return 0


def _reenroll(args) -> int:
    from datetime import timedelta

    from kiosk.hub.enrollment import EnrollError, reenroll

    hub = _hub(args)
    try:
        made = reenroll(hub.engine, args.device_id, keys=hub.keys, point=args.point,
                        lifetime=timedelta(hours=args.hours))
    except EnrollError as error:
        return _refused(args, error)
    _out(args, {**made, "device_id": args.device_id},
         f"{args.device_id}: its token and key are revoked now.\nCode to enroll it again at "
         f"{made['point']}: {made['code']}\n(only this kiosk can use it; valid until "
         f"{made['expires_at']} UTC)")
    return 0


def _refused(args, error: Exception) -> int:
    print(f"kiosk-hub: {error}; nothing was changed", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": str(error)}, ensure_ascii=False))
    return 1


def _import(args) -> int:
    from kiosk.hub.imports import import_bundles

    hub = _hub(args)
    report = import_bundles(hub.engine, hub.keys, args.bundles)
    lines = [f"{item['file']}: " + (f"refused — {item['reason']}" if item["refused_whole"] else
                                    f"{item['outcome'].replace('_', ' ')} — {item['new']} new, "
                                    f"{item['already_present']} already present, "
                                    f"{item['updated']} updated, "
                                    + ui_text("cli.records_refused", "en",
                                              count=len(item["refused"])))
             for item in report["bundles"]]
    _out(args, report, "\n".join(lines))
    return 1 if report["totals"]["bundles_refused"] or report["totals"]["refused"] else 0


def _device_line(device: str, counts: dict) -> str:
    """One kiosk's line of ``kiosk-hub stats``: its records, counted in words, and last contact."""
    return (f"{device}: {ui_text('cli.sessions', 'en', count=counts['sessions'])}, "
            f"{ui_text('cli.lesson_runs', 'en', count=counts['lesson_runs'])}, "
            f"{ui_text('cli.help_requests', 'en', count=counts['help_requests'])}, "
            f"last seen {counts['last_seen_at']}")


def _stats(args) -> int:
    from kiosk.hub.stats import device_stats

    stats = device_stats(_hub(args).engine)
    text = "\n".join(_device_line(device, counts) for device, counts in
                     stats["devices"].items()) or "no devices yet"
    _out(args, stats, text)
    return 0


def _devices(args) -> int:
    from kiosk.hub.devices import device_rows

    rows = device_rows(_hub(args).engine)
    text = "\n".join(f"{r['point'] or '(USB only)'}  {r['device_id']}  last seen "
                     f"{r['last_seen_at']}" + ("  CLOCK OFF by "
                                               f"{r['clock_offset_s']:.0f} s" if r["clock_off"]
                                               else "") for r in rows) or "no devices yet"
    _out(args, {"devices": rows}, text)
    return 0


def _publish(args) -> int:
    from kiosk.hub.packs import PublishError, publish

    hub = _hub(args)
    try:
        row = publish(hub.engine, hub.keys, hub.packs_dir, args.path)
    except PublishError as error:
        print(error, file=sys.stderr)
        return 1
    _out(args, row, ui_text("cli.published", "en", count=row["lessons"], version=row["version"]))
    return 0


def _user_add(args) -> int:
    from kiosk.hub.dashboard.users import UserError, add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"Password for {args.name}: ")
        if getpass.getpass("The same password again: ") != password:
            print("kiosk-hub: the two passwords differ; nothing was changed", file=sys.stderr)
            return 1
    else:
        print("kiosk-hub: give the password on standard input with --password-stdin",
              file=sys.stderr)
        return 2
    try:
        user = add_user(_hub(args).engine, args.name, args.role, password,
                        replace=args.replace, ward=args.ward)
    except UserError as error:
        print(f"kiosk-hub: {error}; nothing was changed", file=sys.stderr)
        return 1
    print(f"{user.name!r} ({user.role}, {user.ward or 'whole city'}) can now sign in to the "
          "dashboard at http://HUB:PORT/")
    return 0


def _ward_list(args) -> int:
    from kiosk.hub.wards import list_wards

    found = list_wards(_hub(args).engine)
    _out(args, {"wards": found}, "\n".join(ui_text("cli.ward_points", "en", count=w["points"],
                                                   name=w["name"])
                                           for w in found) or "no ward yet")
    return 0


def _backup(args) -> int:
    from kiosk.hub.backup import BackupError, backup_hub
    from kiosk.hub.site import database_url, hub_data_dir

    folder = hub_data_dir(getattr(args, "data_dir", None))
    try:
        manifest = backup_hub(database_url(folder, getattr(args, "db", None)), folder, args.to)
    except BackupError as error:
        print(f"kiosk-hub: {error}", file=sys.stderr)
        return 1
    _out(args, {"path": str(args.to), **manifest},
         ui_text("cli.backup_written", "en", count=len(manifest["files"]), folder=args.to,
                 backend=manifest["backend"]))
    return 0


def _restore(args) -> int:
    from kiosk.hub.backup import BackupError, restore_hub
    from kiosk.hub.site import database_url, hub_data_dir

    folder = hub_data_dir(getattr(args, "data_dir", None))
    try:
        manifest = restore_hub(args.source, database_url(folder, getattr(args, "db", None)), folder)
    except BackupError as error:
        print(f"kiosk-hub: {error}", file=sys.stderr)
        return 1
    _out(args, {"restored_from": str(args.source), "data_dir": str(folder), **manifest},
         f"restored the backup of {manifest['created_at']} into {folder}")
    return 0
