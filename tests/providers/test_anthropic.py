"""Anthropic Messages: `llmtui ask` end to end and the adapter directly, against a wire-exact fake."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmtui.providers.anthropic import AnthropicProvider
from llmtui.providers.base import (
    ErrorKind,
    KeyStatus,
    RateLimit,
    StreamDone,
    StreamError,
    TextDelta,
    UsageReport,
)
from tests.fakes.anthropic_fake import AnthropicFake, message_start, text_delta
from tests.fakes.anthropic_fake import event as sse_event
from tests.fakes.server import FakeServer
from tests.providers.helpers import SplitServer, ask, ask_json, collect, spec_for, split

KEY = "sk-ant-test"
ENV = {"ANTHROPIC_API_KEY": KEY}


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeServer, AnthropicFake]]:
    fake = AnthropicFake(expected_key=KEY)
    server = FakeServer(fake).start()
    yield server, fake
    server.stop()


@pytest.fixture
def configured(write_config, fake) -> FakeServer:  # type: ignore[no-untyped-def]
    server, _ = fake
    write_config(f'[providers.anthropic]\nbase_url = "{server.url}"\n\n[network]\nmax_retries = 0\n')
    return server


def test_ask_streams_text_usage_and_finish(configured: FakeServer) -> None:
    before = len(configured.requests)
    code, data = ask_json("-m", "anthropic/claude-sonnet-4-5", "-s", "Be brief.", "--max-tokens",
                          "64", "hi", env=ENV)
    assert code == 0, data
    assert data["text"] == "Hello from Claude!"
    assert data["finish_reason"] == "end_turn"
    assert data["usage"] == {"input_tokens": 12, "output_tokens": 5, "cached_input_tokens": 0,
                             "estimated": False, "reasoning_tokens": None,
                             "reasoning_estimated": False}
    assert data["rate_limit"]["remaining_requests"] == 49
    assert data["rate_limit"]["limit_tokens"] == 80000
    request = configured.requests[before]
    assert request.path == "/v1/messages"
    assert request.headers["x-api-key"] == KEY
    assert request.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in request.headers
    body = request.json()
    assert body == {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "hi"}],
                    "max_tokens": 64, "stream": True, "system": "Be brief."}


def test_max_tokens_defaults_when_not_given(configured: FakeServer) -> None:
    before = len(configured.requests)
    code, _ = ask_json("-m", "anthropic/claude-sonnet-4-5", "hi", env=ENV)
    assert code == 0
    assert configured.requests[before].json()["max_tokens"] == 4096


def test_cached_usage_counts_all_input(configured: FakeServer) -> None:
    code, data = ask_json("-m", "anthropic/cached", "hi", env=ENV)
    assert code == 0
    # 10 uncached + 200 written + 1000 read
    assert data["usage"]["input_tokens"] == 1210
    assert data["usage"]["cached_input_tokens"] == 1000


@pytest.mark.parametrize(
    ("model", "kind", "needle"),
    [
        ("429", "rate_limit", "HTTP 429: Number of request tokens"),
        ("500", "server", "HTTP 500: Internal server error"),
        ("529", "server", "HTTP 529: Overloaded"),
    ],
)
def test_http_errors(configured: FakeServer, model: str, kind: str, needle: str) -> None:
    code, data = ask_json("-m", f"anthropic/{model}", "hi", env=ENV)
    assert code == 1
    assert data["error"]["kind"] == kind
    assert needle in data["error"]["message"]
    assert data["text"] == ""


def test_bad_key_is_auth_and_never_printed(configured: FakeServer) -> None:
    code, data = ask_json("-m", "anthropic/claude-sonnet-4-5", "hi",
                          env={"ANTHROPIC_API_KEY": "sk-ant-wrong-key-1234"})
    assert code == 1
    assert data["error"]["kind"] == "auth"
    assert "invalid x-api-key" in data["error"]["message"]
    assert "sk-ant-wrong-key-1234" not in str(data)


def test_overloaded_midstream_keeps_text(configured: FakeServer) -> None:
    code, data = ask_json("-m", "anthropic/overloaded-midstream", "hi", env=ENV)
    assert code == 1
    assert data["text"] == "Hello from"
    assert data["error"]["kind"] == "server"
    assert "overloaded_error: Overloaded" in data["error"]["message"]
    assert data["interrupted"] is True


@pytest.mark.parametrize("model", ["drop", "no-stop"])
def test_truncated_stream_is_an_error(configured: FakeServer, model: str) -> None:
    code, data = ask_json("-m", f"anthropic/{model}", "hi", env=ENV)
    assert code == 1
    assert data["text"] == "Hello from"
    assert data["error"]["kind"] == "network"


def test_429_then_success_gives_one_answer(write_config, fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake
    write_config(f'[providers.anthropic]\nbase_url = "{server.url}"\n')
    code, data = ask_json("-m", "anthropic/429-once", "hi", env=ENV)
    assert code == 0, data
    assert data["text"] == "Hello from Claude!"
    assert data["error"] is None


def test_adapter_events_in_order(fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake
    events = collect(AnthropicProvider, spec_for("anthropic", server.url), KEY, ask("claude"))
    assert isinstance(events[0], RateLimit)
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Hello", " from", " Claude", "!"]
    usage = next(e for e in events if isinstance(e, UsageReport)).usage
    assert (usage.input_tokens, usage.output_tokens) == (12, 5)
    assert events[-1] == StreamDone("end_turn")


def test_history_keeps_roles_alternating() -> None:
    from llmtui.providers.anthropic import messages_for
    from llmtui.providers.base import ChatMessage

    messages, system = messages_for((
        ChatMessage("system", "sys"), ChatMessage("user", "a"), ChatMessage("user", "b"),
        ChatMessage("assistant", "c"), ChatMessage("user", "d"),
    ))
    assert system == ["sys"]
    assert messages == [{"role": "user", "content": "a\n\nb"}, {"role": "assistant", "content": "c"},
                        {"role": "user", "content": "d"}]


def test_model_list_and_key_check(fake) -> None:  # type: ignore[no-untyped-def]
    import httpx

    server, _ = fake

    async def go() -> tuple[list, tuple, tuple]:  # type: ignore[type-arg]
        async with httpx.AsyncClient() as client:
            good = AnthropicProvider(spec_for("anthropic", server.url), client, KEY)
            bad = AnthropicProvider(spec_for("anthropic", server.url), client, "nope")
            return await good.list_models(), await good.check_key(), await bad.check_key()

    models, ok, rejected = asyncio.run(go())
    assert [(m.id, m.context_length) for m in models] == [("claude-sonnet-4-5", 200000),
                                                         ("claude-haiku-4-5", None)]
    assert ok[0] is KeyStatus.OK
    assert rejected[0] is KeyStatus.REJECTED


WIRE = (message_start("m", {"input_tokens": 3, "cache_creation_input_tokens": 0,
                            "cache_read_input_tokens": 0})
        + sse_event("ping", {"type": "ping"})
        + text_delta("caf\u00e9 \U0001f600 line\u2028sep")
        + text_delta(" two")
        + sse_event("message_delta", {"type": "message_delta", "delta": {"stop_reason": "max_tokens"},
                                      "usage": {"output_tokens": 9}})
        + sse_event("message_stop", {"type": "message_stop"}))


@pytest.fixture(scope="module")
def split_server() -> Iterator[SplitServer]:
    server = SplitServer("text/event-stream")
    yield server
    server.server.stop()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=0, max_value=len(WIRE)), max_size=12))
def test_same_events_however_the_bytes_are_split(split_server: SplitServer, cuts: list[int]) -> None:
    split_server.pieces = split(WIRE, cuts)
    events = collect(AnthropicProvider, spec_for("anthropic", split_server.server.url), KEY, ask("m"))
    assert [e.text for e in events if isinstance(e, TextDelta)] == [
        "caf\u00e9 \U0001f600 line\u2028sep", " two"]
    assert next(e for e in events if isinstance(e, UsageReport)).usage.output_tokens == 9
    assert events[-1] == StreamDone("max_tokens")
    assert not any(isinstance(e, StreamError) for e in events)


def test_error_kinds_cover_in_stream_types() -> None:
    from llmtui.providers.anthropic import stream_error

    assert stream_error("A", {"error": {"type": "rate_limit_error", "message": "slow"}}).kind \
        is ErrorKind.RATE_LIMIT
    assert stream_error("A", {"error": {"type": "overloaded_error", "message": "x"}}).kind \
        is ErrorKind.SERVER
