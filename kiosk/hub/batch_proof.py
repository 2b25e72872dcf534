"""Proving who wrote a batch: the device's Ed25519 signature over the exact (inflated) body.

A kiosk signs each batch with its own key (``kiosk.sync.identity``) and sends the signature in
``X-Kiosk-Signature`` and its public key in ``X-Kiosk-Key``. The hub checks it against the key it
registered for the token's device. The upgrade path for a kiosk enrolled before keys existed: its
first signed batch (still carrying its valid token) registers its key, once; from then on that
device's unsigned batches are refused. A device with no key that sends unsigned batches is an
older kiosk program and is served as before, until it is updated.
"""

from __future__ import annotations

from sqlalchemy import Engine

from kiosk.hub.database import now_iso, write_transaction
from kiosk.hub.devices import register_key
from kiosk.sync.identity import BATCH, is_public_key, verify

SIGNATURE_HEADER = "x-kiosk-signature"
KEY_HEADER = "x-kiosk-key"


def prove_batch(engine: Engine, device_id: str, key: str | None, data: bytes,
                headers) -> tuple[int, str, str] | None:
    """``None`` when the batch ``data`` may be stored for ``device_id`` (whose registered key is
    ``key``), registering the offered key if the device had none; otherwise the refusal as
    ``(HTTP status, error code, plain message)``. Runs a database write at most once per device
    (the registration). Call off the event loop."""
    signature, offered = headers.get(SIGNATURE_HEADER), headers.get(KEY_HEADER)
    if key is None:
        if signature is None:
            return None  # an older kiosk program: accepted until its first signed batch
        if not is_public_key(offered) or not verify(offered, BATCH, data, signature):
            return 403, "bad_signature", "the batch's signature does not match its key"
        with write_transaction(engine) as connection:
            if not register_key(connection, device_id, offered, now_iso()):
                return 403, "key_mismatch", ("this kiosk's key is not the one the hub holds: "
                                             "an admin re-enrolls it at the hub")
        return None
    if signature is None:
        return 403, "unsigned", ("this kiosk's batches must be signed: update the kiosk "
                                 "program, or re-enroll it")
    if not verify(key, BATCH, data, signature):
        return 403, "bad_signature", ("the batch's signature does not match this kiosk's key: "
                                      "an admin re-enrolls it at the hub")
    return None
