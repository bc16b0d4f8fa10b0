"""A modal catalog: pick a model for rerun or compare; dismisses with its ref or None."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from llmtui.screens.worker_failures import ShowsWorkerFailures
from llmtui.widgets.model_catalog import CatalogRow, ModelCatalog


class ModelPickerScreen(ShowsWorkerFailures, ModalScreen[str | None]):
    DEFAULT_CSS = """
    ModelPickerScreen {
        align: center middle;
    }
    ModelPickerScreen > Vertical {
        width: 70;
        height: 80%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    ModelPickerScreen .title {
        text-style: bold;
        color: $primary;
    }
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="picker.close")]

    def __init__(self, title: str, entries: Sequence[CatalogRow]) -> None:
        super().__init__()
        self._title = title
        self._entries = entries

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title, classes="title")
            yield ModelCatalog()

    def on_mount(self) -> None:
        catalog = self.query_one(ModelCatalog)
        catalog.set_entries(self._entries)
        catalog.focus_filter()

    @on(ModelCatalog.Chosen)
    def _chosen(self, event: ModelCatalog.Chosen) -> None:
        event.stop()
        self.dismiss(event.ref)

    @on(ModelCatalog.CompareRequested)
    def _compare(self, event: ModelCatalog.CompareRequested) -> None:
        event.stop()
        self.dismiss(event.ref)
