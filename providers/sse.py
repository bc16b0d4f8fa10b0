"""A byte-level Server-Sent Events decoder (WHATWG event-stream rules).

Why not `response.aiter_lines()`: it splits on U+2028 and other Unicode line
breaks, which silently loses text that a model wrote. Here only CR, LF and CRLF
end a line, UTF-8 is decoded incrementally (a character may be split across
network chunks), and an event is dispatched only by a blank line.

Limits (README "Reliability"): one line may hold MAX_LINE_CHARS characters and one event
MAX_EVENT_CHARS characters of data; past either the decoder raises TooLarge, which the
adapter reports as a bad response. The cost is linear in the bytes fed, however they are
split: a partial line is kept as a list of pieces, joined once when its line ends.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from llmtui.providers.base import ErrorKind, ProviderError, TooLarge

if TYPE_CHECKING:
    import httpx


_LINE_BREAK = re.compile(r"\r\n|\r|\n")

MAX_LINE_CHARS = 16 * 1024 * 1024
MAX_EVENT_CHARS = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SSEvent:
    """One dispatched event. `event` defaults to "message" as in the spec."""

    event: str
    data: str
    id: str = ""


class SSEDecoder:
    """Feed it bytes in any split; it returns the complete events so far."""

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending: list[str] = []  # pieces of the text after the last line break
        self._pending_len = 0
        self._skip_lf = False  # last chunk ended in CR: a leading LF belongs to it
        self._first = True
        self._event = ""
        self._data: list[str] | None = None
        self._data_len = 0
        self._id = ""

    def feed(self, chunk: bytes) -> list[SSEvent]:
        return self._feed_text(self._utf8.decode(chunk))

    def close(self) -> list[SSEvent]:
        """End of stream: an unterminated event is discarded, per the spec."""
        events = self._feed_text(self._utf8.decode(b"", final=True))
        self._pending, self._pending_len = [], 0
        return events

    def _feed_text(self, text: str) -> list[SSEvent]:
        if self._first and text:
            self._first = False
            text = text.removeprefix("\ufeff")
        events: list[SSEvent] = []
        start = 0
        n = len(text)
        if self._skip_lf and n:
            self._skip_lf = False
            if text[0] == "\n":
                start = 1
        # Line breaks found by the regex engine, not a Python loop over every character:
        # this runs for every byte of every stream.
        for match in _LINE_BREAK.finditer(text, start):
            line = text[start:match.start()]
            if self._pending:
                self._pending.append(line)
                line = "".join(self._pending)
                self._pending, self._pending_len = [], 0
            if len(line) > MAX_LINE_CHARS:
                raise TooLarge(f"an event-stream line is longer than {MAX_LINE_CHARS:,} characters")
            if match.group() == "\r" and match.end() == n:
                self._skip_lf = True  # a CRLF may be split across chunks
            event = self._line(line)
            if event is not None:
                events.append(event)
            start = match.end()
        if start < n:
            self._pending_len += n - start
            if self._pending_len > MAX_LINE_CHARS:
                raise TooLarge(f"an event-stream line is longer than {MAX_LINE_CHARS:,} characters")
            self._pending.append(text[start:])
        return events

    def _line(self, line: str) -> SSEvent | None:
        if not line:
            return self._dispatch()
        if line[0] == ":":
            return None  # a comment, e.g. DeepSeek's ": keep-alive"
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            if self._data is None:
                self._data = []
            self._data_len += len(value) + 1
            if self._data_len > MAX_EVENT_CHARS:
                raise TooLarge(f"an event is larger than {MAX_EVENT_CHARS:,} characters")
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        return None

    def _dispatch(self) -> SSEvent | None:
        data, self._data = self._data, None
        self._data_len = 0
        event, self._event = self._event, ""
        if data is None:
            return None
        return SSEvent(event or "message", "\n".join(data), self._id)


async def sse_events(chunks: AsyncIterable[bytes]) -> AsyncIterator[SSEvent]:
    """Events from a byte stream, as they arrive."""
    decoder = SSEDecoder()
    async for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.close():
        yield event


async def sse_batches(chunks: AsyncIterable[bytes]) -> AsyncIterator[list[SSEvent]]:
    """Events from a byte stream, every event one network read completed at once (never an
    empty list): the adapter decodes them all before it yields to the event loop."""
    decoder = SSEDecoder()
    async for chunk in chunks:
        events = decoder.feed(chunk)
        if events:
            yield events
    events = decoder.close()
    if events:
        yield events


def aiter_sse(response: httpx.Response) -> AsyncIterator[SSEvent]:
    """Events from a streaming httpx response, as they arrive."""
    return sse_events(response.aiter_bytes())


_FIELD_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:data|event|id|retry)?:")


def looks_like_sse(start: bytes) -> bool:
    """Does a body that starts so read as an event stream (a field or a comment first)?
    Servers label streams `text/plain` or nothing at all; the bytes decide."""
    return bool(_FIELD_START.match(start))


def json_object(label: str, data: str, what: str = "event") -> dict[str, Any]:
    """An event's data as a JSON object, or a bad response naming the provider and the start of
    what came instead (`what` is the adapter's word for one piece of its stream)."""
    try:
        value = json.loads(data)
    except ValueError:
        raise ProviderError(
            ErrorKind.BAD_RESPONSE, f"{label}: malformed stream {what} (not JSON): {data[:80]!r}"
        ) from None
    if not isinstance(value, dict):
        raise ProviderError(ErrorKind.BAD_RESPONSE, f"{label}: unexpected {what} {data[:80]!r}")
    return value
