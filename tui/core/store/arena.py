"""Votes and the arena's tallies.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from llmtui.core.store.database import Database


class ArenaQueries(Database):
    def add_vote(
        self, conversation_id: int, prompt_id: int | None, models: Sequence[str],
        winner: str | None,
    ) -> None:
        loser = None
        if winner is not None:
            loser = next((m for m in models if m != winner), None)
        with self._tx() as db:
            db.execute(
                "INSERT INTO votes (conversation_id, prompt_id, winner, loser, models, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, prompt_id, winner, loser, json.dumps(list(models)), time.time()),
            )

    def leaderboard(self) -> list[tuple[str, int, int, int]]:
        """(model, wins, losses, ties) for every model that took part in a vote."""
        tally: dict[str, list[int]] = {}
        for winner, loser, models in self._db.execute("SELECT winner, loser, models FROM votes"):
            for m in json.loads(models):
                tally.setdefault(m, [0, 0, 0])
            if winner is None:
                for m in json.loads(models):
                    tally[m][2] += 1
            else:
                tally[winner][0] += 1
                if loser:
                    tally[loser][1] += 1
        rows = [(m, w, lo, t) for m, (w, lo, t) in tally.items()]
        return sorted(rows, key=lambda r: (-(r[1] / max(1, r[1] + r[2] + r[3])), -r[1], r[0]))
