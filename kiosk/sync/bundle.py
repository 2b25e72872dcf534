"""USB bundles: what the hub has not acknowledged, in one verified file (docs/bundle-format.md).

``write_bundle`` streams outbox rows into a zip written under a temporary name in the target
folder, flushes and fsyncs it, renames it, reads it back and checks its checksums; only then does it
record the export and return. Any failure removes what it wrote and raises ``ExportError`` with a
plain message; nothing is recorded. Writing a bundle never marks outbox rows sent: only the hub's
acknowledgement does (DESIGN.md invariant 5).

``read_bundle`` is what the hub uses: it refuses a truncated, altered, foreign or unknown-version
file whole, with a plain reason (``BundleError``), before a single record is handed out.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import secrets
import time
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    import sqlite_utils

from kiosk.core.db import device_id, get_setting, now_iso
from kiosk.core.ids import uuid7
from kiosk.locale import ui_text
from kiosk.sync.bundle_crypto import (ENCRYPTED_RECORDS, DecryptionError, EncryptingWriter,
                                      decrypted_lines, fingerprint)
from kiosk.sync.bundle_format import (FORMAT, FORMAT_VERSION, MANIFEST, MAX_INFLATE_RATIO,
                                      MAX_LINE_BYTES, RECORDS, SUFFIX, BundleError,
                                      check_manifest, check_records, records_member,
                                      signed_part)
from kiosk.sync.identity import MANIFEST as SIGNED_MANIFEST
from kiosk.sync.identity import canonical, ensure_key, load_key, public_text, sign

CHUNK_ROWS = 2000
COMPRESSION = zipfile.ZIP_DEFLATED
COMPRESS_LEVEL = 1  # USB sticks write slowly: the fastest deflate still shrinks the JSON ~9x
_ERRNO_REASONS = {
    errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EFBIG: "disk_full",
    errno.EROFS: "read_only", errno.EACCES: "read_only", errno.EPERM: "read_only",
    errno.ENOENT: "removed", errno.ENODEV: "removed", errno.ENXIO: "removed",
    errno.ENOTDIR: "removed", errno.ESTALE: "removed",
}


class ExportError(Exception):
    """An export failed and left nothing behind. ``reason`` is one of ``disk_full``,
    ``read_only``, ``removed``, ``io``, ``verify``; ``message(language)`` is the plain sentence
    (catalogue ``export.error.<reason>``); ``str()`` gives it in Vietnamese and English."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(f"{self.message('vi')} / {self.message('en')}")

    def message(self, language: str) -> str:
        return ui_text(f"export.error.{self.reason}", language)


@dataclass(frozen=True)
class BundleResult:
    """What an export wrote. ``path`` is ``None`` (and nothing was written) when there was
    nothing to export."""

    path: Path | None
    records: int
    first_seq: int | None
    last_seq: int | None
    bytes: int
    sha256: str | None = None
    counts: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        """The ``kiosk export --json`` object."""
        return {"path": str(self.path) if self.path else None, "records": self.records,
                "first_seq": self.first_seq, "last_seq": self.last_seq, "bytes": self.bytes}


