"""Judging a stored compare run blind (`llmtui vote RUN_ID`): the pairs, the draw, the vote.

Every two models' answers to the same prompt (and repeat) make a pair, if both answers
finished: a failed or cut-off answer is never judged. Pairs already voted on are left out.
The pairs come in a random order (the OS's entropy), so their position says nothing about
which models they hold, and each pair's sides are drawn at random when it is shown.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmtui.core.blind_rounds import draw_sides
from llmtui.core.store import Choice, CompareRun, RunItem, Vote

if TYPE_CHECKING:
    from llmtui.core.store import Store, StoredMessage


@dataclass(frozen=True, slots=True)
class Round:
    """One pair as shown: which answer sits on side A and which on side B."""

    item: RunItem
    a: StoredMessage
    b: StoredMessage


@dataclass(frozen=True, slots=True)
class Pair:
    item: RunItem
    first: StoredMessage
    second: StoredMessage

    def draw(self, rng: random.Random | None = None) -> Round:
        a_lane, _ = draw_sides(self.first.lane, self.second.lane, rng)
        a, b = (self.first, self.second) if a_lane == self.first.lane else (self.second, self.first)
        return Round(self.item, a, b)


def _judgeable(m: StoredMessage) -> bool:
    return m.role == "assistant" and m.status == "done" and m.error_kind is None


def open_pairs(store: Store, run: CompareRun, rng: random.Random | None = None) -> list[Pair]:
    """The run's pairs not yet voted on, in a random order."""
    voted = _voted(store, run)
    pairs = [p for p in _pairs(store, run) if frozenset((p.first.id, p.second.id)) not in voted]
    (rng or random.SystemRandom()).shuffle(pairs)
    return pairs


def judged_pairs(store: Store, run: CompareRun) -> int:
    """How many of the run's pairs have a vote (to say 'already judged', not 'nothing')."""
    voted = _voted(store, run)
    return sum(frozenset((p.first.id, p.second.id)) in voted for p in _pairs(store, run))


def _pairs(store: Store, run: CompareRun) -> list[Pair]:
    answers: dict[int, list[StoredMessage]] = {}
    for m in store.messages(run.conversation_id):
        if m.parent_id is not None and _judgeable(m):
            answers.setdefault(m.parent_id, []).append(m)
    return [
        Pair(item, x, y)
        for item in store.run_items(run.id)
        for x, y in itertools.combinations(sorted(answers.get(item.prompt_id, []),
                                                  key=lambda m: m.lane), 2)
        if x.model != y.model
    ]


def _voted(store: Store, run: CompareRun) -> set[frozenset[int | None]]:
    return {frozenset((v.answer_a, v.answer_b))
            for v in store.conversation_votes(run.conversation_id) if v.run_id == run.id}


def cast(store: Store, run: CompareRun, shown: Round, choice: Choice) -> Vote | None:
    """Store a blind vote on the round as it was shown; None if another session judged the
    pair first (its vote stands)."""
    assert shown.a.model is not None and shown.b.model is not None
    vote = Vote(shown.a.model, shown.b.model, choice, True, run.conversation_id,
                shown.item.prompt_id, run.id, shown.a.id, shown.b.id)
    return vote if store.record_run_vote(vote) is not None else None
