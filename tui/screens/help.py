"""One page of keys: the app's own first, then this screen's, then the prompt's editing keys.

The help key (F1, or what [keymap] makes it), ? and Esc close it again (Textual's side panel could
only be closed from the palette).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from llmtui.screens.worker_failures import ShowsWorkerFailures

HelpRow = tuple[str, str, str]
"""(section, key as shown, what it does)"""


class HelpScreen(ShowsWorkerFailures, ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background 60%; }
    HelpScreen > Vertical {
        width: 80; max-width: 95%; height: 85%; border: round $primary; background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; color: $primary; }
    """
    BINDINGS = [
        Binding("escape,question_mark", "dismiss(None)", "Close", id="help.close"),
        # The app's own help key closes it too, as [keymap] set it: a modal screen hides the
        # app's bindings, so this one carries the same id and the keymap rebinds both.
        Binding("f1", "dismiss(None)", "Close", id="app.help", show=False),
    ]

    def __init__(self, rows: Sequence[HelpRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Keys — {self._help_key()}, ? or Esc closes this", id="help-title")
            with VerticalScroll():
                yield Static(self._table())

    def _help_key(self) -> str:
        from llmtui.present.remedies import binding_key

        return binding_key(self.app, "app.help") or "F1"

    def _table(self) -> Table:
        table = Table(show_header=False, box=None, padding=(0, 1))
        table.add_column(justify="right", style="bold")
        table.add_column()
        section = None
        for where, key, text in self.rows:
            if where != section:
                section = where
                table.add_row("", Text(where, style="bold underline"))
            table.add_row(Text(key), Text(text))
        return table
