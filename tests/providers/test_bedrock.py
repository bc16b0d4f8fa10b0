"""Bedrock ConverseStream: `llmtui ask` end to end over real event-stream frames, key and SigV4."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmtui.providers.base import KeyStatus, StreamDone, StreamError, TextDelta, UsageReport
from llmtui.providers.bedrock import BedrockProvider
from llmtui.providers.sigv4 import Credentials, sign
from tests.fakes.bedrock_fake import BedrockFake, event
from tests.fakes.server import FakeServer
from tests.providers.helpers import SplitServer, ask, ask_json, collect, spec_for, split

KEY = "bedrock-api-key-test"
ENV = {"AWS_BEARER_TOKEN_BEDROCK": KEY}
MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0"
AWS_ENV = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
           "AWS_SESSION_TOKEN": "session/token+="}


@pytest.fixture(scope="module")
def fake() -> Iterator[tuple[FakeServer, BedrockFake]]:
    fake = BedrockFake(expected_key=KEY)
    server = FakeServer(fake).start()
    yield server, fake
    server.stop()


@pytest.fixture
def configured(write_config, fake) -> FakeServer:  # type: ignore[no-untyped-def]
    server, _ = fake
    write_config(f'[providers.bedrock]\nbase_url = "{server.url}"\nregion = "us-west-2"\n\n'
                 "[network]\nmax_retries = 0\n")
    return server


def test_ask_with_api_key(configured: FakeServer) -> None:
    before = len(configured.requests)
    code, data = ask_json("-m", f"bedrock/{MODEL}", "-s", "Be brief.", "--max-tokens", "40",
                          "--temperature", "0.5", "hi", env=ENV)
    assert code == 0, data
    assert data["text"] == "Hello from Bedrock!"
    assert data["finish_reason"] == "end_turn"
    assert data["usage"] == {"input_tokens": 11, "output_tokens": 4, "cached_input_tokens": 0,
                             "estimated": False, "reasoning_tokens": None,
                             "reasoning_estimated": False}
    request = configured.requests[before]
    assert request.path == "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.json() == {
        "messages": [{"role": "user", "content": [{"text": "hi"}]}],
        "system": [{"text": "Be brief."}],
        "inferenceConfig": {"maxTokens": 40, "temperature": 0.5},
    }


def test_ask_with_sigv4_when_there_is_no_api_key(configured: FakeServer) -> None:
    before = len(configured.requests)
    code, data = ask_json("-m", f"bedrock/{MODEL}", "hi", env=AWS_ENV)
    assert code == 0, data
    assert data["text"] == "Hello from Bedrock!"
    request = configured.requests[before]
    auth = request.headers["authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/us-west-2/bedrock/aws4_request" in auth
    assert request.headers["x-amz-security-token"] == "session/token+="
    # What arrived is exactly what was signed: recompute from the received request.
    names = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {"host", "x-amz-date", "x-amz-security-token", "content-type"} <= set(names)
    when = datetime.strptime(request.headers["x-amz-date"], "%Y%m%dT%H%M%S%z")
    again = sign("POST", f"http://{request.headers['host']}{request.path}",
                 {n: request.headers[n] for n in names if n not in ("host", "x-amz-date",
                                                                     "x-amz-security-token")},
                 request.body, Credentials(AWS_ENV["AWS_ACCESS_KEY_ID"], AWS_ENV["AWS_SECRET_ACCESS_KEY"],
                                           AWS_ENV["AWS_SESSION_TOKEN"]), "us-west-2", "bedrock", when)
    assert again["Authorization"] == auth


def test_no_key_and_no_aws_keys_says_what_to_set(configured: FakeServer) -> None:
    code, data = ask_json("-m", f"bedrock/{MODEL}", "hi", env={})
    assert code == 1
    assert data["error"]["kind"] == "auth"
    assert "AWS_BEARER_TOKEN_BEDROCK" in data["error"]["message"]
    assert "AWS_ACCESS_KEY_ID" in data["error"]["message"]


def test_no_region_and_no_base_url_is_a_config_error() -> None:
    code, data = ask_json("-m", f"bedrock/{MODEL}", "hi", env=ENV)
    assert code == 2
    assert data["error"]["kind"] == "config"
    assert "region" in data["error"]["message"]


def test_cached_usage_counts_all_input(configured: FakeServer) -> None:
    code, data = ask_json("-m", "bedrock/anthropic.cached", "hi", env=ENV)
    assert code == 0
    assert data["usage"]["input_tokens"] == 1210
    assert data["usage"]["cached_input_tokens"] == 1000


@pytest.mark.parametrize(
    ("model", "kind", "needle", "text"),
    [
        ("http-429", "rate_limit", "HTTP 429: ThrottlingException: Too many requests", ""),
        ("http-403", "auth", "HTTP 403: AccessDeniedException: You don't have access", ""),
        ("http-500", "server", "HTTP 500: InternalServerException", ""),
        ("validation", "bad_request", "validationException: The model returned", ""),
        ("throttled-midstream", "rate_limit", "throttlingException: Too many tokens", "Hello from"),
        ("bad-crc", "bad_response", "CRC", "Hello from"),
        ("truncated", "bad_response", "ended inside a frame", "Hello from"),
    ],
)
def test_errors(configured: FakeServer, model: str, kind: str, needle: str, text: str) -> None:
    code, data = ask_json("-m", f"bedrock/x.{model}", "hi", env=ENV)
    assert code == 1
    assert data["error"]["kind"] == kind
    assert needle in data["error"]["message"]
    assert data["text"] == text


def test_429_then_success_gives_one_answer(write_config, fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake
    write_config(f'[providers.bedrock]\nbase_url = "{server.url}"\nregion = "us-west-2"\n')
    code, data = ask_json("-m", "bedrock/x.429-once", "hi", env=ENV)
    assert code == 0, data
    assert data["text"] == "Hello from Bedrock!"


def test_model_list_and_key_check(fake) -> None:  # type: ignore[no-untyped-def]
    server, _ = fake

    async def go():  # type: ignore[no-untyped-def]
        async with httpx.AsyncClient() as client:
            good = BedrockProvider(spec_for("bedrock", server.url, region="us-west-2"), client, KEY)
            bad = BedrockProvider(spec_for("bedrock", server.url, region="us-west-2"), client, "nope")
            return await good.list_models(), await good.check_key(), await bad.check_key()

    models, ok, rejected = asyncio.run(go())
    assert [m.id for m in models] == ["anthropic.claude-3-5-haiku-20241022-v1:0"]
    assert ok[0] is KeyStatus.OK
    assert rejected[0] is KeyStatus.REJECTED


def test_default_endpoint_comes_from_the_region() -> None:
    provider = BedrockProvider(spec_for("bedrock", "", region="eu-central-1"), None, KEY)  # type: ignore[arg-type]
    assert provider.stream_url("a.b:0") == (
        "https://bedrock-runtime.eu-central-1.amazonaws.com/model/a.b%3A0/converse-stream")


def test_region_falls_back_to_aws_region_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    provider = BedrockProvider(spec_for("bedrock", ""), None, KEY)  # type: ignore[arg-type]
    assert provider.stream_url("m").startswith("https://bedrock-runtime.ap-south-1.amazonaws.com/")
    monkeypatch.setenv("AWS_REGION", "us-east-2")
    assert provider.stream_url("m").startswith("https://bedrock-runtime.us-east-2.amazonaws.com/")


WIRE = b"".join([
    event("messageStart", {"role": "assistant"}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "caf\u00e9 \U0001f600"}}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": " two"}}),
    event("contentBlockStop", {"contentBlockIndex": 0}),
    event("messageStop", {"stopReason": "max_tokens"}),
    event("metadata", {"usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5},
                       "metrics": {"latencyMs": 1}}),
])


@pytest.fixture(scope="module")
def split_server() -> Iterator[SplitServer]:
    server = SplitServer("application/vnd.amazon.eventstream")
    yield server
    server.server.stop()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=0, max_value=len(WIRE)), max_size=12))
def test_same_events_however_the_bytes_are_split(split_server: SplitServer, cuts: list[int]) -> None:
    split_server.pieces = split(WIRE, cuts)
    spec = spec_for("bedrock", split_server.server.url, region="us-east-1")
    events = collect(BedrockProvider, spec, KEY, ask("m"))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["caf\u00e9 \U0001f600", " two"]
    usage = next(e for e in events if isinstance(e, UsageReport)).usage
    assert (usage.input_tokens, usage.output_tokens) == (3, 2)
    assert events[-1] == StreamDone("max_tokens")
    assert not any(isinstance(e, StreamError) for e in events)
