"""An HTTP proxy on 127.0.0.1 that misbehaves on purpose, like the networks help points sit on.

For each request it picks (seeded) one fault: pass it through, reset the connection, hold the
reply until the client has given up waiting (its timeout, however long that takes), answer 503,
cut the reply short, forward it and lose the reply (the hub has committed; the kiosk never
hears), forward it twice (a replay), or serve a Wi-Fi login page.
Every connection carries one request (``Connection: close``). Runs its own event loop on a thread.
"""

from __future__ import annotations

import asyncio
import random
import socket
import struct
import threading
from collections import Counter

FAULTS = ("pass", "reset", "delay", "unavailable", "truncate", "drop_reply", "replay", "captive")

def _page(status: bytes, html: bytes) -> bytes:
    return (b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html\r\nContent-Length: "
            + str(len(html)).encode() + b"\r\nConnection: close\r\n\r\n" + html)


PORTAL = _page(b"200 OK", b"<html><body><h1>Free Wi-Fi</h1><a href=/login>Log in</a></body></html>")
UNAVAILABLE = _page(b"503 Service Unavailable", b"<h1>Bad gateway</h1>")


class FaultProxy:
    def __init__(self, upstream_port: int, *, seed: int = 1, faults=FAULTS,
                 pass_weight: int = 4, hold_limit_s: float = 120,
                 script: list[str] | None = None):
        self.upstream_port, self.hold_limit_s = upstream_port, hold_limit_s
        self._random = random.Random(seed)
        self._choices = ["pass"] * pass_weight + [f for f in faults if f != "pass"]
        self.script = list(script or [])
        self.counts: Counter = Counter()
        self.requests: list[bytes] = []  # each request's head, for tests to look at
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fault proxy did not start")
        return self

    def __exit__(self, *_) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _shutdown(self) -> None:
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def _choose(self) -> str:
        fault = self.script.pop(0) if self.script else self._random.choice(self._choices)
        self.counts[fault] += 1
        return fault

    async def _handle(self, reader, writer) -> None:
        try:
            request = await _read_request(reader)
            if request is not None:
                self.requests.append(request.split(b"\r\n\r\n", 1)[0])
                await self._answer(self._choose(), request, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            writer.close()

    async def _answer(self, fault: str, request: bytes, reader, writer) -> None:
        if fault == "reset":
            _reset(writer)
        elif fault == "unavailable":
            writer.write(UNAVAILABLE)
        elif fault == "captive":
            writer.write(PORTAL)
        elif fault == "delay":
            reply = await self._forward(request) if self._random.random() < 0.5 else b""
            await self._client_gone(reader)
            writer.write(reply)  # too late: nobody is listening any more
        elif fault == "truncate":
            reply = await self._forward(request)
            writer.write(reply[: max(1, len(reply) // 2)])
        elif fault == "drop_reply":
            await self._forward(request)
            _reset(writer)
        elif fault == "replay":
            await self._forward(request)
            writer.write(await self._forward(request))
        else:
            writer.write(await self._forward(request))
        await writer.drain()

    async def _client_gone(self, reader) -> None:
        """Wait until the client closes its end (it timed out): an event, not a guess at how
        long its timeout is. ``hold_limit_s`` only bounds a client that never gives up."""
        try:
            while await asyncio.wait_for(reader.read(65536), self.hold_limit_s):
                pass
        except (asyncio.TimeoutError, ConnectionError):
            pass

    async def _forward(self, request: bytes) -> bytes:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1",
                                                                         self.upstream_port)
        upstream_writer.write(request)
        await upstream_writer.drain()
        reply = await upstream_reader.read()
        upstream_writer.close()
        return reply


async def _read_request(reader) -> bytes | None:
    """One request, re-written with ``Connection: close``; ``None`` if the client went away."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
    except (asyncio.IncompleteReadError, asyncio.TimeoutError):
        return None
    lines = head[:-4].split(b"\r\n")
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(b":", 1)[0].strip().lower()
        if name == b"content-length":
            length = int(line.split(b":", 1)[1])
        if name not in (b"connection", b"keep-alive"):
            kept.append(line)
    kept.append(b"Connection: close")
    body = await reader.readexactly(length) if length else b""
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


def _reset(writer) -> None:
    """Close with a TCP reset rather than a clean end."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
