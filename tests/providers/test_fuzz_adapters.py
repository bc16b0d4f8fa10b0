"""Random bytes from a server, to every adapter: the stream ends in one StreamError or StreamDone.

A real loopback server sends each example's bytes (in random pieces) with the content type the
adapter expects; a real httpx client reads them. Nothing may escape as an exception, and the
error a user would read is one line of text.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmtui.providers.base import StreamDone, StreamError
from llmtui.providers.registry import create
from tests.fakes.openai_fake import chunk
from tests.fakes.server import FakeServer, Request, Response
from tests.providers.helpers import ask, spec_for, split

ADAPTERS = {
    # provider id -> (content type of the stream, model)
    "groq": ("text/event-stream", "m"),
    "anthropic": ("text/event-stream", "claude-x"),
    "cohere": ("text/event-stream", "command-x"),
    "bedrock": ("application/vnd.amazon.eventstream", "anthropic.claude-x"),
    "replicate": ("text/event-stream", "acme/llm"),
}

# Bytes that look like each wire format, so the fuzzer reaches past the first parse step.
SEEDS = [
    chunk("m", "Hello") + b"data: [DONE]\n\n",
    b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,'
    b'"delta":{"type":"text_delta","text":"Hi"}}\n\n',
    b'event: output\ndata: hi\n\nevent: done\ndata: {}\n\n',
    b'data: {"type":"content-delta","delta":{"message":{"content":{"text":"x"}}}}\n\n',
    b"\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    b"data: {\"error\": {\"message\": \"bad\\u001b[2J\\nline\"}}\n\n",
    b"event: error\ndata: one\ndata: two\x1b]52;c;eA==\x07\n\n",
]

bodies = st.one_of(
    st.binary(max_size=400),
    st.sampled_from(SEEDS),
    st.builds(lambda a, b, c: a + b + c, st.sampled_from(SEEDS), st.binary(max_size=40),
              st.sampled_from(SEEDS)),
)


class RawServer:
    """Serves `body` in `pieces` as the stream; for Replicate also the prediction it streams from."""

    def __init__(self) -> None:
        self.body = b""
        self.cuts: list[int] = []
        self.content_type = "text/event-stream"
        self.server = FakeServer(self._handle).start()

    def _handle(self, request: Request) -> Response:
        if request.method == "POST" and request.path.endswith("/predictions"):
            base = self.server.url
            return Response.json_body({"id": "p1", "status": "starting", "urls": {
                "stream": f"{base}/stream/p1", "get": f"{base}/v1/predictions/p1",
                "cancel": f"{base}/v1/predictions/p1/cancel"}}, 201)
        if request.path.startswith("/v1/predictions/"):
            return Response.json_body({"id": "p1", "status": "succeeded", "metrics": {}})
        pieces = split(self.body, self.cuts)
        return Response(200, {"content-type": self.content_type}, [(p, 0) for p in pieces])


@pytest.fixture(scope="module")
def raw() -> Iterator[RawServer]:
    server = RawServer()
    yield server
    server.server.stop()


async def _events(provider_id: str, url: str) -> list[object]:
    content_type, model = ADAPTERS[provider_id]
    base = f"{url}/openai/v1" if provider_id == "groq" else url
    options = {"region": "us-east-1"} if provider_id == "bedrock" else {}
    spec = spec_for(provider_id, base, **options)
    async with httpx.AsyncClient(timeout=5) as client:
        provider = create(spec, client, "k")
        return [event async for event in provider.stream(ask(model))]


@pytest.mark.parametrize("provider_id", ADAPTERS)
def test_random_bytes_end_in_one_clear_error(provider_id: str, raw: RawServer) -> None:
    raw.content_type = ADAPTERS[provider_id][0]

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=bodies, cuts=st.lists(st.integers(min_value=0, max_value=500), max_size=6))
    def check(body: bytes, cuts: list[int]) -> None:
        raw.body, raw.cuts = body, cuts
        events = asyncio.run(_events(provider_id, raw.server.url))
        assert events, "no events at all"
        last = events[-1]
        assert isinstance(last, (StreamError, StreamDone)), events
        assert not any(isinstance(e, (StreamError, StreamDone)) for e in events[:-1]), events
        if isinstance(last, StreamError):
            assert isinstance(last.message, str) and last.message
            json.dumps(last.message)  # plain text, serialisable for --json
            assert "\n" not in last.message, last.message

    check()
