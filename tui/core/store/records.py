"""What the store hands out and takes in: conversations, messages, and how an answer ended.

Plain frozen records, no SQL: the queries that fill them live beside their tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from llmtui.core.pricing.cost import Cost
from llmtui.core.timing import tokens_per_s
from llmtui.providers.base import Usage


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    title: str
    mode: str
    models: tuple[str, ...]
    blind: bool
    created_at: float
    updated_at: float


@dataclass(frozen=True, slots=True)
class StoredMessage:
    id: int
    conversation_id: int
    lane: int
    parent_id: int | None
    role: str
    content: str
    model: str | None
    status: str
    created_at: float
    input_tokens: int | None
    output_tokens: int | None
    cached_input_tokens: int | None
    usage_estimated: bool
    cost_usd: str | None
    cost_estimated: bool
    cost_note: str | None
    ttft_s: float | None
    duration_s: float | None
    finish_reason: str | None
    error_kind: str | None
    error_message: str | None
    served_by: str | None
    reasoning: str = ""
    answer_ttft_s: float | None = None
    thinking_s: float | None = None
    reasoning_tokens: int | None = None
    reasoning_estimated: bool = False
    reasoning_effort: str | None = None
    """The effort level the answer was asked for (None: the model's default)."""
    thinking_budget: int | None = None
    """The thinking budget it was sent with, in tokens (None: none sent)."""
    params: str | None = None
    """The sampling parameters it was sent with, as JSON (llmtui.core.sampling.from_json)."""

    @property
    def interrupted(self) -> bool:
        return self.status in ("interrupted", "error", "streaming")

    @property
    def hidden_reasoning(self) -> bool:
        """The provider reported thinking tokens but showed no thinking (OpenAI)."""
        return bool(self.reasoning_tokens) and not self.reasoning and not self.reasoning_estimated

    @property
    def tokens_per_s(self) -> float | None:
        """The one tok/s (core.timing), as the answer showed it live."""
        return tokens_per_s(self.output_tokens or 0, self.ttft_s, self.duration_s,
                            hidden_reasoning=self.hidden_reasoning)


class AnswerStatus(StrEnum):
    STREAMING = "streaming"
    DONE = "done"
    INTERRUPTED = "interrupted"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """How an answer ended, as `finish_message` stores it.

    `usage` holds the provider's counts, or the estimate when `usage_estimated`; None
    when nothing can be counted (stored as unknown).
    """

    content: str
    status: AnswerStatus
    usage: Usage | None
    usage_estimated: bool
    cost: Cost
    ttft_s: float | None
    duration_s: float | None
    finish_reason: str | None = None
    error_kind: str | None = None
    error_message: str | None = None
    served_by: str | None = None
    reasoning: str = ""
    answer_ttft_s: float | None = None
    thinking_s: float | None = None
    reasoning_tokens: int | None = None
    reasoning_estimated: bool = False
