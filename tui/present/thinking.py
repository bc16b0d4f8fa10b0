"""A reasoning answer's figures as the metrics bar and thinking block draw them.

Live figures come from ExchangeStats, reopened ones from StoredMessage; both go through
llmtui.core.timing, so a footer reads the same while streaming, after, and when reopened.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from llmtui.core.timing import thinking_live_s

if TYPE_CHECKING:
    from llmtui.core.answer_stats import ExchangeStats
    from llmtui.core.store import StoredMessage


def live_fields(stats: ExchangeStats) -> dict[str, Any]:
    """Metrics fields for a streaming or finished answer (thinking time counts up live)."""
    thinking = stats.thinking_s
    if stats.ended_at is None:
        thinking = thinking_live_s(stats.timing, time.monotonic() - stats.started)
    return {
        "answer_ttft_s": stats.answer_ttft_s,
        "thinking_s": thinking,
        "reasoning_tokens": stats.reasoning_tokens,
        "reasoning_estimated": stats.reasoning_estimated,
        "hides_reasoning": stats.hides_reasoning or stats.hidden_reasoning,
    }


def stored_fields(message: StoredMessage) -> dict[str, Any]:
    """Metrics fields for a reopened answer."""
    return {
        "answer_ttft_s": message.answer_ttft_s,
        "thinking_s": message.thinking_s,
        "reasoning_tokens": message.reasoning_tokens,
        "reasoning_estimated": message.reasoning_estimated,
        "hides_reasoning": message.hidden_reasoning,
        "reasoning_redacted": message.reasoning_redacted,
    }


@dataclass(frozen=True, slots=True)
class Pace:
    """What the "faster" mark compares for one finished answer."""

    tokens_per_s: float | None
    total_s: float | None
    thought: bool


def pace(stats: ExchangeStats | None) -> Pace:
    if stats is None:
        return Pace(None, None, False)
    thought = bool(stats.reasoning_parts) or bool(stats.reasoning_tokens)
    return Pace(stats.tokens_per_s, stats.duration_s, thought)


def faster_lane(paces: Sequence[Pace]) -> tuple[int | None, str]:
    """Which lane is faster, and by which measure (named on the mark).

    Two plain answers: tokens/s. If either model thought first, tokens/s compares unlike
    things (one counts thousands of thought tokens, the other none), so the measure is the
    time until the whole answer was there.
    """
    if any(p.thought for p in paces):
        totals = [p.total_s for p in paces]
        if any(t is None for t in totals) or len(set(totals)) < len(totals):
            return None, ""
        return totals.index(min(t for t in totals if t is not None)), "total time"
    speeds = [p.tokens_per_s for p in paces]
    # A lane with no tok/s figure (too few tokens, no timing) is not slower: unknown, no mark.
    if any(s is None for s in speeds) or len(set(speeds)) < len(speeds):
        return None, ""
    known = [s for s in speeds if s is not None]
    return known.index(max(known)), "tok/s"
