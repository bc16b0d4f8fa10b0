"""A tiny real HTTP/1.1 server on 127.0.0.1 for the fake providers.

It runs its own asyncio loop in a background thread, so it serves requests from
any test (plain, async, Pilot, snapshot) and from llmtui subprocesses alike.
Responses are scripts of raw byte pieces with delays, sent with chunked transfer
encoding as real SSE servers do, so tests can drop a connection mid-stream, stall,
or send malformed bytes exactly.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    pieces: list[tuple[bytes, float]] = field(default_factory=list)
    """(bytes, seconds to wait before sending them)."""
    drop: bool = False
    """Close the socket after the pieces without ending the chunked body."""
    chunked: bool = True

    @classmethod
    def json_body(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        body = json.dumps(data).encode()
        return cls(status, {"content-type": "application/json", **(headers or {})}, [(body, 0)],
                   chunked=False)

    @classmethod
    def raw(cls, body: bytes, status: int, content_type: str,
            headers: dict[str, str] | None = None) -> Response:
        return cls(status, {"content-type": content_type, **(headers or {})}, [(body, 0)],
                   chunked=False)


Handler = Callable[[Request], Awaitable[Response] | Response]

REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
           502: "Bad Gateway", 503: "Service Unavailable", 529: "Overloaded"}


class FakeServer:
    """Start with `start()`; `url` is http://127.0.0.1:PORT; `requests` records all."""

    def __init__(self, handler: Handler, port: int = 0) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="fake-provider")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self._port)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                first = await reader.readexactly(1)
                if first == b"\x16":
                    # A TLS ClientHello sent to this plain-HTTP port: answer as a real HTTP server
                    # does (400 and close), so the client's handshake fails at once, locally.
                    writer.write(b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n")
                    await writer.drain()
                    break
                head = first + await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                length = int(headers.get("content-length", "0"))
                body = await reader.readexactly(length) if length else b""
                path, _, query = target.partition("?")
                request = Request(method, path, query, headers, body)
                self.requests.append(request)
                result = self.handler(request)
                response = await result if isinstance(result, Awaitable) else result
                keep = await self._send(writer, response)
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            try:
                writer.close()
            except Exception:  # noqa: BLE001
                pass

    async def _send(self, writer: asyncio.StreamWriter, r: Response) -> bool:
        head = [f"HTTP/1.1 {r.status} {REASONS.get(r.status, 'Status')}"]
        headers = {k.lower(): v for k, v in r.headers.items()}
        if r.chunked:
            headers["transfer-encoding"] = "chunked"
        else:
            headers["content-length"] = str(sum(len(p) for p, _ in r.pieces))
        headers.setdefault("connection", "keep-alive")
        head += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        for piece, delay in r.pieces:
            if delay:
                await asyncio.sleep(delay)
            if r.chunked:
                if piece:
                    writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            else:
                writer.write(piece)
            await writer.drain()
        if r.drop:
            writer.transport.abort()
            return False
        if r.chunked:
            writer.write(b"0\r\n\r\n")
            await writer.drain()
        return True
