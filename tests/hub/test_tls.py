"""``kiosk-hub serve`` over HTTPS, against a real server process: a self-signed certificate made
on the first start (key owner-only) and kept for the next, a client that pins it gets through
while one that does not is refused, and a certificate the admin gives is served as it is."""

from __future__ import annotations

import os
import shutil
import ssl
import stat
import subprocess
import sys

import httpx
import pytest

from kiosk.hub.enrollment import make_code
from kiosk.hub.site import open_hub
from kiosk.hub.tls import TLSFiles

from tests.hub.hostile_client import start_hub


def _pinned(cert_path) -> ssl.SSLContext:
    return ssl.create_default_context(cadata=cert_path.read_text())


def _health(port: int, verify) -> dict:
    answer = httpx.get(f"https://127.0.0.1:{port}/api/v1/health", verify=verify, timeout=10)
    assert answer.status_code == 200
    return answer.json()


def test_a_self_signed_hub_is_reachable_only_with_its_certificate_pinned(tmp_path):
    data = tmp_path / "hub"
    hub = start_hub(data, options=("--tls-self-signed",), with_kiosk=False)
    files = TLSFiles(data / "tls" / "hub-cert.pem", data / "tls" / "hub-key.pem")
    try:
        if os.name == "posix":
            assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
        assert _health(hub.port, _pinned(files.cert))["hub"] == "kiosk-hub"
        with pytest.raises(httpx.ConnectError):  # not trusted without the pin
            httpx.get(f"https://127.0.0.1:{hub.port}/api/v1/health", timeout=10)
        with pytest.raises(httpx.HTTPError):  # and no plain HTTP on the same port
            httpx.get(f"http://127.0.0.1:{hub.port}/api/v1/health", timeout=10).raise_for_status()
        first = files.fingerprint()
        _kiosk_enrolls_only_trusting_the_certificate(tmp_path, data, hub.port, files.cert)
    finally:
        hub.stop()
    again = start_hub(data, options=("--tls-self-signed",), with_kiosk=False)
    try:  # the next start keeps the same certificate: kiosks' pins stay valid
        assert files.fingerprint() == first
        assert _health(again.port, _pinned(files.cert))["hub"] == "kiosk-hub"
    finally:
        again.stop()


def _kiosk_enrolls_only_trusting_the_certificate(tmp_path, hub_data, port, cert) -> None:
    """``kiosk enroll`` over HTTPS: refused in plain words while the kiosk does not trust the
    certificate, enrolled once ``SSL_CERT_FILE`` names it (README, "Security")."""
    hub = open_hub(data_dir=hub_data)
    code = make_code(hub.engine, "Tổ 1", keys=hub.keys)["code"]
    hub.close()

    def enroll(**env):
        return subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path / "k"),
                               "enroll", "--hub", f"https://127.0.0.1:{port}", "--code", code],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, **env})

    untrusted = enroll()
    assert untrusted.returncode != 0 and "Traceback" not in untrusted.stderr
    trusted = enroll(SSL_CERT_FILE=str(cert))
    assert trusted.returncode == 0, trusted.stderr


def test_a_given_certificate_is_served(tmp_path):
    made = start_hub(tmp_path / "maker", options=("--tls-self-signed",), with_kiosk=False)
    made.stop()
    cert, key = tmp_path / "ward.pem", tmp_path / "ward-key.pem"
    shutil.copy(tmp_path / "maker" / "tls" / "hub-cert.pem", cert)
    shutil.copy(tmp_path / "maker" / "tls" / "hub-key.pem", key)
    hub = start_hub(tmp_path / "hub", options=("--tls-cert", str(cert), "--tls-key", str(key)),
                    with_kiosk=False)
    try:
        assert _health(hub.port, _pinned(cert))["hub"] == "kiosk-hub"
    finally:
        hub.stop()


def test_tls_options_given_wrong_are_refused_in_plain_words(tmp_path):
    def serve(*options):
        return subprocess.run([sys.executable, "-m", "kiosk.hub", "serve", "--data-dir",
                               str(tmp_path / "hub"), "--port", "0", *options],
                              capture_output=True, text=True, timeout=60)

    missing = serve("--tls-cert", str(tmp_path / "none.pem"), "--tls-key", str(tmp_path / "k"))
    alone = serve("--tls-cert", str(tmp_path / "none.pem"))
    (tmp_path / "junk.pem").write_text("not a certificate")
    junk = serve("--tls-cert", str(tmp_path / "junk.pem"), "--tls-key", str(tmp_path / "junk.pem"))
    for done, words in ((missing, "no such file"), (alone, "together"), (junk, "cannot be used")):
        assert done.returncode != 0 and words in done.stderr
        assert "Traceback" not in done.stderr
