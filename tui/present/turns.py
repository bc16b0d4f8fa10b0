"""Plain helpers for the main screen: live figures from an Exchange, stored turns, hints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.core.pricing.cost import Cost
from llmtui.providers.base import ChatMessage
from llmtui.widgets.metrics_bar import Metrics
from llmtui.widgets.transcript import StoredTurn

if TYPE_CHECKING:
    from llmtui.core.exchange import ExchangeStats
    from llmtui.core.store import StoredMessage
    from llmtui.widgets.message_view import MessageView
    from llmtui.widgets.transcript import Turn


@dataclass
class Lane:
    """One model's side of a turn while (and after) it streams."""

    ref: str
    view: MessageView
    stats: ExchangeStats | None = None
    state: str = ""
    hidden_notice: str = ""
    """In a blind compare: the full error text, which names the provider, kept until the vote."""


@dataclass
class TurnRecord:
    """What the screen remembers of a turn: for edit, rerun and votes."""

    prompt: str
    user_id: int | None
    widget: Turn
    histories_before: list[list[ChatMessage]]
    lanes: list[Lane] = field(default_factory=list)
    voted: bool = False


def metrics_for(lane: Lane, label: str, masked: bool) -> Metrics:
    stats = lane.stats
    if stats is None:
        return Metrics(model=label, cost="~$0", masked_timings=masked)
    return Metrics(
        model=label, output_tokens=stats.output_tokens, input_tokens=stats.input_tokens,
        tokens_estimated=stats.usage_estimated, cost=stats.cost_now().display(),
        ttft_s=stats.ttft_s, tokens_per_s=stats.tokens_per_s, state=lane.state,
        masked_timings=masked,
    )


def stored_turns(messages: Sequence[StoredMessage], refs: Sequence[str], blind: bool,
                 masked: bool) -> tuple[list[StoredTurn], list[list[ChatMessage]], list[Cost]]:
    """Group stored messages into turns; also each lane's history and the answers' costs."""
    lanes = max(1, len(refs))
    prompts: list[StoredMessage] = []
    answers: dict[int, list[StoredMessage | None]] = {}
    for m in messages:
        if m.role == "user":
            prompts.append(m)
            answers[m.id] = [None] * lanes
        elif m.parent_id in answers and 0 <= m.lane < lanes:
            answers[m.parent_id][m.lane] = m
    histories: list[list[ChatMessage]] = [[] for _ in range(lanes)]
    costs: list[Cost] = []
    turns = []
    before: dict[int, list[int]] = {}  # prompt id -> each lane's history length before it
    for prompt in prompts:
        before[prompt.id] = [len(h) for h in histories]
        if prompt.parent_id in before:
            # An edited or rerun prompt replaces the one it branches from: the model must not
            # see the abandoned branch (the view still shows it, as it did when it happened).
            for lane, length in enumerate(before[prompt.parent_id]):
                del histories[lane][length:]
        row = []
        for lane, answer in enumerate(answers[prompt.id]):
            ref = answer.model if answer and answer.model else (refs[lane] if lane < len(refs) else "?")
            title = f"Model {'AB'[lane]}" if blind and lanes == 2 else ref
            if answer is None:
                row.append((title, "", Metrics(model=title, masked_timings=masked), "no answer stored"))
                continue
            cost = Cost(Decimal(answer.cost_usd) if answer.cost_usd else None, answer.cost_estimated)
            costs.append(cost)
            state = "" if answer.status == "done" else answer.status
            metrics = Metrics(
                model=title, output_tokens=answer.output_tokens or 0,
                input_tokens=answer.input_tokens or 0, tokens_estimated=answer.usage_estimated,
                cost=cost.display(), ttft_s=answer.ttft_s,
                tokens_per_s=answer.tokens_per_s,
                state=state, masked_timings=masked,
            )
            notice = f"⚠ {answer.error_message}" if answer.error_message else ""
            row.append((title, answer.content, metrics, notice))
            if answer.content:
                histories[lane] += [ChatMessage("user", prompt.content),
                                    ChatMessage("assistant", answer.content)]
        turns.append(StoredTurn(prompt.content, tuple(row)))
    return turns, histories, costs


def last_code_block(text: str) -> str | None:
    """The body of the last fenced code block in `text`."""
    blocks: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.strip().startswith(("```", "~~~")):
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks[-1] if blocks else None
