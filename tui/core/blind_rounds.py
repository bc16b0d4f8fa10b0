"""A blind compare's rounds: which model sits on side A, and what history and export may say
before the vote.

A blind round names its models once it has a vote, or once an answer failed or was cut off
(no vote can be taken, so the TUI shows the names then too); until then `llmtui history`, the
History screen (ctrl+o), `history show` and the Markdown export show "Model A" / "Model B"
(the lane is the side drawn for that round) and nothing that tells the models apart: no
model name, price, cost, served-by or provider error text (tokens, TTFT and tok/s stay: they
are what the user judges). A conversation's model list reads "blind: 2 models" while its
newest round is unvoted; older rounds were drawn afresh, so naming the pair after the newest
round's vote gives away no pending side.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from llmtui.core.store import Store, StoredMessage

HIDDEN_MODELS = "blind: 2 models"

T = TypeVar("T")


def draw_sides(first: T, second: T, rng: random.Random | None = None) -> tuple[T, T]:
    """(side A, side B) for one blind round: either order with equal chance."""
    pick = (rng or _RNG).random() < 0.5
    return (first, second) if pick else (second, first)


# The OS's entropy: a blind draw must not be predictable from a seed the user could know.
_RNG = random.SystemRandom()


def side_name(lane: int) -> str:
    return f"Model {'AB'[lane]}" if lane < 2 else f"Model {lane + 1}"


CLOSED = ("error", "interrupted")
"""An answer that ended so: its round cannot be voted on, and is shown."""


def pending(answers: Sequence[StoredMessage], voted: bool) -> bool:
    """A blind round still waiting for its vote: its names are hidden."""
    return not voted and not any(a.status in CLOSED for a in answers)


def unvoted(store: Store, conversation_ids: Sequence[int]) -> set[int]:
    """The blind conversations among `conversation_ids` whose newest round is pending."""
    return store.unvoted_blind(conversation_ids, CLOSED)


def masked(m: StoredMessage) -> StoredMessage:
    """An answer of an unvoted blind round as it may be shown: its side, not its model."""
    return dataclasses.replace(
        m, model=side_name(m.lane), cost_usd=None, cost_estimated=False, cost_note=None,
        served_by=None, error_message=None, reasoning_redacted=False)
