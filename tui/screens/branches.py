"""The earlier answers an edit or rerun kept: one branch at a time, ←/→ (or F8) to cycle."""

from __future__ import annotations

from rich.console import Group
from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from llmtui.core.session import Turn
from llmtui.present.turns import metrics_for, turn_note
from llmtui.sanitize import sanitize
from llmtui.screens.worker_failures import ShowsWorkerFailures
from llmtui.widgets.metrics_bar import render_metrics


class BranchesScreen(ShowsWorkerFailures, ModalScreen[None]):
    DEFAULT_CSS = """
    BranchesScreen { align: center middle; background: $background 60%; }
    BranchesScreen > Vertical {
        width: 90%; height: 85%; border: round $accent; background: $surface; padding: 0 1;
    }
    BranchesScreen #branch-title { text-style: bold; color: $accent; }
    BranchesScreen #branch-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="branches.close"),
        Binding("left", "cycle(-1)", "Earlier", id="branches.earlier"),
        Binding("right,f8", "cycle(1)", "Later", id="branches.later"),
    ]

    def __init__(self, turn: Turn, masked: bool = False) -> None:
        super().__init__()
        self.turn = turn
        self.masked = masked
        self.index = len(turn.earlier) - 1  # the most recently replaced branch first

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="branch-title")
            yield Static("←/→ or F8: other kept branches · Esc: close", id="branch-keys")
            with VerticalScroll():
                yield Static(id="branch-body")

    def on_mount(self) -> None:
        self._show()

    def action_cycle(self, step: int) -> None:
        self.index = (self.index + step) % len(self.turn.earlier)
        self._show()

    def _show(self) -> None:
        branch = self.turn.earlier[self.index]
        replaced_by = turn_note(self.turn) or "replaced"
        self.query_one("#branch-title", Static).update(Text(
            f"Kept branch {self.index + 1} of {len(self.turn.earlier)} — now {replaced_by.split(' — ')[0]}"))
        parts: list[Text | Markdown] = []
        for turn in branch:
            parts.append(Text.assemble(("you", "bold"), "  ", sanitize(turn.prompt)))
            for lane in turn.lanes:
                parts.append(render_metrics(metrics_for(lane, lane.ref, self.masked)))
                parts.append(Markdown(sanitize(lane.text) or "*(no answer)*"))
            parts.append(Text(""))
        self.query_one("#branch-body", Static).update(Group(*parts))
