"""Your personal leaderboard: ratings from your blind votes, with how sure they are."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from llmtui.screens.worker_failures import ShowsWorkerFailures

if TYPE_CHECKING:
    from llmtui.core.leaderboard import Leaderboard
    from llmtui.core.store import Store


class LeaderboardScreen(ShowsWorkerFailures, Screen[None]):
    """Models by Bradley-Terry rating: its 95% interval, votes, wins, losses, ties, both bad."""

    CSS_PATH = "leaderboard.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="leaderboard.close", tooltip="Back")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Static("Leaderboard · your blind votes · a tie or 'both bad' is half a win",
                     id="leaderboard-title")
        yield DataTable(id="leaderboard-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="leaderboard-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", key="rank")
        table.add_column("Model", key="model")
        for label in ("Rating", "95% CI", "Votes", "Wins", "Losses", "Ties", "Both bad",
                      "Win rate"):
            table.add_column(label, key=label.lower().replace(" ", "_"))
        table.focus()
        self.load()

    @work(group="leaderboard", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        from rich.text import Text

        from llmtui.core.leaderboard import leaderboard, percent
        from llmtui.sanitize import sanitize

        board = await asyncio.to_thread(leaderboard, self.store)
        table = self.query_one(DataTable)
        table.clear()
        for rank, s in enumerate(board.overall.standings, start=1):
            t = s.tally
            cells = (f"{s.rating:.0f}", f"{s.low:.0f}–{s.high:.0f}", t.votes, t.wins, t.losses,
                     t.ties, t.both_bad, percent(t.win_rate))
            table.add_row(str(rank), sanitize(s.model),
                          *(Text(str(c), justify="right") for c in cells), key=s.model)
        self.query_one("#leaderboard-status", Static).update(_status(board))

    def action_close(self) -> None:
        self.dismiss(None)


def _status(board: Leaderboard) -> str:
    parts = []
    if board.overall.votes:
        parts.append(f"{len(board.overall.standings)} models, {board.overall.votes} blind votes")
        if board.prompt_sets:
            parts.append(f"{len(board.prompt_sets)} prompt sets (llmtui leaderboard)")
    else:
        parts.append("No blind votes yet: compare two models blind and vote for the better answer")
    if board.compare_votes:
        parts.append(f"{board.compare_votes} votes with names showing, not rated")
    return " · ".join(parts) + "."
