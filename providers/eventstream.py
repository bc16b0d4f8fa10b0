"""An incremental decoder for AWS event-stream framing (application/vnd.amazon.eventstream).

Bedrock's ConverseStream answers in binary frames, not SSE. Each message is
`[u32 total_len][u32 headers_len][u32 prelude_crc][headers][payload][u32 message_crc]`,
big-endian; the prelude CRC covers the first 8 bytes and the message CRC every byte
before it (zlib.crc32, as botocore's eventstream parser checks). Feed bytes in any
split; complete messages come out, and a bad CRC or a frame cut off at EOF raises.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Any

PRELUDE_LEN = 12  # total_len, headers_len, prelude_crc
MIN_MESSAGE_LEN = PRELUDE_LEN + 4
MAX_MESSAGE_LEN = 24 * 1024 * 1024  # botocore: 16 MiB payload + 128 KiB headers
MAX_HEADERS_LEN = 128 * 1024

# Header value types, by the spec's type byte -> fixed size (None: u16 length follows).
BOOL_TRUE, BOOL_FALSE, BYTE, SHORT, INTEGER, LONG, BYTE_ARRAY, STRING, TIMESTAMP, UUID = range(10)
_FIXED = {BYTE: ">b", SHORT: ">h", INTEGER: ">i", LONG: ">q", TIMESTAMP: ">q"}


class EventStreamError(ValueError):
    """The bytes are not a valid event stream (bad CRC, bad header, cut-off frame)."""


@dataclass(frozen=True, slots=True)
class EventMessage:
    """One decoded frame: its headers (name -> value) and raw payload."""

    headers: dict[str, Any] = field(default_factory=dict)
    payload: bytes = b""

    @property
    def message_type(self) -> str:
        return str(self.headers.get(":message-type", "event"))


def decode_headers(data: bytes) -> dict[str, Any]:
    """Parse a frame's header block; every value type of the spec is handled by its size."""
    headers: dict[str, Any] = {}
    i, n = 0, len(data)
    while i < n:
        name_len = data[i]
        i += 1
        if name_len == 0 or i + name_len + 1 > n:
            raise EventStreamError("event-stream header name runs past the header block")
        name = data[i : i + name_len].decode("utf-8", errors="replace")
        i += name_len
        kind = data[i]
        i += 1
        value: Any
        if kind == BOOL_TRUE:
            value = True
        elif kind == BOOL_FALSE:
            value = False
        elif kind in _FIXED:
            fmt = _FIXED[kind]
            size = struct.calcsize(fmt)
            if i + size > n:
                raise EventStreamError(f"event-stream header {name!r} is cut short")
            (value,) = struct.unpack_from(fmt, data, i)
            i += size
        elif kind in (BYTE_ARRAY, STRING):
            if i + 2 > n:
                raise EventStreamError(f"event-stream header {name!r} is cut short")
            (length,) = struct.unpack_from(">H", data, i)
            i += 2
            if i + length > n:
                raise EventStreamError(f"event-stream header {name!r} is cut short")
            raw = data[i : i + length]
            i += length
            value = raw.decode("utf-8", errors="replace") if kind == STRING else bytes(raw)
        elif kind == UUID:
            if i + 16 > n:
                raise EventStreamError(f"event-stream header {name!r} is cut short")
            value = uuid.UUID(bytes=bytes(data[i : i + 16]))
            i += 16
        else:
            raise EventStreamError(f"event-stream header {name!r} has unknown type {kind}")
        headers[name] = value
    return headers


class EventStreamDecoder:
    """Feed it bytes in any split; it returns the complete messages so far."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, chunk: bytes) -> list[EventMessage]:
        self._buf += chunk
        messages: list[EventMessage] = []
        while len(self._buf) >= PRELUDE_LEN:
            total_len, headers_len, prelude_crc = struct.unpack_from(">III", self._buf, 0)
            if zlib.crc32(self._buf[:8]) != prelude_crc:
                raise EventStreamError("event-stream prelude CRC mismatch (corrupt frame)")
            if total_len < MIN_MESSAGE_LEN or total_len > MAX_MESSAGE_LEN:
                raise EventStreamError(f"event-stream frame has an impossible length {total_len}")
            if headers_len > MAX_HEADERS_LEN or PRELUDE_LEN + headers_len + 4 > total_len:
                raise EventStreamError(f"event-stream frame has impossible headers length {headers_len}")
            if len(self._buf) < total_len:
                break
            frame = bytes(self._buf[:total_len])
            del self._buf[:total_len]
            (message_crc,) = struct.unpack_from(">I", frame, total_len - 4)
            if zlib.crc32(frame[:-4]) != message_crc:
                raise EventStreamError("event-stream message CRC mismatch (corrupt frame)")
            headers = decode_headers(frame[PRELUDE_LEN : PRELUDE_LEN + headers_len])
            messages.append(EventMessage(headers, frame[PRELUDE_LEN + headers_len : -4]))
        return messages

    def close(self) -> None:
        """End of stream: leftover bytes mean the last frame was cut off."""
        if self._buf:
            left = len(self._buf)
            self._buf.clear()
            raise EventStreamError(f"event stream ended inside a frame ({left} bytes left over)")
