"""An Exchange with a reasoning model: thinking kept apart, timed honestly, stored, never cut off
while it thinks (loopback fakes in the OpenAI dialect; tests/fakes/reasoning_fake.py)."""

from __future__ import annotations

import math
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from llmtui.core.budget import Planned, Refused, reserve
from llmtui.core.config import parse_config
from llmtui.core.exchange import Exchange
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.core.timing import tokens_per_s
from llmtui.providers.base import ChatMessage, ChatRequest, ErrorKind, Price, StreamDone, StreamError
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.reasoning_fake import ANSWER, THOUGHT
from tests.fakes.server import FakeServer


@pytest.fixture
def server() -> FakeServer:
    s = FakeServer(OpenAIFake()).start()
    yield s  # type: ignore[misc]
    s.stop()


def runtime_for(url: str, tmp_path: Path, extra: str = "") -> Runtime:
    text = (f'[providers.deepseek]\nbase_url = "{url}/v1"\n[providers.openai]\nbase_url = "{url}/v1"\n'
            f'[network]\nmax_retries = 0\n{extra}')
    return Runtime(parse_config(text, tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))


async def answer(runtime: Runtime, ref: str, **kw: object) -> tuple[Exchange, list[object], int]:
    cid = runtime.store.new_conversation([ref])
    ex = Exchange(runtime, ref, [ChatMessage("user", "hi")], conversation_id=cid, **kw)  # type: ignore[arg-type]
    events = [e async for e in ex.run()]
    return ex, events, cid


async def test_thinking_is_kept_apart_timed_and_stored(server: FakeServer, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path)
    ex, events, cid = await answer(runtime, "deepseek/r-deepseek-60")
    await runtime.aclose()
    stats = ex.stats
    assert isinstance(events[-1], StreamDone)
    assert stats.text == "".join(ANSWER) and stats.reasoning == "".join(THOUGHT)
    assert stats.ttft_s is not None and stats.answer_ttft_s is not None and stats.thinking_s is not None
    # Six thoughts 60 ms apart come before the answer: answer TTFT is later than TTFT by the think.
    assert stats.answer_ttft_s - stats.ttft_s == pytest.approx(stats.thinking_s)
    assert stats.thinking_s >= 0.25
    assert (stats.reasoning_tokens, stats.reasoning_estimated) == (len(THOUGHT), False)
    assert stats.output_tokens == len(THOUGHT) + len(ANSWER)
    rate = stats.tokens_per_s
    assert rate is not None
    assert math.isclose(rate * (stats.duration_s - stats.ttft_s), stats.output_tokens)
    [stored] = [m for m in runtime.store.messages(cid) if m.role == "assistant"]
    assert stored.content == "".join(ANSWER) and stored.reasoning == "".join(THOUGHT)
    assert (stored.ttft_s, stored.answer_ttft_s, stored.thinking_s) == (
        stats.ttft_s, stats.answer_ttft_s, stats.thinking_s)
    assert (stored.reasoning_tokens, stored.reasoning_estimated) == (len(THOUGHT), False)
    assert stored.tokens_per_s == pytest.approx(rate)  # reopened = live


async def test_hidden_reasoning_counts_from_the_request(server: FakeServer, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path)
    ex, _, cid = await answer(runtime, "openai/r-hidden-50")
    await runtime.aclose()
    stats = ex.stats
    assert stats.reasoning == "" and stats.hidden_reasoning and stats.thinking_s is None
    assert stats.reasoning_tokens == 64
    expected = tokens_per_s(stats.output_tokens, stats.ttft_s, stats.duration_s, hidden_reasoning=True)
    assert stats.tokens_per_s == expected
    assert expected is not None and expected < stats.output_tokens / (stats.duration_s - (stats.ttft_s or 0))
    [stored] = [m for m in runtime.store.messages(cid) if m.role == "assistant"]
    assert stored.hidden_reasoning and stored.tokens_per_s == pytest.approx(expected)


