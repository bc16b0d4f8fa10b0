"""A figures refresh while an answer streams reads only counters, never the whole text
(tester item 2: 5 MB of thinking froze the TUI; each refresh joined and encoded everything
received so far, so the work grew with the thought). Counted, not timed: how many times the
whole answer or thought is read while 80 chunks of 64 KB stream and the figures refresh."""

from __future__ import annotations

import pytest

from llmtui.core.answer_stats import ExchangeStats
from llmtui.present.thinking import live_fields, pace
from llmtui.providers.base import ReasoningDelta, TextDelta, estimate_tokens

CHUNK = "ab cd é " * 8192  # 64 KiB of characters, some of two bytes


def test_refreshing_the_figures_never_reads_the_whole_text(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = {"text": 0, "reasoning": 0}
    for name in reads:
        whole = getattr(ExchangeStats, name)

        def counted(self: ExchangeStats, _name: str = name, _whole: property = whole) -> str:
            reads[_name] += 1
            return str(_whole.fget(self))  # type: ignore[misc]

        monkeypatch.setattr(ExchangeStats, name, property(counted))
    stats = ExchangeStats("deepseek/r1", prompt_tokens_estimate=10)
    for i in range(80):
        stats.apply(ReasoningDelta(CHUNK) if i < 79 else TextDelta("Answer"))
        # what a frame's figures read: the footer, the thinking header, the meter, the marks
        live_fields(stats)
        _ = (stats.output_tokens, stats.tokens_per_s, stats.cost_now(), pace(stats))
    assert reads == {"text": 0, "reasoning": 0}
    monkeypatch.undo()
    assert stats.reasoning_tokens == estimate_tokens(CHUNK * 79)
    assert stats.output_tokens == estimate_tokens(CHUNK * 79) + estimate_tokens("Answer")


def test_counts_given_at_construction_are_counted() -> None:
    stats = ExchangeStats("groq/m", parts=["x" * 400], reasoning_parts=["é" * 10])
    assert stats.output_tokens == estimate_tokens("x" * 400) + estimate_tokens("é" * 10)
