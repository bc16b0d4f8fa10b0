"""The exchange runner: retries only before text, timeouts, cancel keeps text, store writes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from llmtui.core.config import parse_config
from llmtui.core.exchange import Exchange, Retrying
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.providers.base import ChatMessage, ErrorKind, StreamDone, StreamError, TextDelta
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import FakeServer


@pytest.fixture
def server() -> FakeServer:
    s = FakeServer(OpenAIFake()).start()
    yield s  # type: ignore[misc]
    s.stop()


def runtime_for(url: str, tmp_path: Path, network: str = "") -> Runtime:
    text = f'[providers.groq]\nbase_url = "{url}/v1"\n[network]\nmax_retry_wait = 1\n{network}'
    return Runtime(parse_config(text, tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))


async def run(ex: Exchange) -> list[object]:
    return [e async for e in ex.run()]


async def test_429_then_success_is_one_answer(server: FakeServer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path)
    cid = runtime.store.new_conversation(["groq/429-once"])
    ex = Exchange(runtime, "groq/429-once", [ChatMessage("user", "hi")], conversation_id=cid)
    events = await run(ex)
    await runtime.aclose()
    retries = [e for e in events if isinstance(e, Retrying)]
    assert len(retries) == 1 and retries[0].wait_s == pytest.approx(0.2)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Hello, world!"
    assert isinstance(events[-1], StreamDone)
    answers = [m for m in runtime.store.messages(cid) if m.role == "assistant"]
    assert len(answers) == 1 and answers[0].content == "Hello, world!" and answers[0].status == "done"
    assert len([r for r in server.requests if r.path.endswith("/chat/completions")]) == 2


async def test_no_retry_after_text_has_streamed(server: FakeServer, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path)
    cid = runtime.store.new_conversation(["groq/500-midstream"])
    ex = Exchange(runtime, "groq/500-midstream", [ChatMessage("user", "hi")], conversation_id=cid)
    events = await run(ex)
    await runtime.aclose()
    assert not any(isinstance(e, Retrying) for e in events)
    assert isinstance(events[-1], StreamError)
    stored = runtime.store.messages(cid)[-1]
    assert stored.content == "Partial answer" and stored.status == "interrupted"
    assert stored.error_kind == "server" and "upstream failed" in (stored.error_message or "")


async def test_retries_give_up_with_rate_limit(server: FakeServer, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path, "max_retries = 1\n")
    ex = Exchange(runtime, "groq/429", [ChatMessage("user", "hi")])
    events = await run(ex)
    await runtime.aclose()
    assert sum(isinstance(e, Retrying) for e in events) == 1
    last = events[-1]
    assert isinstance(last, StreamError) and last.kind is ErrorKind.RATE_LIMIT


async def test_stall_hits_idle_timeout_and_keeps_text(server: FakeServer, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path, "idle_timeout = 0.3\n")
    ex = Exchange(runtime, "groq/stall", [ChatMessage("user", "hi")])
    events = await asyncio.wait_for(run(ex), 10)
    await runtime.aclose()
    last = events[-1]
    assert isinstance(last, StreamError) and last.kind is ErrorKind.NETWORK
    assert "stalled" in last.message and ex.stats.text == "Partial answer"


async def test_cancel_keeps_text_marked_interrupted(server: FakeServer, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path)
    cid = runtime.store.new_conversation(["groq/slow-drip"])
    ex = Exchange(runtime, "groq/slow-drip", [ChatMessage("user", "hi")], conversation_id=cid)
    seen: list[str] = []

    async def consume() -> None:
        async for event in ex.run():
            if isinstance(event, TextDelta):
                seen.append(event.text)

    task = asyncio.create_task(consume())
    while len(seen) < 2:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await runtime.aclose()
    stored = runtime.store.messages(cid)[-1]
    assert stored.status == "interrupted" and stored.content == "".join(seen) and seen
    assert ex.stats.interrupted


async def test_usage_replaces_estimate_and_cost_is_exact(server: FakeServer, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    text = (f'[providers.groq]\nbase_url = "{server.url}/v1"\n'
            '[prices."groq/cached"]\ninput = 1.0\noutput = 2.0\ncached_input = 0.5\n')
    runtime = Runtime(parse_config(text, tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))
    ex = Exchange(runtime, "groq/cached", [ChatMessage("user", "hi")])
    await run(ex)
    await runtime.aclose()
    # 200 uncached * 1.0 + 800 cached * 0.5 + 4 out * 2.0, per 1M tokens
    assert str(ex.stats.cost.amount) == "0.000608" and not ex.stats.cost.estimated


async def test_stream_without_usage_is_an_estimate(server: FakeServer, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    text = f'[providers.groq]\nbase_url = "{server.url}/v1"\n[prices."groq/no-usage"]\ninput = 1\noutput = 1\n'
    runtime = Runtime(parse_config(text, tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))
    ex = Exchange(runtime, "groq/no-usage", [ChatMessage("user", "hi")])
    await run(ex)
    await runtime.aclose()
    assert ex.stats.usage_estimated and ex.stats.cost.estimated
    assert ex.stats.cost.display().startswith("~$")


async def test_a_key_echoed_in_an_error_is_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes.server import Request, Response

    def echo(request: Request) -> Response:  # a proxy that quotes the key back (LiteLLM-style)
        key = request.headers["authorization"].removeprefix("Bearer ")
        return Response.json_body({"error": {"message": f"Received API Key = {key}, not valid"}}, 401)

    server = FakeServer(echo).start()
    monkeypatch.setenv("GROQ_API_KEY", "gsk_distinctive_secret_9f2a")
    runtime = runtime_for(server.url, tmp_path)
    cid = runtime.store.new_conversation(["groq/x"])
    ex = Exchange(runtime, "groq/x", [ChatMessage("user", "hi")], conversation_id=cid)
    events = await run(ex)
    await runtime.aclose()
    server.stop()
    last = events[-1]
    assert isinstance(last, StreamError) and last.kind is ErrorKind.AUTH
    assert "gsk_distinctive_secret_9f2a" not in last.message and "gsk_…9f2a" in last.message
    stored = runtime.store.messages(cid)[-1]
    assert "distinctive_secret" not in (stored.error_message or "")


async def test_a_key_with_a_line_break_never_reaches_the_message(server: FakeServer, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "sk-secret-part-one\nsecret-part-two")
    runtime = runtime_for(server.url, tmp_path)
    events = await run(Exchange(runtime, "groq/ok", [ChatMessage("user", "hi")]))
    await runtime.aclose()
    last = events[-1]
    assert isinstance(last, StreamError) and "header value is invalid" in last.message
    assert "secret-part" not in last.message


async def test_a_wait_longer_than_the_cap_fails_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes.server import Request, Response

    def quota(request: Request) -> Response:
        return Response.json_body({"error": {"message": "daily quota used up"}}, 429, {"retry-after": "420"})

    server = FakeServer(quota).start()
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path)  # max_retry_wait = 1
    events = await asyncio.wait_for(run(Exchange(runtime, "groq/x", [ChatMessage("user", "hi")])), 5)
    await runtime.aclose()
    server.stop()
    assert not any(isinstance(e, Retrying) for e in events)
    last = events[-1]
    assert isinstance(last, StreamError) and last.kind is ErrorKind.RATE_LIMIT and "try again in 7 min (after " in last.message
    assert len(server.requests) == 1


async def test_the_http_client_is_built_off_the_event_loop(server: FakeServer, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx's import and the TLS trust store take a noticeable part of a second: not on the loop.
    import threading

    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path)
    built_on: list[threading.Thread] = []
    real = Runtime._new_client

    def spy(self: Runtime) -> object:
        built_on.append(threading.current_thread())
        return real(self)

    monkeypatch.setattr(Runtime, "_new_client", spy)
    events = await run(Exchange(runtime, "groq/m", [ChatMessage("user", "hi")]))
    await runtime.aclose()
    assert isinstance(events[-1], StreamDone)
    assert len(built_on) == 1 and built_on[0] is not threading.main_thread()