def write_bundle(db: sqlite_utils.Database, target_dir: Path | str, *, include_all: bool = False,
                 progress: Callable[[int, int], None] | None = None,
                 open_file: Callable = open, help_point: str = "") -> BundleResult:
    """Write one bundle of the unsent outbox rows (every row with ``include_all``) to
    ``target_dir``, verified on disk, and record it in ``exports``. Once the kiosk is enrolled
    the records are encrypted to the hub's pinned key (``bundle_crypto``).

    ``progress(done, total)`` is called on this thread after each chunk of rows. ``open_file`` is
    how the temporary file is opened (tests inject failing writers). Runs on the database worker
    (it reads the database and writes a file). Raises ``ExportError`` on any failure, having
    removed the temporary or renamed file and recorded nothing.
    """
    target = Path(target_dir).absolute()
    if not target.is_dir():
        raise ExportError("removed", f"{target} is not a folder")
    scope = "all" if include_all else "unsent"
    # an enrolled kiosk signs its bundles (one enrolled before keys existed makes its key now;
    # its next network sync registers it with the hub)
    key = ensure_key(db) if get_setting(db, "hub.device_token") else load_key(db)
    with db.atomic():  # one read snapshot: the range, the name and the rows agree
        total, first, last = db.execute(
            f"SELECT count(*), min(seq), max(seq) FROM outbox {_where(scope)}").fetchone()
        if not total:
            return BundleResult(None, 0, None, None, 0)
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "created_at": now_iso(),
                    "device_id": device_id(db), "help_point": help_point, "scope": scope,
                    "encryption": None}
        final = target / bundle_name(manifest["device_id"], first, last)
        temporary = target / f".{final.name}.{secrets.token_hex(4)}.tmp"
        rows = db.execute(f"SELECT seq, record_type, payload FROM outbox {_where(scope)} "
                          f"AND seq <= ? ORDER BY seq", [last])
        recipient = get_setting(db, "hub.encryption_key")
        _guarded(lambda: _write_file(temporary, rows, manifest, total, progress, open_file,
                                     recipient, key), temporary)
    _guarded(lambda: os.replace(temporary, final), temporary)
    size = _guarded(lambda: _check_published(final, manifest), final)
    result = BundleResult(final, manifest["records"], manifest["first_seq"], manifest["last_seq"],
                          size, manifest["members"][records_member(manifest)]["sha256"],
                          manifest["counts"])
    _record_export(db, result, scope)
    return result


def bundle_name(device: str, first_seq: int, last_seq: int) -> str:
    """``helppoint-<device8>-<first>-<last>.hpb``; device8 is the random end of the device id
    (its start is a timestamp, shared by kiosks set up the same day)."""
    return f"helppoint-{device.replace('-', '')[-8:]}-{first_seq}-{last_seq}{SUFFIX}"


def _where(scope: str) -> str:
    return "WHERE 1" if scope == "all" else "WHERE sent_at IS NULL"


def _guarded(step: Callable, *written: Path):
    """Run ``step``; on any failure remove the ``written`` files, then raise ``ExportError`` for
    a drive or read-back problem (anything else, e.g. an interrupt, is re-raised as it is)."""
    try:
        return step()
    except BaseException as error:
        for path in written:
            _remove_quietly(path)
        if isinstance(error, BundleError):
            raise ExportError("verify", str(error)) from error
        if isinstance(error, OSError):
            raise ExportError(_reason(error, written[0].parent), str(error)) from error
        raise


def _reason(error: OSError, folder: Path) -> str:
    """The plain reason for a drive error; a folder that has gone means the stick was pulled
    out, whatever error the system gave for it (often EIO)."""
    try:
        present = folder.is_dir()
    except OSError:
        present = False
    return _ERRNO_REASONS.get(error.errno, "io") if present else "removed"


def _write_file(temporary: Path, rows, manifest: dict, total: int,
                progress: Callable | None, open_file: Callable, recipient: str | None = None,
                key=None) -> None:
    """Write the zip (records, then manifest) to ``temporary``, flushed and fsynced; completes
    ``manifest`` with the range, counts and checksum. With ``recipient`` (the hub's X25519 key,
    base64) the records are encrypted to it; with ``key`` (this kiosk's Ed25519 key) the
    manifest, which names every member's checksum, is signed."""
    with open_file(temporary, "wb") as out:
        with zipfile.ZipFile(out, "w", compression=COMPRESSION,
                             compresslevel=COMPRESS_LEVEL) as bundle:
            if recipient:
                summary = _write_encrypted(bundle, rows, manifest, total, progress, recipient)
            else:
                with bundle.open(RECORDS, "w") as member:
                    summary = _write_records(member, rows, total, progress)
            manifest.update(summary.pop("range"))
            manifest["members"] = {records_member(manifest): summary}
            manifest["counts"] = summary.pop("counts")
            if key is not None:
                manifest["signature"] = sign_manifest(key, manifest)
            bundle.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        out.flush()
        os.fsync(out.fileno())


def sign_manifest(key, manifest: dict) -> dict:
    """The manifest's ``signature`` object by ``key`` (docs/bundle-format.md, "Signature")."""
    return {"scheme": "ed25519", "public_key": public_text(key),
            "value": sign(key, SIGNED_MANIFEST, canonical(signed_part(manifest)))}


