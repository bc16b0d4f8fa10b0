"""Search the prompts you sent, in every conversation (alt+r in the composer, like a shell's ctrl+r).

A list filtered as you type, newest first; ↑/↓ (or alt+r again) move, Enter dismisses with the
whole prompt for the composer (not sent), Esc with None: the composer keeps what was being typed.
Every search runs in a worker thread through `Store.search_prompts` (FTS5, a bounded page).
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from llmtui.core.store import PromptHit
from llmtui.screens.worker_failures import ShowsWorkerFailures

if TYPE_CHECKING:
    from llmtui.core.store import Store

DEBOUNCE_S = 0.15
"""One search per pause in typing, not per key."""


def hit_prompt(hit: PromptHit, now: float, query: str = "") -> Text:
    """One row: when it was sent, the prompt on one line (the searched words bold), and the
    conversation's title when it is not just the prompt's start (dim)."""
    prompt = Text(" ".join(hit.preview.split()))
    for word in query.split():  # as the search matches: words starting so, any case
        prompt.highlight_regex(re.compile(rf"\b{re.escape(word)}\w*", re.IGNORECASE), "bold underline")
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{_age(now - hit.created_at):>8}  ", style="dim")
    text.append_text(prompt)
    title = " ".join(hit.conversation.split())
    if title and not prompt.plain.startswith(title.rstrip("…")):
        text.append(f"  · {title}", style="dim italic")
    return text


def _age(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "just now"


class PromptSearchScreen(ShowsWorkerFailures, ModalScreen[str | None]):
    DEFAULT_CSS = """
    PromptSearchScreen { align: center middle; background: $background 60%; }
    PromptSearchScreen > Vertical {
        width: 100; max-width: 95%; height: 70%; border: round $primary; background: $surface;
        padding: 0 1;
    }
    PromptSearchScreen .title { text-style: bold; color: $primary; }
    PromptSearchScreen Input { border: round $panel; }
    PromptSearchScreen Input:focus { border: round $primary; }
    PromptSearchScreen OptionList {
        height: 1fr; border: none; background: transparent; text-wrap: nowrap; text-overflow: ellipsis;
    }
    PromptSearchScreen #prompt-search-status { color: $text-muted; height: 1; }
    """

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="prompt_search.close",
                tooltip="Prompt search: close, keeping what you were typing"),
        # Priority: a terminal's alt+r carries an "r", which the search box would type.
        Binding("down,alt+r", "move(1)", "Older", id="prompt_search.older", show=False, priority=True,
                tooltip="Prompt search: the next older match"),
        Binding("up", "move(-1)", "Newer", id="prompt_search.newer", show=False,
                tooltip="Prompt search: the next newer match"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.hits: list[PromptHit] = []
        self.searched: str | None = None
        """The words the list shows hits for (None until the first search finishes)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Search your prompts — Enter puts one in the box, Esc goes back",
                         classes="title")
            yield Input(placeholder="type words from a prompt you sent…", id="prompt-search-input")
            yield OptionList(id="prompt-search-list")
            yield Static("", id="prompt-search-status")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.search("")

    @on(Input.Changed, "#prompt-search-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    @work(group="prompt-search", exclusive=True, exit_on_error=False)
    async def search(self, query: str) -> None:
        if query:
            await asyncio.sleep(DEBOUNCE_S)  # exclusive: the next key cancels this one
        hits = await asyncio.to_thread(self.store.search_prompts, query)
        self.hits = hits
        now = time.time()
        options = self.query_one(OptionList)
        options.set_options([Option(hit_prompt(hit, now, query), id=str(hit.message_id)) for hit in hits])
        if hits:
            options.highlighted = 0
        count = f"{len(hits)} prompt{'' if len(hits) == 1 else 's'}"
        if hits:
            status = f"{count} matching, newest first" if query else f"{count}, the newest first"
        else:
            status = (f"no prompt matches {query!r}" if query
                      else "No prompts yet: the ones you send are kept here.")
        self.query_one("#prompt-search-status", Static).update(Text(status))
        self.searched = query

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#prompt-search-input")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id:
            self.pick(int(option.id))

    @on(OptionList.OptionSelected, "#prompt-search-list")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.pick(int(event.option.id))

    @work(group="prompt-pick", exclusive=True, exit_on_error=False)
    async def pick(self, message_id: int) -> None:
        text = await asyncio.to_thread(self.store.prompt_text, message_id)
        if text is None:
            self.notify("That prompt was deleted meanwhile.", severity="warning")
            return
        self.dismiss(text)
