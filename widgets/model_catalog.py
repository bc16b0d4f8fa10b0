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
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}".removesuffix(".0") + "M"
    return f"{n // 1000}k" if n >= 1000 else str(n)


def price_text(entry: CatalogRow) -> str:
    """`$in/$out` per 1M tokens, `free` when both are 0, '' when neither is known."""
    if entry.price_in is None and entry.price_out is None:
        return ""
    if entry.price_in == entry.price_out == "$0":
        return "free"
    return f"{entry.price_in or '?'}/{entry.price_out or '?'}"


PRICE_WIDTH = 15
"""The price column at its widest (`$150.00/$600.00`); a longer price pushes into the name."""
CONTEXT_WIDTH = 4
"""`131k`, `1M`: the context column's width."""
MIN_NAME = 16
"""The room a name keeps: the context column goes first, then the price column narrows."""


def entry_prompt(entry: CatalogRow, width: int = 0, price_width: int = 0) -> Text:
    """One row: the model (and its badges), then its price and context in aligned columns at
    the right edge; the name is cut with … to fit `width` (0: not laid out yet)."""
    name = Text(no_wrap=True, overflow="ellipsis")
    name.append(entry.model, style="" if entry.has_key else "dim")
    price, context = price_text(entry), _context(entry.context)
    if width <= 0:
        if entry.badges:
            name.append(f"  {entry.badges}", style="italic")
        name.append("  " + " · ".join(x for x in (price, context) if x), style="dim")
        return name
    # The context column only where the name keeps MIN_NAME beside the widest price; the
    # price column as wide as the widest price, or what the name leaves (a longer one shows
    # whole, taking from its own name).
    ctx = CONTEXT_WIDTH if width - (price_width + 1) - (CONTEXT_WIDTH + 1) >= MIN_NAME else 0
    price_column = min(price_width, max(0, width - (ctx + 1 if ctx else 0) - MIN_NAME - 1))
    tail = " " + context.rjust(ctx) if ctx and (price or context) else ""
    if price:
        tail = " " + price.rjust(price_column) + tail
    if len(tail) > width - MIN_NAME // 2:
        tail = ""  # far too narrow for figures: the name alone
    room = width - len(tail)
    badges = entry.badges.split()
    while badges and len(name) + len("  " + " ".join(badges)) > room:
        badges.pop()  # whole badges or none, never a badge cut to "…"
    if badges:
        name.append("  " + " ".join(badges), style="italic")
    name.truncate(room, overflow="ellipsis", pad=True)
    name.append(tail, style="dim")
    return name


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
        text-wrap: nowrap;
        text-overflow: ellipsis;
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
        option_list = self.query_one(OptionList)
        # Rows are laid out to the list's width, less each option's padding.
        padding = option_list.get_component_styles("option-list--option").padding.width
        width = max(0, option_list.scrollable_content_region.width - padding)
        price_width = min(PRICE_WIDTH, max((len(price_text(e)) for e in self._entries), default=0))
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
            options.append(Option(entry_prompt(entry, width, price_width), id=entry.ref))
        highlighted = option_list.highlighted_option
        option_list.set_options(options)
        if highlighted is not None and highlighted.id is not None:
            try:
                option_list.highlighted = option_list.get_option_index(highlighted.id)
            except Exception:  # noqa: BLE001 - the old highlight was filtered out
                pass

    def on_resize(self) -> None:
        self._refill()  # rows are laid out to the width: a new width, new rows

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
