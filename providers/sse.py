"""A byte-level Server-Sent Events decoder (WHATWG event-stream rules).

Why not `response.aiter_lines()`: it splits on U+2028 and other Unicode line
breaks, which silently loses text that a model wrote. Here only CR, LF and CRLF
end a line, UTF-8 is decoded incrementally (a character may be split across
network chunks), and an event is dispatched only by a blank line.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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
        self._pending = ""  # text after the last line break
        self._skip_lf = False  # last chunk ended in CR: a leading LF belongs to it
        self._first = True
        self._event = ""
        self._data: list[str] | None = None
        self._id = ""

    def feed(self, chunk: bytes) -> list[SSEvent]:
        return self._feed_text(self._utf8.decode(chunk))

    def close(self) -> list[SSEvent]:
        """End of stream: an unterminated event is discarded, per the spec."""
        events = self._feed_text(self._utf8.decode(b"", final=True))
        self._pending = ""
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
        buf = self._pending
        # Line breaks found by the regex engine, not a Python loop over every character:
        # this runs for every byte of every stream.
        for match in _LINE_BREAK.finditer(text, start):
            line = buf + text[start:match.start()]
            buf = ""
            if match.group() == "\r" and match.end() == n:
                self._skip_lf = True  # a CRLF may be split across chunks
            event = self._line(line)
            if event is not None:
                events.append(event)
            start = match.end()
        self._pending = buf + text[start:]
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
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        return None

    def _dispatch(self) -> SSEvent | None:
        data, self._data = self._data, None
        event, self._event = self._event, ""
        if data is None:
            return None
        return SSEvent(event or "message", "\n".join(data), self._id)


async def aiter_sse(response: httpx.Response) -> AsyncIterator[SSEvent]:
    """Events from a streaming httpx response, as they arrive."""
    decoder = SSEDecoder()
    async for chunk in response.aiter_bytes():
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.close():
        yield event