async def test_thoughts_are_activity_for_the_first_token_timer(server: FakeServer, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Six thoughts 150 ms apart (0.9 s before any answer) under a 0.5 s read_timeout: not cut off."""
    monkeypatch.setenv("DEEPSEEK_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path, "read_timeout = 0.5\nidle_timeout = 0.5\n")
    ex, events, _ = await answer(runtime, "deepseek/r-deepseek-150")
    await runtime.aclose()
    assert isinstance(events[-1], StreamDone), events[-1]
    assert ex.stats.text == "".join(ANSWER)


async def test_a_silent_thinker_waits_for_think_timeout(server: FakeServer, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """r-silent-150: 0.9 s with no byte at all. read_timeout 0.4 cuts off a plain request; a request
    for reasoning (or an o-series model) waits up to think_timeout instead."""
    monkeypatch.setenv("DEEPSEEK_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path, "read_timeout = 0.4\nthink_timeout = 5\n")
    _, plain, _ = await answer(runtime, "deepseek/r-silent-150")
    ex, thinking, _ = await answer(runtime, "deepseek/r-silent-150", reasoning_effort="high")
    await runtime.aclose()
    assert isinstance(plain[-1], StreamError) and plain[-1].kind is ErrorKind.NETWORK
    assert "no reply for 0.4s" in plain[-1].message
    assert isinstance(thinking[-1], StreamDone) and ex.stats.text == "".join(ANSWER)


async def test_controls_come_from_config_and_the_request_overrides(server: FakeServer, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path, '[models."openai/r-hidden"]\nreasoning_effort = "low"\n')
    await answer(runtime, "openai/r-hidden")
    await answer(runtime, "openai/r-hidden", reasoning_effort="high")
    await runtime.aclose()
    bodies = [r.json() for r in server.requests if r.path.endswith("/chat/completions")]
    assert [b.get("reasoning_effort") for b in bodies] == ["low", "high"]


def test_budget_worst_case_counts_the_thinking_budget(tmp_path: Path) -> None:
    config = parse_config("[budget]\nper_request_usd = 0.05\n", tmp_path / "c.toml")
    store = Store(tmp_path / "s.sqlite3")
    price = Price(input=Decimal(1), output=Decimal(10))
    plain = ChatRequest("claude", (ChatMessage("user", "hi"),), max_tokens=1000)
    thinking = ChatRequest("claude", (ChatMessage("user", "hi"),), max_tokens=1000, thinking_budget=8000)
    assert reserve(config, store, [Planned("anthropic/claude", plain, price)])  # ~$0.01
    with pytest.raises(Refused) as refused:  # ~$0.09
        reserve(config, store, [Planned("anthropic/claude", thinking, price)])
    assert "9000 output tokens, thinking included" in refused.value.error.message


def test_store_upgrade_keeps_old_answers_and_adds_reasoning_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    store = Store(path)
    cid = store.new_conversation(["a/b"])
    store.add_message(cid, "assistant", "old answer", model="a/b")
    store.close()
    db = sqlite3.connect(path)  # make it a v3 store again, as an older llmtui left it
    for column in ("reasoning", "answer_ttft_s", "thinking_s", "reasoning_tokens", "reasoning_estimated"):
        db.execute(f"ALTER TABLE messages DROP COLUMN {column}")
    # and undo what later versions added, so the upgrade replays v4 onwards on a true v3 file
    db.execute("DROP INDEX messages_streaming")
    db.execute("DROP TABLE parts_fts")  # v11
    db.execute("DROP VIEW text_parts")
    db.execute("DROP TABLE message_parts")
    db.execute("ALTER TABLE conversations DROP COLUMN preset")
    for column in ("reasoning_effort", "thinking_budget", "params"):  # v9, v10
        db.execute(f"ALTER TABLE messages DROP COLUMN {column}")
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    reopened = Store(path)
    [old] = reopened.messages(cid)
    assert old.content == "old answer" and old.reasoning == "" and old.thinking_s is None
    reopened.close()
