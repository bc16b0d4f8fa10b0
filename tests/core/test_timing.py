"""The metrics arithmetic of reasoning answers, as properties (tui/core/timing.py)."""

from __future__ import annotations

import math

from hypothesis import assume, given
from hypothesis import strategies as st

from llmtui.core.timing import Timing, thinking_live_s, tokens_per_s

SECONDS = st.floats(min_value=0.0, max_value=600.0, allow_nan=False)
TOKENS = st.integers(min_value=1, max_value=200_000)


def test_the_issue_example_is_75_tokens_a_second_not_450() -> None:
    # 1,500 thought tokens over 20 s from the first thought, then 300 answer tokens over 4 s.
    timing = Timing(first_token_s=1.0, first_reasoning_s=1.0, first_answer_s=21.0, end_s=25.0)
    assert timing.ttft_s == 1.0 and timing.answer_ttft_s == 21.0 and timing.thinking_s == 20.0
    rate = tokens_per_s(1800, timing.ttft_s, timing.end_s)
    assert rate is not None and math.isclose(rate, 75.0)


@given(ttft=SECONDS, think=SECONDS, answer=SECONDS, thought_tokens=TOKENS, answer_tokens=TOKENS)
def test_rate_times_span_is_every_output_token(
    ttft: float, think: float, answer: float, thought_tokens: int, answer_tokens: int
) -> None:
    timing = Timing(first_token_s=ttft, first_reasoning_s=ttft, first_answer_s=ttft + think,
                    end_s=ttft + think + answer)
    assert timing.end_s is not None
    rate = tokens_per_s(thought_tokens + answer_tokens, timing.ttft_s, timing.end_s)
    span = timing.end_s - ttft  # the same float arithmetic as the module's
    if span <= 0.05:
        assert rate is None
    else:
        assert rate is not None
        assert math.isclose(rate * span, thought_tokens + answer_tokens, rel_tol=1e-9)
        # Never more than counting from the first visible answer token would claim.
        if answer > 0.05:
            assert rate <= (thought_tokens + answer_tokens) / answer * (1 + 1e-9)
    assert timing.thinking_s is not None and math.isclose(timing.thinking_s, think, abs_tol=1e-9)
    assert timing.answer_ttft_s is not None and timing.ttft_s is not None
    assert timing.ttft_s <= timing.answer_ttft_s


@given(first=SECONDS, end=SECONDS, tokens=TOKENS)
def test_hidden_reasoning_counts_from_the_request_so_it_is_never_faster(
    first: float, end: float, tokens: int
) -> None:
    assume(end > first + 0.05)
    visible = tokens_per_s(tokens, first, end)
    hidden = tokens_per_s(tokens, first, end, hidden_reasoning=True)
    assert visible is not None and hidden is not None
    assert hidden <= visible
    assert math.isclose(hidden * end, tokens, rel_tol=1e-9)


def test_no_thought_shown_means_no_thinking_time() -> None:
    plain = Timing(first_token_s=0.5, first_answer_s=0.5, end_s=2.0)
    assert plain.thinking_s is None and plain.ttft_s == plain.answer_ttft_s
    assert thinking_live_s(plain, 1.0) is None


@given(start=SECONDS, now=SECONDS)
def test_live_thinking_timer_counts_up_until_the_answer(start: float, now: float) -> None:
    thinking = Timing(first_token_s=start, first_reasoning_s=start)
    live = thinking_live_s(thinking, now)
    assert live == max(0.0, now - start)
    answered = Timing(first_token_s=start, first_reasoning_s=start, first_answer_s=start + 3)
    assert math.isclose(thinking_live_s(answered, now + 100) or 0, 3)


def test_nothing_or_no_time_gives_no_rate() -> None:
    assert tokens_per_s(0, 1.0, 5.0) is None
    assert tokens_per_s(10, None, 5.0) is None
    assert tokens_per_s(10, 1.0, 1.01) is None
