"""One answer's timing figures, computed the same way live, stored, in JSON and in exports.

Reasoning models think before they answer, so one "time to first token" is not enough:

- `ttft_s`: request -> first token of ANY kind (a thought or the answer): how soon the model
  started producing.
- `answer_ttft_s`: request -> first ANSWER token: how long the user waits for the answer.
- `thinking_s`: first thought -> first answer token (or the end, if no answer came), when the
  thinking was shown. None when nothing was shown.
- tokens/s: ALL output tokens (thinking included, which is what the provider generated and
  bills) / the time since the first token of any kind. When a provider hides its reasoning
  (OpenAI's o-series) the first hidden token's time is unknown, so the span starts at the
  request instead: slower-looking but never inflated. Dividing every output token by the
  time since the first *visible* token is the inflation this module exists to avoid
  (1,500 thought tokens in 20 s plus 300 answer tokens in 4 s is 75 tok/s, not 450).

All times are seconds from the request; every function here is pure, so the TUI, the CLI,
history and export cannot drift apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_SPAN_S = 0.05
"""A shorter span gives no meaningful rate (one burst of buffered tokens)."""


@dataclass(frozen=True, slots=True)
class Timing:
    """Moments of one answer, in seconds since the request was sent (None: did not happen)."""

    first_token_s: float | None = None
    """First token of any kind."""
    first_answer_s: float | None = None
    first_reasoning_s: float | None = None
    end_s: float | None = None

    @property
    def ttft_s(self) -> float | None:
        return self.first_token_s

    @property
    def answer_ttft_s(self) -> float | None:
        return self.first_answer_s

    @property
    def thinking_s(self) -> float | None:
        if self.first_reasoning_s is None:
            return None
        until = self.first_answer_s if self.first_answer_s is not None else self.end_s
        if until is None:
            return None
        return max(0.0, until - self.first_reasoning_s)


def tokens_per_s(
    output_tokens: int, ttft_s: float | None, duration_s: float | None, *, hidden_reasoning: bool = False
) -> float | None:
    """All output tokens over the time since the first token (since the request if hidden)."""
    if ttft_s is None or duration_s is None or output_tokens <= 0:
        return None
    start = 0.0 if hidden_reasoning else ttft_s
    span = duration_s - start
    if not math.isfinite(span) or span <= MIN_SPAN_S:
        return None
    return output_tokens / span


def thinking_live_s(timing: Timing, now_s: float) -> float | None:
    """Seconds of thinking so far while a stream runs (for "thinking… 42 s")."""
    if timing.first_answer_s is not None:
        return timing.thinking_s
    if timing.first_reasoning_s is None:
        return None
    return max(0.0, now_s - timing.first_reasoning_s)
