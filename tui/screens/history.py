"""The history screen: past conversations, newest first, with search as you type.

Enter dismisses with the conversation id (the app reopens it); r renames, d deletes.
One DataTable holds the rows, so thousands of conversations cost one widget, and the
store is read in a thread so a large file never stalls typing.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

if TYPE_CHECKING:
    from llmtui.core.store import Conversation, Store

PAGE = 2000  # rows shown at once; search narrows the rest
SEARCH_DELAY_S = 0.2


def message_counts(store: Store, ids: list[int]) -> dict[int, int]:
    """Messages per conversation in one query (not one per row)."""
    if not ids:
        return {}
    counts: dict[int, int] = {}
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        for cid, n in store.db.execute(
            f"SELECT conversation_id, count(*) FROM messages WHERE conversation_id IN ({marks}) "
            "GROUP BY conversation_id", chunk,
        ):
            counts[int(cid)] = int(n)
    return counts


def load_rows(store: Store, query: str) -> list[tuple[Conversation, int]]:
    """Conversations (all, or those matching `query`) with their message counts. Blocking."""
    query = query.strip()
    convs = store.search(query, limit=PAGE) if query else store.conversations(limit=PAGE)
    counts = message_counts(store, [c.id for c in convs])
    return [(c, counts.get(c.id, 0)) for c in convs]


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _title(conv: Conversation) -> str:
    from llmtui.sanitize import sanitize

    title = sanitize(" ".join(conv.title.split())) or "(untitled)"
    return title if len(title) <= 60 else title[:59] + "…"


def _models(conv: Conversation) -> str:
    from llmtui.sanitize import sanitize

    text = sanitize(" vs ".join(conv.models) if conv.mode == "compare" else ", ".join(conv.models))
    return text if len(text) <= 50 else text[:49] + "…"


class HistoryScreen(Screen[int | None]):
    """Browse, search, reopen, rename and delete stored conversations."""

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="history.close", tooltip="Back without opening"),
        Binding("r,f2", "rename", "Rename", id="history.rename", tooltip="Rename the conversation"),
        Binding("d,delete", "delete", "Delete", id="history.delete",
                tooltip="Delete the conversation"),
        Binding("slash", "search", "Search", id="history.search", tooltip="Search message text"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.titles: dict[int, str] = {}
        self._search_timer: Timer | None = None
        self._query = ""  # the search the table shows (or is about to)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search titles and messages…", id="history-search")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Title", key="title")
        table.add_column("Mode", key="mode")
        table.add_column("Models", key="models")
        table.add_column("Msgs", key="count")
        table.add_column("Updated", key="date")
        table.focus()
        self.load("")

    # ------------------------------------------------------------ loading

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#history-table", DataTable)

    @work(group="history", exclusive=True, exit_on_error=False)
    async def load(self, query: str) -> None:
        rows = await asyncio.to_thread(load_rows, self.store, query)
        table = self.table
        table.clear()
        self.titles = {c.id: c.title for c, _ in rows}
        for conv, n in rows:
            # Text cells: a plain str cell is parsed as Rich markup, and a title like
            # "what does [/] do" would crash the table.
            table.add_row(Text(_title(conv)), conv.mode, Text(_models(conv)), str(n),
                          _when(conv.updated_at), key=str(conv.id))
        status = self.query_one("#history-status", Static)
        if not rows:
            status.update("No matches." if query.strip() else
                          "No conversations yet: they appear here as you chat.")
        else:
            more = " (showing the newest)" if len(rows) >= PAGE else ""
            status.update(f"{len(rows)} conversation{'s' * (len(rows) != 1)}{more} · "
                          "enter open · r rename · d delete · / search · esc close")

    @on(Input.Changed, "#history-search")
    def _typed(self, event: Input.Changed) -> None:
        """Search as you type, a moment after the last key (one query per pause, not per key)."""
        value = event.value
        if value.strip() == self._query:
            return
        self._query = value.strip()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY_S, lambda: self.load(value))

    @on(Input.Submitted, "#history-search")
    def _search_submitted(self) -> None:
        self.table.focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one(Input):
            event.stop()
            self.table.focus()

    # ------------------------------------------------------------ actions

    @property
    def selected_id(self) -> int | None:
        table = self.table
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(str(row_key.value))

    @on(DataTable.RowSelected, "#history-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(int(str(event.row_key.value)))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_search(self) -> None:
        self.query_one(Input).focus()

    def action_rename(self) -> None:
        conversation_id = self.selected_id
        if conversation_id is None:
            return
        from llmtui.screens.modals import TextInputModal

        def renamed(title: str | None) -> None:
            if title is not None and title.strip():
                self.rename(conversation_id, " ".join(title.split()))

        self.app.push_screen(
            TextInputModal("Rename conversation", value=self.titles.get(conversation_id, ""),
                           hint="enter saves · esc cancels"),
            renamed,
        )

    @work(group="history-write", exit_on_error=False)
    async def rename(self, conversation_id: int, title: str) -> None:
        await asyncio.to_thread(self.store.rename, conversation_id, title)
        self.titles[conversation_id] = title
        conv = await asyncio.to_thread(self.store.conversation, conversation_id)
        if conv is not None:
            self.table.update_cell(str(conversation_id), "title", Text(_title(conv)), update_width=True)

    def action_delete(self) -> None:
        conversation_id = self.selected_id
        if conversation_id is None:
            return
        from llmtui.sanitize import sanitize
        from llmtui.screens.modals import ConfirmModal

        title = sanitize(self.titles.get(conversation_id, "")) or "(untitled)"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.delete(conversation_id)

        self.app.push_screen(
            ConfirmModal(f"Delete “{title[:60]}” and all its messages? This cannot be undone."),
            confirmed,
        )

    @work(group="history-write", exit_on_error=False)
    async def delete(self, conversation_id: int) -> None:
        await asyncio.to_thread(self.store.delete_conversation, conversation_id)
        self.titles.pop(conversation_id, None)
        self.table.remove_row(str(conversation_id))
        self.notify("Conversation deleted.")
