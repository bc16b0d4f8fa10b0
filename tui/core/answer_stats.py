"""One answer's live figures: text, thinking, moments, usage, cost — what the TUI redraws from.

Moments are kept as monotonic times and turned into seconds-since-request by
llmtui.core.timing, so every surface computes TTFT, answer TTFT, thinking time and tok/s
the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core.pricing.cost import Cost, cost_of
from llmtui.core.timing import Timing, tokens_per_s
from llmtui.providers.base import (
    Price,
    RateLimit,
    ReasoningDelta,
    ServedBy,
    StreamDone,
    StreamError,
    StreamEvent,
    TextDelta,
    Usage,
    UsageReport,
    bytes_to_tokens,
    utf8_size,
)

if TYPE_CHECKING:
    from llmtui.core.store import AnswerRecord, Progress

ALL_THOUGHT = "the model's answer was all thinking; no answer text"

NOT_BILLED = Cost(Decimal(0), False, "failed before any output; not billed")


@dataclass
class ExchangeStats:
    """Live figures for one answer; the TUI redraws from these."""

    ref: str
    started: float = field(default_factory=time.monotonic)
    first_token_at: float | None = None
    """First token of any kind: a thought or the answer."""
    first_answer_at: float | None = None
    first_reasoning_at: float | None = None
    ended_at: float | None = None
    parts: list[str] = field(default_factory=list)
    reasoning_parts: list[str] = field(default_factory=list)
    """The model's thinking, kept apart from the answer (never sent back to providers)."""
    reasoning_redacted: bool = False
    hides_reasoning: bool = False
    """The provider thinks out of sight (OpenAI o-series): only a token count will say so."""
    prompt_tokens_estimate: int = 0
    usage: Usage | None = None
    served_by: str | None = None
    rate_limit: RateLimit | None = None
    finish_reason: str | None = None
    error: StreamError | None = None
    interrupted: bool = False
    price: Price | None = None
    """Resolved once per answer (again when ServedBy names the backend)."""
    cost: Cost = field(default_factory=lambda: Cost(None, True, "not started"))
    """The final cost, set when the answer ends; `cost_now()` while it runs."""
    settled: bool = False
    message_id: int | None = None
    unsaved: str | None = None
    """Why the store could not take the answer, and where it went instead (recovery file)."""
    text_bytes: int = 0
    reasoning_bytes: int = 0
    """UTF-8 sizes of the parts, counted as they arrive: the live token estimates read these, so
    a figures refresh costs the same after 5 MB of thinking as after one token (joining and
    encoding the whole text on every refresh froze the TUI)."""

    def __post_init__(self) -> None:
        self.text_bytes = self.text_bytes or utf8_size("".join(self.parts))
        self.reasoning_bytes = self.reasoning_bytes or utf8_size("".join(self.reasoning_parts))

    @property
    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts[:] = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""

    @property
    def all_thought(self) -> bool:
        """It thought and wrote no answer (a <think> never closed, or cut off while thinking)."""
        return bool(self.reasoning_parts) and not self.text.strip()

    @property
    def reasoning(self) -> str:
        if len(self.reasoning_parts) > 1:
            self.reasoning_parts[:] = ["".join(self.reasoning_parts)]
        return self.reasoning_parts[0] if self.reasoning_parts else ""

    @property
    def timing(self) -> Timing:
        """The answer's moments, in seconds since the request (see llmtui.core.timing)."""

        def since(at: float | None) -> float | None:
            return None if at is None else at - self.started

        return Timing(since(self.first_token_at), since(self.first_answer_at),
                      since(self.first_reasoning_at), since(self.ended_at))

    @property
    def ttft_s(self) -> float | None:
        """Request -> first token of any kind (a thought counts)."""
        return self.timing.ttft_s

    @property
    def answer_ttft_s(self) -> float | None:
        return self.timing.answer_ttft_s

    @property
    def thinking_s(self) -> float | None:
        return self.timing.thinking_s

    @property
    def duration_s(self) -> float:
        return (self.ended_at or time.monotonic()) - self.started

    @property
    def usage_estimated(self) -> bool:
        return self.usage is None

    @property
    def output_tokens(self) -> int:
        """Every output token, thinking included (what the provider generated and bills)."""
        if self.usage:
            return self.usage.output_tokens
        return bytes_to_tokens(self.text_bytes) + bytes_to_tokens(self.reasoning_bytes)

    @property
    def reasoning_tokens(self) -> int | None:
        """Thinking tokens: the provider's count, else an estimate from the thinking shown."""
        if self.usage is not None and self.usage.reasoning_tokens is not None:
            return self.usage.reasoning_tokens
        return bytes_to_tokens(self.reasoning_bytes) if self.reasoning_bytes else None

    @property
    def reasoning_estimated(self) -> bool:
        return self.usage is None or self.usage.reasoning_tokens is None

    @property
    def hidden_reasoning(self) -> bool:
        """Thought out of sight: tokens were reported, no thinking was shown."""
        return bool(self.reasoning_tokens) and not self.reasoning_parts and not self.reasoning_estimated

    @property
    def input_tokens(self) -> int:
        return self.usage.input_tokens if self.usage else self.prompt_tokens_estimate

    @property
    def tokens_per_s(self) -> float | None:
        return tokens_per_s(self.output_tokens, self.ttft_s, self.duration_s,
                            hidden_reasoning=self.hidden_reasoning)

    @property
    def done(self) -> bool:
        return self.ended_at is not None

    def cost_now(self) -> Cost:
        """The final cost once settled, else the running estimate (~) from the text so far."""
        if self.settled:
            return self.cost
        if self.error is not None and not self.parts and not self.reasoning_parts and self.usage is None:
            return NOT_BILLED  # refused or failed before any output: providers bill nothing
        usage = self.usage or Usage(self.input_tokens, self.output_tokens)
        return cost_of(usage, self.price, estimated=self.usage is None)

    def apply(self, event: StreamEvent) -> None:
        """Fold one provider event into the figures."""
        if isinstance(event, TextDelta):
            now = time.monotonic()
            self.first_token_at = self.first_token_at or now
            self.first_answer_at = self.first_answer_at or now
            self.parts.append(event.text)
            self.text_bytes += utf8_size(event.text)
        elif isinstance(event, ReasoningDelta):
            now = time.monotonic()
            self.first_token_at = self.first_token_at or now
            self.first_reasoning_at = self.first_reasoning_at or now
            if event.text:
                self.reasoning_parts.append(event.text)
                self.reasoning_bytes += utf8_size(event.text)
            self.reasoning_redacted = self.reasoning_redacted or event.redacted
        elif isinstance(event, UsageReport):
            self.usage = event.usage
        elif isinstance(event, ServedBy):
            self.served_by = event.backend
        elif isinstance(event, RateLimit):
            self.rate_limit = event
        elif isinstance(event, StreamDone):
            self.finish_reason = event.finish_reason
            self.ended_at = time.monotonic()
        elif isinstance(event, StreamError):
            self.error = event
            self.ended_at = time.monotonic()

    def progress(self) -> Progress:
        """The figures so far, as a streaming answer's row keeps them (answer_log.py)."""
        from llmtui.core.store import Progress

        return Progress(self.input_tokens or None, self.output_tokens, self.ttft_s,
                        self.duration_s, self.cost_now().amount)

    def record(self) -> AnswerRecord:
        """The answer as the store keeps it."""
        # Here, not at the top: the main screen imports this module before its first paint,
        # and the store's (sqlite3, the ledger's tables) load after it.
        from llmtui.core.store import AnswerRecord, AnswerStatus

        status = AnswerStatus.DONE
        if self.error is not None:
            status = AnswerStatus.INTERRUPTED if self.text or self.reasoning_parts else AnswerStatus.ERROR
        elif self.interrupted:
            status = AnswerStatus.INTERRUPTED
        usage = self.usage or Usage(self.input_tokens, self.output_tokens)
        return AnswerRecord(
            content=self.text, status=status, usage=usage, usage_estimated=self.usage is None,
            cost=self.cost, ttft_s=self.ttft_s, duration_s=self.duration_s,
            finish_reason=self.finish_reason,
            error_kind=str(self.error.kind) if self.error else None,
            error_message=self.error.message if self.error else None,
            served_by=self.served_by,
            reasoning=self.reasoning, answer_ttft_s=self.answer_ttft_s, thinking_s=self.thinking_s,
            reasoning_tokens=self.reasoning_tokens, reasoning_estimated=self.reasoning_estimated,
            reasoning_redacted=self.reasoning_redacted,
        )
