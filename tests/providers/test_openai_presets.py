"""Every OpenAI-dialect preset against the loopback fake: URL, headers, body, events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from llmtui.core.config import parse_config
from llmtui.providers.base import (
    ChatMessage,
    ChatRequest,
    ErrorKind,
    KeyStatus,
    RateLimit,
    StreamDone,
    StreamError,
    TextDelta,
    Usage,
    UsageReport,
)
from llmtui.providers.catalog_parse import parse_model_list
from llmtui.providers.openai_compat import OpenAICompatProvider
from llmtui.providers.presets import PRESETS
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import FakeServer

OPENAI_KIND = [p for p, s in PRESETS.items() if s.kind == "openai"]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(5, read=5)) as c:
        yield c


@pytest.fixture
def server() -> FakeServer:
    s = FakeServer(OpenAIFake()).start()
    yield s  # type: ignore[misc]
    s.stop()


def provider_for(preset: str, url: str, client: httpx.AsyncClient, extra: str = "",
                 key: str | None = "k-1") -> OpenAICompatProvider:
    config = parse_config(f'[providers.{preset}]\nbase_url = "{url}"\n{extra}', None)  # type: ignore[arg-type]
    return OpenAICompatProvider(config.provider_spec(preset), client, key)


async def collect(provider: OpenAICompatProvider, model: str, **kw: object) -> list[object]:
    request = ChatRequest(model, (ChatMessage("user", "hi"),), **kw)  # type: ignore[arg-type]
    return [e async for e in provider.stream(request)]


@pytest.mark.parametrize("preset", OPENAI_KIND)
async def test_preset_request_shape(preset: str, server: FakeServer, client: httpx.AsyncClient) -> None:
    provider = provider_for(preset, server.url + "/v1", client)
    events = await collect(provider, "some/model:fastest", system="Be brief.", temperature=0.3,
                           max_tokens=64)
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert text == "Hello, world!"
    assert isinstance(events[-1], StreamDone) and events[-1].finish_reason == "stop"
    assert any(isinstance(e, RateLimit) for e in events)
    req = server.requests[-1]
    assert req.method == "POST" and req.path == "/v1/chat/completions"
    if preset == "azure":
        assert req.headers["api-key"] == "k-1" and "authorization" not in req.headers
    else:
        assert req.headers["authorization"] == "Bearer k-1"
    body = req.json()
    assert body["model"] == "some/model:fastest"  # suffixes pass through untouched
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert body["temperature"] == 0.3 and body["stream"] is True
    max_field = "max_completion_tokens" if preset == "openai" else "max_tokens"
    assert body[max_field] == 64
    if preset in ("mistral", "cohere-compat"):
        assert "stream_options" not in body
    else:
        assert body["stream_options"] == {"include_usage": True}


async def test_hf_bill_to_header(server: FakeServer, client: httpx.AsyncClient) -> None:
    provider = provider_for("hf", server.url + "/v1", client, 'bill_to = "acme"')
    await collect(provider, "deepseek-ai/DeepSeek-R1:cheapest")
    assert server.requests[-1].headers["x-hf-bill-to"] == "acme"


async def test_azure_classic_deployment_url(server: FakeServer, client: httpx.AsyncClient) -> None:
    provider = provider_for("azure", server.url, client, 'api_version = "2024-10-21"')
    await collect(provider, "my-deployment")
    req = server.requests[-1]
    assert req.path == "/openai/deployments/my-deployment/chat/completions"
    assert req.query == "api-version=2024-10-21"


async def test_ollama_needs_no_key(server: FakeServer, client: httpx.AsyncClient) -> None:
    provider = provider_for("ollama", server.url + "/v1", client, key=None)
    events = await collect(provider, "llama3.2")
    assert isinstance(events[-1], StreamDone)
    assert "authorization" not in server.requests[-1].headers


@pytest.mark.parametrize(
    ("model", "usage"),
    [
        ("ok", Usage(1, 4, 0)),
        ("cached", Usage(1000, 4, 800)),
        ("groq-usage", Usage(20, 4, 10)),
        ("deepseek-usage", Usage(100, 4, 60)),
    ],
)
async def test_usage_dialects(model: str, usage: Usage, server: FakeServer,
                              client: httpx.AsyncClient) -> None:
    events = await collect(provider_for("groq", server.url + "/v1", client), model)
    reports = [e for e in events if isinstance(e, UsageReport)]
    assert len(reports) == 1
    got = reports[0].usage
    assert (got.input_tokens, got.output_tokens, got.cached_input_tokens) == (
        usage.input_tokens, usage.output_tokens, usage.cached_input_tokens)


@pytest.mark.parametrize(
    ("model", "kind", "text", "needle"),
    [
        ("429", ErrorKind.RATE_LIMIT, "", "Rate limit reached"),
        ("500", ErrorKind.SERVER, "", "HTTP 500: The server had an error"),
        ("bad-key", ErrorKind.AUTH, "", "HTTP 401: Incorrect API key"),
        ("html", ErrorKind.SERVER, "", "HTML error page: 502 Bad Gateway"),
        ("200-error", ErrorKind.BAD_RESPONSE, "", "model is overloaded"),
        ("500-midstream", ErrorKind.SERVER, "Partial answer", "upstream failed"),
        ("drop", ErrorKind.NETWORK, "Partial answer", "dropped"),
        ("no-done", ErrorKind.NETWORK, "Partial answer", "ended before"),
        ("malformed", ErrorKind.BAD_RESPONSE, "Partial answer", "not JSON"),
    ],
)
async def test_faults_end_in_one_clear_error(model: str, kind: ErrorKind, text: str, needle: str,
                                             server: FakeServer, client: httpx.AsyncClient) -> None:
    events = await collect(provider_for("groq", server.url + "/v1", client), model)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == text
    error = events[-1]
    assert isinstance(error, StreamError), events
    assert error.kind is kind and needle in error.message and error.message.startswith("Groq")
    if model == "429":
        assert error.retry_after_s == 1.0


async def test_unicode_and_keepalives_survive(server: FakeServer, client: httpx.AsyncClient) -> None:
    provider = provider_for("deepseek", server.url + "/v1", client)
    for model, want in (("unicode", "line\u2028sep caf\u00e9 \U0001f600 done"),
                        ("keepalive", "Hello, world!")):
        events = await collect(provider, model)
        assert "".join(e.text for e in events if isinstance(e, TextDelta)) == want


async def test_connection_refused_is_network_error(client: httpx.AsyncClient) -> None:
    provider = provider_for("groq", "http://127.0.0.1:9/v1", client)
    events = await collect(provider, "ok")
    assert isinstance(events[-1], StreamError) and events[-1].kind is ErrorKind.NETWORK
    assert "cannot connect" in events[-1].message


async def test_check_key(client: httpx.AsyncClient) -> None:
    server = FakeServer(OpenAIFake(expected_key="right")).start()
    try:
        good = provider_for("groq", server.url + "/v1", client, key="right")
        bad = provider_for("groq", server.url + "/v1", client, key="wrong")
        assert (await good.check_key())[0] is KeyStatus.OK
        assert (await bad.check_key())[0] is KeyStatus.REJECTED
    finally:
        server.stop()
    gone = provider_for("groq", "http://127.0.0.1:9/v1", client)
    assert (await gone.check_key())[0] is KeyStatus.UNREACHABLE


def test_model_list_shapes() -> None:
    openai = parse_model_list("openai", {"object": "list", "data": [{"id": "gpt-4o", "object": "model"}]})
    assert [m.id for m in openai] == ["gpt-4o"] and openai[0].price is None
    together = parse_model_list("together", [
        {"id": "meta/llama", "context_length": 131072,
         "pricing": {"input": 0.88, "output": 0.88, "hourly": 0}}])
    assert together[0].context_length == 131072 and together[0].price is not None
    assert together[0].price.input == Decimal("0.88")
    hf = parse_model_list("hf", {"data": [{"id": "Qwen/Qwen3-8B", "providers": [
        {"provider": "together", "status": "live", "context_length": 131072,
         "pricing": {"input": 0.2, "output": 0.6}},
        {"provider": "novita", "status": "live"}]}]})
    assert [b.id for b in hf[0].backends] == ["Qwen/Qwen3-8B:together", "Qwen/Qwen3-8B:novita"]
    assert hf[0].backends[0].price.output == Decimal("0.6")  # type: ignore[union-attr]
    assert hf[0].backends[1].price is None and hf[0].context_length == 131072


async def test_running_usage_totals_keep_the_last(client: httpx.AsyncClient) -> None:
    """Gemini's compatible endpoint repeats usage on every chunk, growing as it goes."""
    from tests.fakes.openai_fake import SSE_HEADERS, chunk, sse
    from tests.fakes.server import Response

    def usage(out: int) -> dict[str, int]:
        return {"prompt_tokens": 7, "completion_tokens": out, "total_tokens": 7 + out}

    pieces = [sse({"choices": [{"index": 0, "delta": {"content": w}}], "usage": usage(i + 1)})
              for i, w in enumerate(["a", "b", "c"])]
    pieces += [chunk("m", None, "stop"), sse(b"[DONE]")]
    server = FakeServer(lambda r: Response(200, SSE_HEADERS, [(p, 0) for p in pieces])).start()
    try:
        events = await collect(provider_for("gemini", server.url, client), "gemini-2.5-flash")
    finally:
        server.stop()
    reports = [e.usage for e in events if isinstance(e, UsageReport)]
    assert reports[-1].output_tokens == 3 and reports[-1].input_tokens == 7
