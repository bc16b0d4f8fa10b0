"""The earlier answers an edit or rerun kept: one branch at a time, ←/→ (or F8) to cycle.

Every branch of the conversation is here (core/branches.py), a rerun's earlier answer kept
inside a thread that a later edit replaced as well."""

from __future__ import annotations

from rich.console import Group
from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from llmtui.core.branches import Branch, newest
from llmtui.present.turns import metrics_for
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
        Binding("right", "cycle(1)", "Later", id="branches.later"),
        # The key that opened it cycles too, as [keymap] set it (a modal hides the main
        # screen's bindings, so this one carries the same id and the keymap rebinds both).
        Binding("f8", "cycle(1)", "Later", id="chat.branches", show=False),
    ]

    def __init__(self, branches: list[Branch], masked: bool = False) -> None:
        super().__init__()
        self.branches = branches
        self.masked = masked
        self.index = newest(branches)  # the most recently replaced branch first

    @property
    def branch(self) -> Branch:
        return self.branches[self.index]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="branch-title")
            yield Static(f"←/→ or {self._branches_key()}: other kept branches · Esc: close", id="branch-keys")
            with VerticalScroll():
                yield Static(id="branch-body")

    def _branches_key(self) -> str:
        from llmtui.present.remedies import binding_key

        return binding_key(self.app, "chat.branches") or "F8"

    def on_mount(self) -> None:
        self._show()

    def action_cycle(self, step: int) -> None:
        self.index = (self.index + step) % len(self.branches)
        self._show()

    def _show(self) -> None:
        branch = self.branch
        self.query_one("#branch-title", Static).update(Text(
            f"Kept branch {branch.label} ({self.index + 1} of {len(self.branches)}) — "
            f"{branch.where}, now {branch.how}"))
        parts: list[Text | Markdown] = []
        for number, turn in enumerate(branch.turns, start=branch.number):
            parts.append(Text.assemble((f"{number} · you", "bold"), "  ", sanitize(turn.prompt)))
            inside = [b.label for b in self.branches if b.within == branch.label and b.number == number]
            if inside:  # a branch of this branch: F8 reaches it too
                parts.append(Text(f"(its earlier answer is kept too: branch {', '.join(inside)})",
                                  style="dim italic"))
            for lane in turn.lanes:
                parts.append(render_metrics(metrics_for(lane, lane.ref, self.masked)))
                parts.append(Markdown(sanitize(lane.text) or "*(no answer)*"))
            parts.append(Text(""))
        self.query_one("#branch-body", Static).update(Group(*parts))
