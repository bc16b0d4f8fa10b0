"""One delta per network read (providers/batching.py): text, thinking and order survive batching.

A loopback server sends a whole answer in one write and in many small pieces; the adapter must
hand on fewer events than the server sent deltas, and the joined text must be exactly what was
sent, thinking apart from the answer, with nothing dropped at the end or before a bad chunk.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmtui.providers.base import (
    ReasoningDelta,
    StreamDone,
    StreamError,
    StreamEvent,
    TextDelta,
    Usage,
    UsageReport,
)
from llmtui.providers.batching import coalesce
from llmtui.providers.openai_compat import OpenAICompatProvider
from tests.fakes.openai_fake import chunk, sse
from tests.providers.helpers import SplitServer, ask, collect, spec_for, split

THOUGHTS = [f"t{i} " for i in range(300)]
ANSWER = [f"w{i}{' ' if i % 7 else chr(10)}" for i in range(500)] + ["é€😀 ENDMARK"]


def body(thoughts: list[str], answer: list[str], tail: bytes = b"data: [DONE]\n\n") -> bytes:
    parts = [sse({"choices": [{"index": 0, "delta": {"reasoning_content": t}}]}) for t in thoughts]
    parts += [chunk("m", w) for w in answer]
    parts.append(chunk("m", None, finish="stop"))
    return b"".join(parts) + tail


@pytest.fixture
def server() -> Iterator[SplitServer]:
    s = SplitServer("text/event-stream")
    yield s
    s.server.stop()


def texts(events: list[StreamEvent]) -> tuple[str, str]:
    answer = "".join(e.text for e in events if isinstance(e, TextDelta))
    thought = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    return answer, thought


def test_a_read_full_of_deltas_arrives_as_few_events_with_all_the_text(server: SplitServer) -> None:
    server.pieces = [body(THOUGHTS, ANSWER)]
    events = collect(OpenAICompatProvider, spec_for("deepseek", server.server.url), "k", ask("m"))
    assert texts(events) == ("".join(ANSWER), "".join(THOUGHTS))
    assert isinstance(events[-1], StreamDone) and events[-1].finish_reason == "stop"
    deltas = [e for e in events if isinstance(e, (TextDelta, ReasoningDelta))]
    assert len(deltas) < (len(THOUGHTS) + len(ANSWER)) // 10  # batched, not one per token
    # Thinking comes first, then the answer: never interleaved by the batching.
    kinds = [type(e) for e in deltas]
    assert kinds == sorted(kinds, key=lambda k: k is TextDelta)


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0), max_size=40))
def test_same_text_however_the_bytes_are_split(cuts: list[int]) -> None:
    s = SplitServer("text/event-stream")
    try:
        s.pieces = split(body(THOUGHTS[:40], ANSWER[:80]), cuts)
        events = collect(OpenAICompatProvider, spec_for("deepseek", s.server.url), "k", ask("m"))
    finally:
        s.server.stop()
    assert texts(events) == ("".join(ANSWER[:80]), "".join(THOUGHTS[:40]))
    assert isinstance(events[-1], StreamDone)


def test_text_before_a_bad_chunk_in_the_same_read_is_kept(server: SplitServer) -> None:
    server.pieces = [body([], ANSWER[:50], tail=b"data: {not json\n\n")]
    events = collect(OpenAICompatProvider, spec_for("deepseek", server.server.url), "k", ask("m"))
    assert texts(events)[0] == "".join(ANSWER[:50])
    assert isinstance(events[-1], StreamError) and "not JSON" in events[-1].message


def test_coalesce_joins_only_neighbours_of_one_kind() -> None:
    usage = UsageReport(Usage(1, 2))
    events: list[StreamEvent] = [
        ReasoningDelta("a"), ReasoningDelta("b"), ReasoningDelta("", redacted=True),
        ReasoningDelta("c"), TextDelta("x"), TextDelta("y"), usage, TextDelta("z"),
        StreamDone("stop"),
    ]
    assert coalesce(events) == [
        ReasoningDelta("ab"), ReasoningDelta("", redacted=True), ReasoningDelta("c"),
        TextDelta("xy"), usage, TextDelta("z"), StreamDone("stop"),
    ]
    assert coalesce([]) == []
    single = TextDelta("only")
    assert coalesce([single])[0] is single
