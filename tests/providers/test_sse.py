"""The SSE decoder: WHATWG rules, and the same events however the bytes are split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from llmtui.providers.sse import SSEDecoder, SSEvent


def decode(*chunks: bytes) -> list[SSEvent]:
    decoder = SSEDecoder()
    events = [e for c in chunks for e in decoder.feed(c)]
    return events + decoder.close()


def test_basic_events_comments_and_names() -> None:
    raw = (b": keep-alive\n\nevent: message_start\ndata: {\"a\":1}\n\n"
           b"data: first\ndata: second\n\nid: 7\ndata:nospace\n\n")
    assert decode(raw) == [
        SSEvent("message_start", '{"a":1}'),
        SSEvent("message", "first\nsecond"),
        SSEvent("message", "nospace", "7"),
    ]


def test_crlf_and_cr_line_endings() -> None:
    assert decode(b"data: a\r\n\r\ndata: b\r\rdata: c\n\n") == [
        SSEvent("message", "a"), SSEvent("message", "b"), SSEvent("message", "c")]


def test_unicode_line_separators_are_text_not_line_breaks() -> None:
    # aiter_lines() would split here and lose text.
    text = "one\u2028two\u2029three\x85four"
    assert decode(f"data: {text}\n\n".encode()) == [SSEvent("message", text)]


def test_unterminated_event_is_dropped_and_bom_is_stripped() -> None:
    assert decode("\ufeffdata: x\n\ndata: half".encode()) == [SSEvent("message", "x")]


def test_empty_data_line_still_dispatches_but_id_only_does_not() -> None:
    assert decode(b"id: 1\n\nevent: output\ndata:\n\n") == [SSEvent("output", "", "1")]


def test_utf8_split_inside_a_character() -> None:
    raw = "data: caf\u00e9 \U0001f600\n\n".encode()
    cut = raw.index(b"\xf0") + 2
    assert decode(raw[:cut], raw[cut:]) == [SSEvent("message", "caf\u00e9 \U0001f600")]


events_st = st.lists(
    st.tuples(
        st.sampled_from(["", "message_start", "output", "done"]),
        st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"],
                                                blacklist_characters="\r\n"), max_size=20),
                 min_size=1, max_size=3),
    ),
    max_size=6,
)


@given(events_st, st.lists(st.integers(min_value=0, max_value=400), max_size=12),
       st.sampled_from([b"\n", b"\r\n", b"\r"]))
def test_any_split_gives_the_same_events(events, cuts, eol) -> None:  # type: ignore[no-untyped-def]
    raw = b""
    for name, lines in events:
        if name:
            raw += b"event: " + name.encode() + eol
        for line in lines:
            raw += b"data: " + line.encode() + eol
        raw += eol
    whole = decode(raw)
    assert [(e.event, e.data) for e in whole] == [
        (name or "message", "\n".join(lines)) for name, lines in events]
    points = sorted({min(c, len(raw)) for c in cuts})
    pieces = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
    assert decode(*pieces) == whole


@given(st.binary(max_size=300), st.lists(st.integers(min_value=0, max_value=300), max_size=8))
def test_random_bytes_never_raise(raw: bytes, cuts: list[int]) -> None:
    points = sorted({min(c, len(raw)) for c in cuts})
    pieces = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
    assert decode(*pieces) == decode(raw)
