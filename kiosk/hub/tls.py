"""HTTPS for ``kiosk-hub serve``: a certificate the admin gives, or a self-signed one the hub
makes on its first start and keeps in its data folder (``tls/hub-cert.pem``, and the private key
``tls/hub-key.pem``, owner-only on POSIX).

The self-signed certificate names every address a kiosk may use to reach the hub: ``localhost``,
this computer's name and its addresses, and the address given with ``--host`` when it is a
specific one. Kiosks and browsers cannot check it against a public authority, so they pin it:
``fingerprint`` gives its SHA-256 to compare (``kiosk-hub serve`` prints it at start).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.core.paths import private_folder

CERT_FILE, KEY_FILE = "hub-cert.pem", "hub-key.pem"
VALID_DAYS = 10 * 365


class TLSError(ValueError):
    """The certificate or key cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class TLSFiles:
    cert: Path
    key: Path

    def fingerprint(self) -> str:
        """The certificate's SHA-256 fingerprint, as ``AB:CD:…``."""
        certificate = x509.load_pem_x509_certificate(self.cert.read_bytes())
        return ":".join(f"{byte:02X}" for byte in certificate.fingerprint(hashes.SHA256()))


def given(cert: str | os.PathLike, key: str | os.PathLike) -> TLSFiles:
    """The admin's certificate and key, once checked to load together. Raises ``TLSError``."""
    files = TLSFiles(Path(cert), Path(key))
    check(files)
    return files


def self_signed(data_dir: Path, *, host: str | None = None, hub_id: str = "") -> TLSFiles:
    """The hub's self-signed certificate in ``data_dir/tls``, made on the first call (an ECDSA
    P-256 key written owner-only, a certificate valid ``VALID_DAYS``) and reused afterwards.
    Raises ``TLSError`` when a kept one is damaged, ``OSError`` when the folder is not writable."""
    folder = private_folder(data_dir / "tls")
    files = TLSFiles(folder / CERT_FILE, folder / KEY_FILE)
    if not files.cert.exists() or not files.key.exists():
        _make(files, host, hub_id)
    check(files)
    return files


def check(files: TLSFiles) -> None:
    """Raises ``TLSError`` unless the certificate and key exist, are PEM and match."""
    for path in (files.cert, files.key):
        if not path.is_file():
            raise TLSError(f"{path}: no such file")
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(files.cert,
                                                                            files.key)
    except (ssl.SSLError, OSError) as error:
        raise TLSError(f"the certificate {files.cert} and key {files.key} cannot be used "
                       f"together: {getattr(error, 'reason', None) or error}") from None


def _make(files: TLSFiles, host: str | None, hub_id: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"kiosk-hub {hub_id}".strip()[:64])])
    now = datetime.now(timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(minutes=5))
                   .not_valid_after(now + timedelta(days=VALID_DAYS))
                   .add_extension(x509.SubjectAlternativeName(_names(host)), critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .sign(key, hashes.SHA256()))
    _write(files.key, key.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()), 0o600)
    _write(files.cert, certificate.public_bytes(serialization.Encoding.PEM), 0o644)


def _names(host: str | None) -> list[x509.GeneralName]:
    """``localhost``, this computer's name and addresses, and ``host`` if it is specific."""
    hostname = socket.gethostname()
    dns = {"localhost", hostname, socket.getfqdn()}
    addresses = {"127.0.0.1", "::1"}
    try:
        addresses |= {info[4][0] for info in socket.getaddrinfo(hostname, None)}
    except OSError:
        pass
    if host and host not in ("0.0.0.0", "::"):
        try:
            addresses.add(str(ipaddress.ip_address(host)))
        except ValueError:
            dns.add(host)
    names: list[x509.GeneralName] = [x509.DNSName(n) for n in sorted(dns) if n and n.isascii()]
    for address in sorted(addresses):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(address.split("%")[0])))
        except ValueError:
            continue
    return names


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` whole (temporary name, then rename) with ``mode``."""
    temporary = path.with_name(path.name + ".tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
