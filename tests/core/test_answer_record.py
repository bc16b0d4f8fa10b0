"""An answer as stored: the AnswerRecord round trip, and one tok/s live, reopened and exported."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from llmtui.core.config import parse_config
from llmtui.core.exchange import Exchange
from llmtui.core.export import conversation_markdown
from llmtui.core.pricing.cost import Cost
from llmtui.core.runtime import Runtime
from llmtui.core.session import stored_path
from llmtui.core.store import AnswerRecord, AnswerStatus, Store
from llmtui.present.turns import stored_view
from llmtui.providers.base import ChatMessage, Usage


def test_answer_record_round_trip(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    cid = store.new_conversation(["groq/m"])
    mid = store.add_message(cid, "assistant", "", model="groq/m", status="streaming")
    record = AnswerRecord(
        content="partial", status=AnswerStatus.INTERRUPTED,
        usage=Usage(120, 30, cached_input_tokens=100, raw={"prompt_tokens": 120}),
        usage_estimated=False, cost=Cost(Decimal("0.0000123"), True, "estimated rate"),
        ttft_s=0.4, duration_s=2.4, finish_reason="length", error_kind="network",
        error_message="the stream stalled", served_by="novita",
    )
    store.finish_message(mid, record)
    m = store.message(mid)
    assert m is not None
    assert (m.content, m.status, m.input_tokens, m.output_tokens, m.cached_input_tokens) == (
        "partial", "interrupted", 120, 30, 100)
    assert (m.usage_estimated, m.cost_usd, m.cost_estimated, m.cost_note) == (
        False, "0.0000123", True, "estimated rate")
    assert (m.ttft_s, m.duration_s, m.finish_reason, m.error_kind, m.error_message, m.served_by) == (
        0.4, 2.4, "length", "network", "the stream stalled", "novita")
    assert m.tokens_per_s == 30 / 2.0


async def test_tokens_per_s_is_the_same_live_reopened_and_exported(tmp_path: Path) -> None:
    runtime = Runtime(parse_config("", tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))
    store = runtime.store
    cid = store.new_conversation(["demo/simulated-fast"])
    prompt = store.add_message(cid, "user", "tell me about monads")
    ex = Exchange(runtime, "demo/simulated-fast", [ChatMessage("user", "tell me about monads")],
                  conversation_id=cid, parent_id=prompt)
    _ = [e async for e in ex.run()]
    await runtime.aclose()
    live = ex.stats.tokens_per_s
    assert live is not None and live > 0
    (answer,) = [m for m in store.messages(cid) if m.role == "assistant"]
    assert answer.tokens_per_s is not None
    # the store keeps seconds as REAL, so allow only float rounding
    assert abs(answer.tokens_per_s - live) < 1e-6 * live
    (turn,) = stored_path(store.messages(cid))
    shown = stored_view(turn, lambda _lane, ref: ref, masked=False)
    assert shown.answers[0][2].tokens_per_s == answer.tokens_per_s
    exported = re.search(r"([\d.]+) tok/s", conversation_markdown(store, cid))
    assert exported is not None and exported.group(1) == f"{answer.tokens_per_s:.1f}"
