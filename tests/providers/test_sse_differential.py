"""Differential fuzz: llmtui's SSE decoder against a reference parser written from the WHATWG
HTML standard, section 9.2.6 "Interpreting an event stream", on hostile byte streams cut at
random points (and one byte at a time). Every stream must give the same events.

The reference is deliberately naive and whole-input: decode all bytes as UTF-8 with
replacement, drop one leading BOM, split into lines on CRLF / CR / LF only, and run the
spec's field algorithm line by line. An unterminated last line and an undispatched last event
are discarded at end of stream, as the spec says.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from llmtui.providers.sse import SSEDecoder, SSEvent
from tests.providers.helpers import split


def reference_events(raw: bytes) -> list[SSEvent]:
    text = raw.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    ends = list(re.finditer(r"\r\n|\r|\n", text))
    lines, pos = [], 0
    for end in ends:
        lines.append(text[pos:end.start()])
        pos = end.end()
    events: list[SSEvent] = []
    data, event_type, last_id = "", "", ""
    for line in lines:
        if line == "":  # dispatch
            if data == "":
                event_type = ""
                continue
            events.append(SSEvent(event_type or "message", data.removesuffix("\n"), last_id))
            data, event_type = "", ""
            continue
        if line.startswith(":"):
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            data += value + "\n"
        elif name == "event":
            event_type = value
        elif name == "id" and "\x00" not in value:
            last_id = value
        # "retry" and unknown fields: ignored (llmtui never reconnects)
    return events


def decoded(pieces: list[bytes]) -> list[SSEvent]:
    decoder = SSEDecoder()
    out: list[SSEvent] = []
    for piece in pieces:
        out += decoder.feed(piece)
    return out + decoder.close()


FIELDS = ["data", "data:", "data: ", "event:", "event: error", "id:", "id: 7", "retry: 10", ":",
          ": keep-alive", "dat", "DATA:", " data:", "data : ", "\ufeff", "\u2028", "\u0085", "\x00",
          "é", "€", "😀", "[DONE]", '{"choices":[]}', "x" * 40, "\t", "field-without-colon"]
BREAKS = ["\n", "\r", "\r\n", "\n\n", "\r\r", "\r\n\r\n", "\n\r"]
BAD_BYTES = [b"\xff", b"\xfe", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf0\x9f\x98", b"\x80",
             b"\xc0\xaf"]

parts = st.one_of(
    st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4).map(lambda p: "".join(p).encode()),
    st.sampled_from(BREAKS).map(str.encode),
    st.sampled_from(BAD_BYTES),
    st.binary(max_size=12),
)
streams = st.tuples(st.booleans(), st.lists(parts, max_size=30)).map(
    lambda t: ("\ufeff".encode() if t[0] else b"") + b"".join(t[1]))


@settings(max_examples=600, deadline=None)
@given(streams, st.lists(st.integers(min_value=0, max_value=400), max_size=10))
def test_same_events_as_the_reference_whatever_the_split(raw: bytes, cuts: list[int]) -> None:
    assert decoded(split(raw, cuts)) == reference_events(raw)


@settings(max_examples=150, deadline=None)
@given(streams)
def test_same_events_fed_one_byte_at_a_time(raw: bytes) -> None:
    assert decoded([raw[i:i + 1] for i in range(len(raw))]) == reference_events(raw)
