"""What the store hands out and takes in: conversations, messages, how an answer ended,
votes and compare runs, attachments, prompt-search hits.

Plain frozen records, no SQL: the queries that fill them live beside their tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from llmtui.core.pricing.cost import Cost
from llmtui.core.timing import tokens_per_s
from llmtui.providers.base import Usage
from llmtui.providers.parts import Part


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
    reasoning_redacted: bool = False
    """The provider redacted part of the thinking (sent it encrypted): there was more than shown."""

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
    reasoning_redacted: bool = False


class MessageGone(LookupError):
    """The answer's row is gone: its conversation was deleted while it streamed."""


@dataclass(frozen=True, slots=True)
class Progress:
    """An answer's figures so far, saved with its text while it streams, so an answer that
    never finishes (llmtui killed) keeps them: estimates, marked as such, until the finish."""

    input_tokens: int | None
    output_tokens: int
    ttft_s: float | None
    duration_s: float
    cost_usd: Decimal | None


@dataclass(frozen=True, slots=True)
class PromptAdded:
    """Where `add_prompt` put a prompt, and what it found in the conversation."""

    conversation_id: int
    prompt_id: int
    gone: int | None = None
    """The conversation it was sent to, deleted meanwhile: the prompt began a new one."""
    unseen: tuple[int, ...] = ()
    """The conversation's prompts the sender had not seen (another llmtui's)."""


MIXED = "mixed"
"""A conversation's mode once it had both one-model turns and compare turns."""


# ------------------------------------------------------------------ the arena (arena.py)


class Choice(StrEnum):
    A = "a"
    B = "b"
    TIE = "tie"
    BOTH_BAD = "both_bad"


@dataclass(frozen=True, slots=True)
class Vote:
    """Which model sat on side A and which on side B, the choice, whether the names were
    hidden, and which two answers were judged."""

    side_a: str
    side_b: str
    choice: Choice
    blind: bool
    conversation_id: int
    prompt_id: int | None = None
    run_id: int | None = None
    answer_a: int | None = None
    answer_b: int | None = None
    prompt_set: str | None = None
    """Read from the vote's run; not written."""

    @property
    def winner(self) -> str | None:
        return {Choice.A: self.side_a, Choice.B: self.side_b}.get(self.choice)

    @property
    def loser(self) -> str | None:
        return {Choice.A: self.side_b, Choice.B: self.side_a}.get(self.choice)


@dataclass(frozen=True, slots=True)
class RunItem:
    """One prompt of a run, sent once (one repeat): the user message all lanes answer."""

    prompt_id: int
    item: str
    repeat: int
    system: str | None
    prompt: str


@dataclass(frozen=True, slots=True)
class CompareRun:
    id: int
    conversation_id: int
    models: tuple[str, ...]
    repeats: int
    prompt_set: str | None
    created_at: float


# ------------------------------------------------------------------ attachments, prompt search


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    message_id: int
    sha256: str
    name: str
    part: Part


@dataclass(frozen=True, slots=True)
class PromptHit:
    message_id: int
    """The newest message that sent this prompt (read in full with `Store.prompt_text`)."""
    preview: str
    created_at: float
    conversation: str
    """The title of the conversation it was sent in."""
