"""A conversation's turns: each prompt with one lane per model that answered it, live or
reopened from the store, and the branches an edit or a rerun replaced.

`ChatSession` (core/session.py) holds the rules that change them; this module is what they are,
and how a stored conversation's messages become them again (`stored_path`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from llmtui.core.pricing.cost import Cost, stored_cost
from llmtui.core.reasoning_choice import DEFAULT, ReasoningChoice, stored_choice
from llmtui.providers.base import ChatMessage

if TYPE_CHECKING:
    from llmtui.core.exchange import Exchange, ExchangeStats
    from llmtui.core.store import StoredMessage
    from llmtui.providers.parts import Part


class LaneState(StrEnum):
    STREAMING = "streaming"
    DONE = "done"
    INTERRUPTED = "interrupted"
    ERROR = "error"


class TurnKind(StrEnum):
    PROMPT = "prompt"
    EDIT = "edit"
    """An earlier prompt, changed and resent: replaces that turn and the ones after it."""
    RERUN = "rerun"
    """The same prompt sent to another model: replaces that turn."""


@dataclass(eq=False)
class Lane:
    """One model's answer in a turn: live (stats) or reopened from the store (stored)."""

    ref: str
    state: LaneState = LaneState.STREAMING
    stats: ExchangeStats | None = None
    stored: StoredMessage | None = None
    hidden_notice: str = ""
    """In a blind compare: the full error text, which names the provider, kept until the vote."""
    sent_with: ReasoningChoice = DEFAULT
    """The effort or budget this answer was asked to think with (live: as sent)."""
    held: list[str] = field(default_factory=list)
    """In a blind compare: notices that name the provider (a parameter it does not take), kept
    until the vote."""

    @property
    def asked(self) -> ReasoningChoice:
        """How hard the answer was asked to think (live: as sent; reopened: as stored)."""
        if self.stats is None and self.stored is not None:
            return stored_choice(self.stored.reasoning_effort, self.stored.thinking_budget)
        return self.sent_with

    def after_vote(self) -> tuple[str, bool] | None:
        """What the vote reveals under this answer: (text, failed), or None."""
        texts = [t for t in (self.hidden_notice, *(f"⚠ {note}" for note in self.held)) if t]
        return (" — ".join(texts), bool(self.hidden_notice)) if texts else None

    @property
    def text(self) -> str:
        if self.stats is not None:
            return self.stats.text
        return self.stored.content if self.stored is not None else ""

    @property
    def cost(self) -> Cost:
        """What this answer cost (so far, while it streams)."""
        if self.stats is None:
            amount = self.stored.cost_usd if self.stored is not None else None
            # An older llmtui may have stored NaN: unknown, never a crash (stored_cost checks).
            return stored_cost(amount, bool(self.stored and self.stored.cost_estimated),
                               self.stored.cost_note if self.stored is not None else None)
        return self.stats.cost_now()

    @property
    def answer_id(self) -> int | None:
        """The stored answer's id (a vote names the answers it judged)."""
        if self.stats is not None:
            return self.stats.message_id
        return self.stored.id if self.stored is not None else None


@dataclass(eq=False)
class Turn:
    """A prompt and one lane per model that answered it."""

    prompt: str
    user_id: int | None
    lanes: list[Lane] = field(default_factory=list)
    kind: TurnKind = TurnKind.PROMPT
    voted: bool = False
    earlier: list[list[Turn]] = field(default_factory=list)
    """Branches this turn replaced, oldest first: each is the replaced turn and the ones after it."""
    exchanges: list[Exchange] = field(default_factory=list)
    parts: tuple[Part, ...] = ()
    """The prompt's attachments: shown with it, and resent with it in later turns' history."""
    started_afresh: int | None = None
    """The conversation this prompt was sent to, when it had been deleted meanwhile (History,
    another llmtui, `llmtui history delete`): the prompt started a new conversation instead."""
    unseen: int = 0
    """Prompts another llmtui had added to the conversation that this one never showed (this
    prompt follows the turns shown here, not theirs)."""

    @property
    def streaming(self) -> bool:
        return any(lane.state is LaneState.STREAMING for lane in self.lanes)

    @property
    def refs(self) -> list[str]:
        return [lane.ref for lane in self.lanes]


def prompt_ids(turns: Sequence[Turn]) -> set[int]:
    """The stored prompts these turns hold, the branches they kept included."""
    found: set[int] = set()
    for turn in turns:
        if turn.user_id is not None:
            found.add(turn.user_id)
        for branch in turn.earlier:
            found |= prompt_ids(branch)
    return found


def user_message(prompt: str, parts: Sequence[Part] = ()) -> ChatMessage:
    """The user's message a send makes of a prompt and its attachments: the one function the
    send and the price of Enter (present/send_price.py, with the chips still pending) use,
    so the line under the prompt quotes what the budget will check."""
    return ChatMessage("user", prompt, tuple(parts))


_STORED_STATES = {"done": LaneState.DONE, "interrupted": LaneState.INTERRUPTED, "error": LaneState.ERROR,
                  # streaming: another llmtui streams it now (present/turns.py says so); this
                  # session will not see it grow, so it is over here as an interrupted one is
                  "streaming": LaneState.INTERRUPTED}


def stored_path(messages: Sequence[StoredMessage]) -> list[Turn]:
    """The live path of a stored conversation, each turn with the branches it replaced."""
    path: list[Turn] = []
    by_id: dict[int, Turn] = {}
    for m in messages:
        if m.role == "user":
            turn = Turn(m.content, m.id)
            replaced = by_id.get(m.parent_id) if m.parent_id is not None else None
            if replaced is not None and replaced in path:
                at = path.index(replaced)
                turn.earlier = [*replaced.earlier, path[at:]]
                turn.kind = TurnKind.RERUN if m.content == replaced.prompt else TurnKind.EDIT
                path = path[:at]
            path.append(turn)
            by_id[m.id] = turn
        elif m.parent_id in by_id and m.lane >= 0:
            lanes = by_id[m.parent_id].lanes
            while len(lanes) <= m.lane:
                lanes.append(Lane("?", state=LaneState.ERROR))
            state = _STORED_STATES.get(m.status, LaneState.ERROR)
            lanes[m.lane] = Lane(m.model or "?", state=state, stored=m)
    return path
