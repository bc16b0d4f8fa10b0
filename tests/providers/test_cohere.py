"""Cohere v2 chat: `llmtui ask` end to end and the adapter directly, against a wire-exact fake."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmtui.providers.base import KeyStatus, StreamDone, StreamError, TextDelta, UsageReport
from llmtui.providers.cohere import CohereProvider
from tests.fakes.cohere_fake import CohereFake, content_delta, message_end, sse
from tests.fakes.server import FakeServer
from tests.providers.helpers import SplitServer, ask, ask_json, collect, spec_for, split

KEY = "co-test-key"
ENV = {"CO_API_KEY": KEY}


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeServer, CohereFake]]:
    fake = CohereFake(expected_key=KEY)
    server = FakeServer(fake).start()
    yield server, fake
    server.stop()


@pytest.fixture
def configured(write_config, fake) -> FakeServer:  # type: ignore[no-untyped-def]
    server, _ = fake
    write_config(f'[providers.cohere]\nbase_url = "{server.url}"\n\n[network]\nmax_retries = 0\n')
    return server


def test_ask_streams_text_billed_usage_and_finish(configured: FakeServer) -> None:
    before = len(configured.requests)
    code, data = ask_json("-m", "cohere/command-a-03-2025", "-s", "Be brief.", "--max-tokens", "50",
                          "--temperature", "0.3", "hi", env=ENV)
    assert code == 0, data
    assert data["text"] == "Hello from Command!"
    assert data["finish_reason"] == "COMPLETE"
    # billed_units, not the raw `tokens` counts (71/5)
    assert data["usage"] == {"input_tokens": 5, "output_tokens": 4, "cached_input_tokens": 0,
                             "estimated": False, "reasoning_tokens": None,
                             "reasoning_estimated": False}
    request = configured.requests[before]
    assert request.path == "/v2/chat"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.json() == {
        "model": "command-a-03-2025",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}],
        "stream": True, "max_tokens": 50, "temperature": 0.3,
    }


def test_done_marker_ends_cleanly(configured: FakeServer) -> None:
    code, data = ask_json("-m", "cohere/done-marker", "hi", env=ENV)
    assert code == 0
    assert data["text"] == "Hello from Command!"
    assert data["finish_reason"] == "COMPLETE"


def test_cached_tokens_reported(configured: FakeServer) -> None:
    code, data = ask_json("-m", "cohere/cached", "hi", env=ENV)
    assert code == 0
    assert data["usage"]["cached_input_tokens"] == 3


@pytest.mark.parametrize(
    ("model", "kind", "needle"),
    [
        ("429", "rate_limit", "HTTP 429: You are using a Trial key"),
        ("500", "server", "HTTP 500: internal server error"),
        ("498", "auth", "HTTP 498: invalid token"),
    ],
)
def test_http_errors(configured: FakeServer, model: str, kind: str, needle: str) -> None:
    code, data = ask_json("-m", f"cohere/{model}", "hi", env=ENV)
    assert code == 1
    assert data["error"]["kind"] == kind
    assert needle in data["error"]["message"]


def test_bad_key(configured: FakeServer) -> None:
    code, data = ask_json("-m", "cohere/command-a-03-2025", "hi", env={"CO_API_KEY": "wrong-co-key-77"})
    assert code == 1
    assert data["error"]["kind"] == "auth"
    assert "invalid api token" in data["error"]["message"]
    assert "wrong-co-key-77" not in str(data)


def test_error_finish_midstream_keeps_text(configured: FakeServer) -> None:
    code, data = ask_json("-m", "cohere/error-finish", "hi", env=ENV)
    assert code == 1
    assert data["text"] == "Hello from"
    assert data["error"]["kind"] == "server"
    assert "model overloaded" in data["error"]["message"]


def test_dropped_stream_is_an_error(configured: FakeServer) -> None:
    code, data = ask_json("-m", "cohere/drop", "hi", env=ENV)
    assert code == 1
    assert data["text"] == "Hello from"
    assert data["error"]["kind"] == "network"


def test_429_then_success_gives_one_answer(write_config, fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake
    write_config(f'[providers.cohere]\nbase_url = "{server.url}"\n')
    code, data = ask_json("-m", "cohere/429-once", "hi", env=ENV)
    assert code == 0, data
    assert data["text"] == "Hello from Command!"


def test_model_list_uses_name_and_context(fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake

    async def go():  # type: ignore[no-untyped-def]
        async with httpx.AsyncClient() as client:
            provider = CohereProvider(spec_for("cohere", server.url), client, KEY)
            return await provider.list_models(), await provider.check_key()

    before = len(server.requests)
    models, status = asyncio.run(go())
    assert [(m.id, m.context_length) for m in models] == [("command-a-03-2025", 256000),
                                                         ("command-r7b-12-2024", 128000)]
    assert status[0] is KeyStatus.OK
    assert "endpoint=chat" in server.requests[before].query


WIRE = (sse({"id": "x", "type": "message-start", "delta": {"message": {"role": "assistant"}}})
        + content_delta("caf\u00e9 \U0001f600")
        + content_delta(" line\u2028two")
        + sse({"type": "content-end", "index": 0})
        + message_end("MAX_TOKENS")
        + sse(b"[DONE]"))


@pytest.fixture(scope="module")
def split_server() -> Iterator[SplitServer]:
    server = SplitServer("text/event-stream")
    yield server
    server.server.stop()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=0, max_value=len(WIRE)), max_size=12))
def test_same_events_however_the_bytes_are_split(split_server: SplitServer, cuts: list[int]) -> None:
    split_server.pieces = split(WIRE, cuts)
    events = collect(CohereProvider, spec_for("cohere", split_server.server.url), KEY, ask("m"))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["caf\u00e9 \U0001f600",
                                                                    " line\u2028two"]
    assert next(e for e in events if isinstance(e, UsageReport)).usage.input_tokens == 5
    assert events[-1] == StreamDone("MAX_TOKENS")
    assert not any(isinstance(e, StreamError) for e in events)