def _write_encrypted(bundle: zipfile.ZipFile, rows, manifest: dict, total: int,
                     progress: Callable | None, recipient: str) -> dict:
    """The records member, deflated and encrypted (stored as is: ciphertext does not shrink);
    its checksum and size are those of the encrypted bytes, so damage shows without the key."""
    info = zipfile.ZipInfo(ENCRYPTED_RECORDS, date_time=time.gmtime()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with bundle.open(info, "w") as member:
        sealed = EncryptingWriter(member, recipient, manifest["device_id"])
        summary = _write_records(sealed, rows, total, progress)
        sealed.close()
    manifest["encryption"] = sealed.encryption
    return {**summary, "sha256": sealed.sha256, "bytes": sealed.bytes}


def _write_records(member, rows, total: int, progress: Callable | None) -> dict:
    """Stream ``rows`` as JSON lines into ``member``, CHUNK_ROWS at a time; returns the member's
    checksum, size, line count, record counts and sequence range."""
    digest, size, lines, counts = hashlib.sha256(), 0, 0, Counter()
    first = last = None
    while chunk := rows.fetchmany(CHUNK_ROWS):
        # payloads are already compact JSON (outbox.append), so a line is put together as text
        data = "".join([f'{{"seq":{seq},"record_type":{_quoted(kind)},"record":{payload}}}\n'
                        for seq, kind, payload in chunk]).encode("utf-8")
        digest.update(data)
        member.write(data)
        size, lines = size + len(data), lines + len(chunk)
        counts.update(kind for _, kind, _ in chunk)
        first = chunk[0][0] if first is None else first
        last = chunk[-1][0]
        if progress:
            progress(lines, total)
    return {"sha256": digest.hexdigest(), "bytes": size, "lines": lines, "counts": dict(counts),
            "range": {"first_seq": first, "last_seq": last, "records": lines}}


@functools.cache
def _quoted(text: str) -> str:
    return json.dumps(text)


def _check_published(final: Path, manifest: dict) -> int:
    """Make the rename durable, read the file back and compare it with what was written.
    Returns the file's size."""
    _sync_directory(final.parent)
    found = verify_bundle(final)
    if found["members"] != manifest["members"] or found["counts"] != manifest["counts"]:
        raise BundleError("altered", "the file read back is not the file written")
    return final.stat().st_size


def _sync_directory(folder: Path) -> None:
    """Make a rename in ``folder`` durable. The one POSIX-only call here: Windows has no
    directory handles to fsync, and its rename is already written through."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(handle)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # the stick is gone: nothing is left to remove from it here
        pass


def _record_export(db: sqlite_utils.Database, result: BundleResult, scope: str) -> None:
    with db.atomic():
        db.execute("INSERT INTO exports (id, created_at, path_name, scope, first_seq, last_seq, "
                   "records, counts, bytes, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [uuid7(), now_iso(), result.path.name, scope, result.first_seq,
                    result.last_seq, result.records, json.dumps(result.counts), result.bytes,
                    result.sha256])


@dataclass(frozen=True)
class Bundle:
    """A bundle that passed every check of ``read_bundle``."""

    path: Path
    manifest: dict
    private_key: object = None  # the hub's X25519 key, for an encrypted bundle

    def records(self) -> Iterator[dict]:
        """Each ``{"seq", "record_type", "record"}`` in sequence order, streamed from the file
        (decrypted on the way for an encrypted bundle). Bounded: no line beyond
        ``MAX_LINE_BYTES``, no more inflated bytes than ``inflate_cap`` allows (``BundleError``
        ``too_large``); a line that is not JSON raises ``ValueError``."""
        encryption = self.manifest.get("encryption")
        with zipfile.ZipFile(self.path) as bundle, \
                bundle.open(records_member(self.manifest)) as member:
            lines = _capped_lines(member) if encryption is None else decrypted_lines(
                member, encryption, self.private_key, self.manifest["device_id"],
                max_line=MAX_LINE_BYTES, max_bytes=inflate_cap(self.path))
            for line in lines:
                yield json.loads(line)


def _capped_lines(member) -> Iterator[bytes]:
    """The lines of a clear records member, none longer than ``MAX_LINE_BYTES``."""
    while line := member.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES:
            raise BundleError("too_large", f"a line is longer than {MAX_LINE_BYTES} bytes")
        yield line


def inflate_cap(path: Path | str) -> int:
    """The most bytes a bundle of this size may inflate to: ``MAX_INFLATE_RATIO`` times its
    size, plus 1 MB. A zip bomb is refused when it passes this, before memory or time go."""
    return MAX_INFLATE_RATIO * Path(path).stat().st_size + (1 << 20)


def verify_bundle(path: Path | str, trust: Callable[[dict], None] | None = None) -> dict:
    """The manifest of the bundle at ``path`` once its format, version and member checksums are
    checked (records are not parsed). ``trust(manifest)``, when given, runs before any member
    but the manifest is read, and refuses by raising ``BundleError`` (the hub checks the device
    and its signature there). Reads at most what the manifest declares, itself capped by
    ``inflate_cap``. Raises ``BundleError``, and nothing else, for any content. Read-only."""
    try:
        with zipfile.ZipFile(path) as bundle:
            manifest = check_manifest(bundle)
            if trust is not None:
                trust(manifest)
            expected = manifest["members"][records_member(manifest)]
            limit = expected["bytes"]
            if limit > inflate_cap(path):
                raise BundleError("too_large", f"declares {limit} bytes of records")
            digest, size, lines = hashlib.sha256(), 0, 0
            with bundle.open(records_member(manifest)) as member:
                while block := member.read(min(1 << 20, limit + 1 - size)):
                    digest.update(block)
                    size, lines = size + len(block), lines + block.count(b"\n")
    except BundleError:
        raise
    except OSError as error:
        raise BundleError("unreadable", str(error)[:200]) from error
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError,
            NotImplementedError) as error:  # RuntimeError: a zip member claiming a password
        raise BundleError("damaged", str(error)[:200]) from error
    name = records_member(manifest)
    if manifest.get("encryption") is not None:
        lines = expected["lines"]  # counted in the clear text, once decrypted (read_bundle)
    if (digest.hexdigest(), size, lines) != (expected["sha256"], expected["bytes"],
                                            expected["lines"]):
        raise BundleError("altered", f"{name} does not match its checksum")
    return manifest


def read_bundle(path: Path | str, private_key=None,
                trust: Callable[[dict], None] | None = None) -> Bundle:
    """Check a bundle completely (manifest, ``trust`` as in ``verify_bundle``, checksums, every
    record, sequence range, counts, device) without keeping its records in memory; returns it
    for ``Bundle.records()``. ``private_key`` is the hub's X25519 key, needed for a bundle
    encrypted to it.

    Raises ``BundleError`` with a plain reason if anything is wrong (``encrypted``: no key;
    ``foreign``: encrypted for another hub) and never any other exception for what the file
    holds; nothing of a refused bundle should be imported. Read-only.
    """
    manifest = verify_bundle(path, trust)
    encryption = manifest.get("encryption")
    if encryption is not None:
        if private_key is None:
            raise BundleError("encrypted", "no key to decrypt it")
        if encryption["recipient"] != fingerprint(_public_b64(private_key)):
            raise BundleError("foreign", f"encrypted for hub key {encryption['recipient']}")
    bundle = Bundle(Path(path), manifest, private_key)
    try:
        check_records(manifest, bundle.records())
    except DecryptionError as error:
        raise BundleError("altered", str(error)) from error
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError,
            RecursionError, RuntimeError, NotImplementedError) as error:
        raise BundleError("damaged", str(error)[:200]) from error
    return bundle


def _public_b64(private_key) -> str:
    import base64

    from cryptography.hazmat.primitives import serialization

    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw,
                                                serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def recent_exports(db: sqlite_utils.Database, *, limit: int = 5) -> list[dict]:
    """The last bundles written, newest first: ``id``, ``created_at``, ``path_name``, ``scope``,
    ``first_seq``, ``last_seq``, ``records``, ``counts`` (a dict), ``bytes``, ``sha256``.
    Read-only."""
    found = db.execute("SELECT * FROM exports ORDER BY created_at DESC, id DESC LIMIT ?", [limit])
    columns = [column[0] for column in found.description]
    exports = [dict(zip(columns, row)) for row in found.fetchall()]
    for export in exports:
        export["counts"] = json.loads(export["counts"])
    return exports
