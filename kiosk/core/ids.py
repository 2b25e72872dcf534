"""Record identifiers: time-ordered UUIDv7 made on the device (RFC 9562)."""

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """Return a new UUIDv7 as a string.

    Ids made by one process are strictly increasing, even within one millisecond, so sorting by id
    sorts by creation order. Thread-safe.
    """
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter >= 1 << 12:  # 12-bit counter exhausted: borrow the next millisecond
                ms += 1
                _counter = 0
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last_ms = ms
        counter = _counter
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand
    return str(uuid.UUID(int=value))


def uuid7_time_ms(value: str) -> int:
    """The Unix time in milliseconds encoded in a UUIDv7 string."""
    return uuid.UUID(value).int >> 80
