"""Your personal leaderboard from your votes; shared by `llmtui leaderboard` and the screen.

Only blind votes rate models: a vote cast while the names showed says as much about the
names as about the answers. Those votes are tallied apart (`compare_votes`) and never rated.

Scoring, the same in the tallies and the rating: a win is 1, a loss 0, a tie 1/2 for each
side. "Both bad" is a vote with no winner and enters the rating exactly as a tie does (as
LMArena counts it): it says neither answer was better. It is counted apart in `both_bad`.
The rating is Bradley-Terry with a 95% interval from its posterior (llmtui.core.rating), given overall
and per prompt set (votes on a `llmtui compare --prompts FILE` run, by the file's name).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from llmtui.core import rating
from llmtui.core.store import Choice, Vote

if TYPE_CHECKING:
    from llmtui.core.store import Store

_SCORE_A = {Choice.A: 1.0, Choice.B: 0.0, Choice.TIE: 0.5, Choice.BOTH_BAD: 0.5}


@dataclass(slots=True)
class Tally:
    model: str
    wins: int = 0
    losses: int = 0
    ties: int = 0
    both_bad: int = 0

    @property
    def votes(self) -> int:
        return self.wins + self.losses + self.ties + self.both_bad

    @property
    def win_rate(self) -> float:
        """(wins + half of the votes with no winner) / votes."""
        if not self.votes:
            return 0.0
        return (self.wins + (self.ties + self.both_bad) / 2) / self.votes

    def counts(self) -> dict[str, Any]:
        return {"votes": self.votes, "wins": self.wins, "losses": self.losses, "ties": self.ties,
                "both_bad": self.both_bad, "win_rate": round(self.win_rate, 4)}


@dataclass(frozen=True, slots=True)
class Standing:
    """A model's rating, its interval and its tally."""

    tally: Tally
    rating: float
    low: float
    high: float

    @property
    def model(self) -> str:
        return self.tally.model

    def as_dict(self) -> dict[str, Any]:
        return {"model": self.model, "rating": round(self.rating, 1),
                "ci_low": round(self.low, 1), "ci_high": round(self.high, 1),
                **self.tally.counts()}


@dataclass(frozen=True, slots=True)
class Board:
    """One rated table: overall, or one prompt set's votes."""

    votes: int
    standings: list[Standing] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"votes": self.votes, "models": [s.as_dict() for s in self.standings]}


@dataclass(frozen=True, slots=True)
class Leaderboard:
    overall: Board
    prompt_sets: dict[str, Board]
    compare_votes: int
    compare_tallies: list[Tally]

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": METHOD,
            "overall": self.overall.as_dict(),
            "prompt_sets": {name: b.as_dict() for name, b in self.prompt_sets.items()},
            "compare_votes": {"votes": self.compare_votes,
                              "models": [{"model": t.model, **t.counts()}
                                         for t in self.compare_tallies]},
        }


METHOD = {
    "rating": "Bradley-Terry (MM iterations), Elo scale: 1000 + 400*log10(strength)",
    "prior": f"each model draws {rating.PRIOR_GAMES:g} virtual game against a 1000-rated reference",
    "interval": f"{rating.LEVEL:.0%} Laplace approximation of the posterior (the prior "
                "included): rating +- 1.96 standard errors; wide with few votes",
    "ties": "half a win for each side",
    "both_bad": "a vote with no winner: rated as a tie, counted apart",
    "votes_rated": "blind votes only",
}


def tallies(votes: Iterable[Vote]) -> list[Tally]:
    """Per model, best win rate first."""
    out: dict[str, Tally] = {}
    for v in votes:
        a, b = (out.setdefault(m, Tally(m)) for m in (v.side_a, v.side_b))
        if v.choice is Choice.A:
            a.wins, b.losses = a.wins + 1, b.losses + 1
        elif v.choice is Choice.B:
            b.wins, a.losses = b.wins + 1, a.losses + 1
        elif v.choice is Choice.TIE:
            a.ties, b.ties = a.ties + 1, b.ties + 1
        else:
            a.both_bad, b.both_bad = a.both_bad + 1, b.both_bad + 1
    return sorted(out.values(), key=lambda t: (-t.win_rate, -t.votes, t.model))


def board(votes: Sequence[Vote]) -> Board:
    """Rated standings, best rating first."""
    games = [rating.Game(v.side_a, v.side_b, _SCORE_A[v.choice]) for v in votes]
    ratings = rating.fit(games)
    intervals = rating.interval(games)
    rows = [Standing(t, ratings[t.model], *intervals[t.model]) for t in tallies(votes)
            if t.model in ratings]
    return Board(len(votes), sorted(rows, key=lambda s: (-s.rating, s.model)))


def leaderboard_from(votes: Sequence[Vote]) -> Leaderboard:
    blind = [v for v in votes if v.blind and v.side_a != v.side_b]
    by_set: dict[str, list[Vote]] = defaultdict(list)
    for v in blind:
        if v.prompt_set is not None:
            by_set[v.prompt_set].append(v)
    seen = [v for v in votes if not v.blind]
    return Leaderboard(board(blind), {name: board(vs) for name, vs in sorted(by_set.items())},
                       len(seen), tallies(seen))


def leaderboard(store: Store) -> Leaderboard:
    return leaderboard_from(store.votes())


def percent(rate: float) -> str:
    return f"{rate * 100:.0f}%"
