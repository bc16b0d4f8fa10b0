"""The model catalog: providers -> models, filtered as you type, with prices and context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One row of the catalog (prices are USD per 1M tokens, already formatted)."""

    ref: str
    provider: str
    provider_label: str
    model: str
    price_in: str | None = None
    price_out: str | None = None
    context: int | None = None
    has_key: bool = True
    note: str = ""
    badges: str = ""
    """What the model takes or does where a source says: `img`, `think`, `tools`."""


def _context(n: int | None) -> str:
    if not n:
        return ""
    return f"{n // 1000}k" if n >= 1000 else str(n)


def entry_prompt(entry: CatalogRow) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(entry.model, style="" if entry.has_key else "dim")
    details = []
    if entry.price_in is not None or entry.price_out is not None:
        details.append(f"{entry.price_in or '?'}/{entry.price_out or '?'}")
    if entry.context:
        details.append(_context(entry.context))
    if details:
        text.append("  " + " · ".join(details), style="dim")
    if entry.badges:
        text.append(f"  {entry.badges}", style="italic")
    return text


class ModelCatalog(Vertical):
    """Filter box over a list of models grouped by provider."""

    DEFAULT_CSS = """
    ModelCatalog {
        height: 1fr;
    }
    ModelCatalog > Input {
        margin: 0;
        border: round $panel;
    }
    ModelCatalog > Input:focus {
        border: round $primary;
    }
    ModelCatalog > OptionList {
        height: 1fr;
        border: none;
        background: transparent;
        padding: 0;
    }
    ModelCatalog > .hint {
        color: $text-muted;
        height: auto;
    }
    """

    BINDINGS = [
        Binding("c", "compare", "Compare", id="catalog.compare",
                tooltip="Compare the current model with the highlighted one"),
    ]

    @dataclass
    class Chosen(Message):
        """A model was picked (Enter or click)."""

        ref: str

    @dataclass
    class CompareRequested(Message):
        """`c` on a model: open compare mode with it."""

        ref: str

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._entries: list[CatalogRow] = []
        self._filter = ""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter models…", id="model-filter")
        yield OptionList(id="model-list")

    @property
    def entries(self) -> list[CatalogRow]:
        return list(self._entries)

    def set_entries(self, entries: Sequence[CatalogRow]) -> None:
        self._entries = list(entries)
        self._refill()

    def _refill(self) -> None:
        words = self._filter.lower().split()
        options: list[Option] = []
        provider = None
        for entry in self._entries:
            haystack = f"{entry.ref} {entry.provider_label} {entry.note}".lower()
            if not all(w in haystack for w in words):
                continue
            if entry.provider != provider:
                provider = entry.provider
                head = Text(entry.provider_label or entry.provider, style="bold")
                if not entry.has_key:
                    head.append("  (no key)", style="italic dim")
                options.append(Option(head, disabled=True))
            options.append(Option(entry_prompt(entry), id=entry.ref))
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted_option
        option_list.set_options(options)
        if highlighted is not None and highlighted.id is not None:
            try:
                option_list.highlighted = option_list.get_option_index(highlighted.id)
            except Exception:  # noqa: BLE001 - the old highlight was filtered out
                pass

    @on(Input.Changed, "#model-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter = event.value
        self._refill()
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            for index, option in enumerate(option_list.options):
                if not option.disabled:
                    option_list.highlighted = index
                    break

    @on(Input.Submitted, "#model-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id:
            self.post_message(self.Chosen(option.id))

    @on(OptionList.OptionSelected, "#model-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))

    def focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_compare(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id:
            self.post_message(self.CompareRequested(option.id))
