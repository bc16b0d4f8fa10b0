"""Your personal leaderboard: win rates from the votes you cast in compare mode."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

if TYPE_CHECKING:
    from llmtui.core.store import Store


class LeaderboardScreen(Screen[None]):
    """Models by win rate: wins, losses, ties, votes."""

    CSS_PATH = "leaderboard.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="leaderboard.close", tooltip="Back")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Static("Leaderboard · your votes in compare mode", id="leaderboard-title")
        yield DataTable(id="leaderboard-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="leaderboard-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", key="rank")
        table.add_column("Model", key="model")
        for label in ("Wins", "Losses", "Ties", "Win rate", "Votes"):
            table.add_column(label, key=label.lower().replace(" ", "_"))
        table.focus()
        self.load()

    @work(group="leaderboard", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        from rich.text import Text

        from llmtui.core.leaderboard import percent, standings
        from llmtui.sanitize import sanitize

        rows = await asyncio.to_thread(standings, self.store)
        table = self.query_one(DataTable)
        table.clear()
        for rank, r in enumerate(rows, start=1):
            numbers = (r.wins, r.losses, r.ties, percent(r.win_rate), r.votes)
            table.add_row(str(rank), sanitize(r.model),
                          *(Text(str(n), justify="right") for n in numbers), key=r.model)
        self.query_one("#leaderboard-status", Static).update(
            f"{len(rows)} models" if rows else
            "No votes yet: compare two models and vote for the better answer."
        )

    def action_close(self) -> None:
        self.dismiss(None)
