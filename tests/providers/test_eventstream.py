"""The AWS event-stream decoder against frames built here from the format's spec."""

from __future__ import annotations

import struct
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtui.providers.eventstream import EventStreamDecoder, EventStreamError
from tests.fakes.bedrock_fake import event, exception, frame, header, string_header
from tests.providers.helpers import split


def decode_all(data: bytes, pieces: list[bytes] | None = None) -> list[tuple[dict, bytes]]:  # type: ignore[type-arg]
    decoder = EventStreamDecoder()
    out = []
    for piece in pieces if pieces is not None else [data]:
        out += [(m.headers, m.payload) for m in decoder.feed(piece)]
    decoder.close()
    return out


def test_one_string_header_frame() -> None:
    data = frame(string_header(":event-type", "messageStart"), b'{"role":"assistant"}')
    assert decode_all(data) == [({":event-type": "messageStart"}, b'{"role":"assistant"}')]


def test_every_header_type_is_parsed_by_its_size() -> None:
    the_uuid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    headers = (
        header("t", 0, b"")
        + header("f", 1, b"")
        + header("b", 2, struct.pack(">b", -5))
        + header("s", 3, struct.pack(">h", -300))
        + header("i", 4, struct.pack(">i", 70000))
        + header("l", 5, struct.pack(">q", 2**40))
        + header("ba", 6, struct.pack(">H", 3) + b"\x00\x01\x02")
        + string_header("str", "caf\u00e9")
        + header("ts", 8, struct.pack(">q", 1_700_000_000_000))
        + header("u", 9, the_uuid.bytes)
    )
    [(got, payload)] = decode_all(frame(headers, b"x"))
    assert got == {"t": True, "f": False, "b": -5, "s": -300, "i": 70000, "l": 2**40,
                   "ba": b"\x00\x01\x02", "str": "caf\u00e9", "ts": 1_700_000_000_000, "u": the_uuid}
    assert payload == b"x"


def test_empty_headers_and_payload() -> None:
    assert decode_all(frame(b"", b"")) == [({}, b"")]


def test_bad_message_crc_raises() -> None:
    good = frame(string_header(":event-type", "x"), b"{}")
    bad = good[:-4] + bytes(4)
    with pytest.raises(EventStreamError, match="message CRC"):
        decode_all(bad)


def test_bad_prelude_crc_raises() -> None:
    good = bytearray(frame(b"", b"{}"))
    good[8] ^= 0xFF
    with pytest.raises(EventStreamError, match="prelude CRC"):
        decode_all(bytes(good))


def test_frame_cut_in_half_raises_at_eof() -> None:
    data = frame(string_header(":event-type", "x"), b'{"a":1}')
    decoder = EventStreamDecoder()
    assert decoder.feed(data[: len(data) // 2]) == []
    with pytest.raises(EventStreamError, match="ended inside a frame"):
        decoder.close()


def test_unknown_header_type_raises() -> None:
    with pytest.raises(EventStreamError, match="unknown type"):
        decode_all(frame(header("x", 42, b""), b""))


STREAM = b"".join([
    event("messageStart", {"role": "assistant"}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "caf\u00e9 \U0001f600"}}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": " two"}}),
    event("messageStop", {"stopReason": "end_turn"}),
    event("metadata", {"usage": {"inputTokens": 1, "outputTokens": 2}}),
    exception("throttlingException", "slow down"),
])


@given(cuts=st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=20))
def test_same_messages_however_the_bytes_are_split(cuts: list[int]) -> None:
    assert decode_all(STREAM, split(STREAM, cuts)) == decode_all(STREAM)
    assert len(decode_all(STREAM)) == 6


@given(cut=st.integers(min_value=1, max_value=len(STREAM) - 1))
def test_any_cut_off_tail_is_detected(cut: int) -> None:
    ends = set()
    pos = 0
    while pos < len(STREAM):
        pos += struct.unpack_from(">I", STREAM, pos)[0]
        ends.add(pos)
    decoder = EventStreamDecoder()
    decoder.feed(STREAM[:cut])
    if cut in ends:
        decoder.close()
    else:
        with pytest.raises(EventStreamError):
            decoder.close()
