"""An answer's price is looked up once, in the Exchange's preflight, and reused by the budget
check, the live cost and the stored cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmtui.core.config import parse_config
from llmtui.core.exchange import Exchange
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.providers.base import ChatMessage, Price, StreamDone


async def test_one_price_lookup_per_answer_with_a_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        fake_url: str) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "sk-test-123")
    config = parse_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n'
                          "[budget]\ndaily_usd = 5\nper_request_usd = 1\n", tmp_path / "c.toml")
    runtime = Runtime(config, Store(tmp_path / "s.sqlite3"))
    asked: list[tuple[str, str, str | None]] = []
    real = runtime.price

    def counting(provider_id: str, model: str, served_by: str | None = None) -> Price | None:
        asked.append((provider_id, model, served_by))
        return real(provider_id, model, served_by)

    monkeypatch.setattr(runtime, "price", counting)
    cid = runtime.store.new_conversation(["groq/llama-3.3-70b-versatile"])
    ex = Exchange(runtime, "groq/llama-3.3-70b-versatile", [ChatMessage("user", "hi")], conversation_id=cid)
    events = [e async for e in ex.run()]
    await runtime.aclose()
    assert isinstance(events[-1], StreamDone)
    assert asked == [("groq", "llama-3.3-70b-versatile", None)]
    stored = runtime.store.messages(cid)[-1]
    assert ex.stats.price is not None and stored.cost_usd == str(ex.stats.cost_now().amount)
