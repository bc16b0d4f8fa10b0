"""Personal win rates from blind-compare votes; shared by the CLI and the screen."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llmtui.core.store import Store


@dataclass(frozen=True, slots=True)
class Standing:
    model: str
    wins: int
    losses: int
    ties: int

    @property
    def votes(self) -> int:
        return self.wins + self.losses + self.ties

    @property
    def win_rate(self) -> float:
        """Wins over all votes the model took part in (a tie counts as a vote, not a win)."""
        return self.wins / self.votes if self.votes else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "votes": self.votes, "win_rate": round(self.win_rate, 4)}


def standings(store: Store) -> list[Standing]:
    """Best win rate first (the store's order)."""
    return [Standing(m, w, lo, t) for m, w, lo, t in store.leaderboard()]


def percent(rate: float) -> str:
    return f"{rate * 100:.0f}%"
