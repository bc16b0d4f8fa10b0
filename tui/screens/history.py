"""The history screen: past conversations, newest first, with search as you type.

Enter dismisses with the conversation id (the app reopens it); F2 renames, Delete deletes.
Every printable key is search text: rename and delete sit on keys nobody types, so a
search that starts with r or d can never rename or delete anything.
One DataTable holds the rows, so thousands of conversations cost one widget, and the
store is read in a thread so a large file never stalls typing. Mode, Msgs and Updated are as
wide as what they hold, Models takes up to a third of the rest and Title what is left, so at
80 columns every column shows (`column_widths`); a longer title or model list ends in "…".
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from llmtui.core.history import PAGE, TITLE_MAX, models_text, title_text, when
from llmtui.screens.worker_failures import ShowsWorkerFailures

if TYPE_CHECKING:
    from llmtui.core.history import HistoryRow
    from llmtui.core.store import Store

SEARCH_DELAY_S = 0.2
COLUMNS = (("Title", "title"), ("Mode", "mode"), ("Models", "models"), ("Msgs", "count"),
           ("Updated", "date"))
TITLE_MIN, MODELS_MIN = 16, 14
"""Narrower than this, a column would say nothing; a very narrow terminal scrolls sideways."""


def column_widths(room: int, rows: Sequence[Sequence[str]]) -> dict[str, int]:
    """Each column's width in cells (padding not included) for `room` cells of cell text:
    Mode, Msgs and Updated as wide as their widest cell, Models up to a third of what is left
    (at least MODELS_MIN; more when the titles leave it free), Title the rest (at least
    TITLE_MIN). A row: the cells' plain text (a title's first line counts)."""
    widest = [max([cell_len(name), *(cell_len(row[n].split("\n")[0]) for row in rows)])
              for n, (name, _) in enumerate(COLUMNS)]
    fixed = widest[1] + widest[3] + widest[4]
    left = room - fixed
    models = min(widest[2], max(MODELS_MIN, left // 3, left - widest[0]))
    title = max(TITLE_MIN, left - models)
    return dict(zip([key for _, key in COLUMNS], (title, widest[1], models, widest[3], widest[4]),
                    strict=True))


def _snippet(raw: str) -> Text:
    """`…words «match» words…` with the matched words highlighted."""
    from llmtui.core.history import MATCH_END, MATCH_START

    text = Text(style="dim")
    for n, piece in enumerate(raw.replace(MATCH_END, MATCH_START).split(MATCH_START)):
        text.append(piece, style="bold reverse" if n % 2 else "")
    return text


def _cells(row: HistoryRow) -> tuple[Text, ...]:
    """A row's cells. Text, never str: a str cell is parsed as Rich markup, and a title like
    "what does [/] do" would crash the table. One line each, cut with "…" at the column's width."""
    conv = row.conversation
    title = Text(title_text(conv, TITLE_MAX))
    if row.snippet:  # a search hit: the matching words in context, on a second line
        title.append("\n").append_text(_snippet(row.snippet))
    mode = "blind compare" if conv.blind else conv.mode
    models = models_text(conv, TITLE_MAX, hidden=row.hidden)
    cells = (title, Text(mode), Text(models), Text(str(row.messages)), Text(when(conv.updated_at)))
    for cell in cells:
        cell.no_wrap, cell.overflow = True, "ellipsis"
    return cells


class HistoryScreen(ShowsWorkerFailures, Screen[int | None]):
    """Browse, search, reopen, rename and delete stored conversations."""

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="history.close", tooltip="Back without opening"),
        Binding("f2", "rename", "Rename", id="history.rename", tooltip="Rename the conversation"),
        Binding("delete", "delete", "Delete", id="history.delete",
                tooltip="Delete the conversation"),
        Binding("slash", "search", "Search", id="history.search", tooltip="Search message text"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.titles: dict[int, str] = {}
        self._search_timer: Timer | None = None
        self._query = ""  # the search the table shows (or is about to)
        self._rows: list[HistoryRow] = []  # what the table shows, to lay out again on a resize
        self._widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search titles and messages…", id="history-search")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-status")
        yield Footer()

    def on_mount(self) -> None:
        self.table.focus()
        self.load("")

    def on_resize(self) -> None:
        self.call_after_refresh(self._fill)  # once the table has its new size

    # ------------------------------------------------------------ loading

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#history-table", DataTable)

    @work(group="history", exclusive=True, exit_on_error=False)
    async def load(self, query: str) -> None:
        from llmtui.core.history import rows as history_rows

        rows = await asyncio.to_thread(history_rows, self.store, query)
        self._rows = rows
        self.titles = {row.id: row.conversation.title for row in rows}
        self._fill(force=True)
        self._show_count(len(rows), query)

    def _fill(self, *, force: bool = False) -> None:
        """Put `_rows` in the table, its columns as wide as `column_widths` says for its width
        now; a resize that changes no width changes nothing."""
        table = self.table
        cells = [_cells(row) for row in self._rows]
        padding = 2 * table.cell_padding * len(COLUMNS)
        room = table.size.width - table.styles.scrollbar_size_vertical - padding
        widths = column_widths(room, [[cell.plain for cell in row] for row in cells])
        if widths == self._widths and not force:
            return
        chosen = self.selected_id
        table.clear(columns=widths != self._widths)
        if widths != self._widths:
            self._widths = widths
            for label, key in COLUMNS:
                table.add_column(label, key=key, width=widths[key])
        for row, row_cells in zip(self._rows, cells, strict=True):
            table.add_row(*row_cells, key=str(row.id), height=2 if row.snippet else 1)
        if chosen is not None and str(chosen) in table.rows:
            table.move_cursor(row=table.get_row_index(str(chosen)))

    def _show_count(self, n: int, query: str) -> None:
        status = self.query_one("#history-status", Static)
        if not n:
            status.update("No matches." if query.strip() else
                          "No conversations yet: they appear here as you chat.")
        else:
            more = " (showing the newest)" if n >= PAGE else ""
            status.update(f"{n} conversation{'s' * (n != 1)}{more} · "
                          "type to search · enter open · F2 rename · Del delete · esc close")

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
        search = self.query_one(Input)
        if event.key == "down" and self.focused is search:
            event.stop()
            self.table.focus()
        elif (self.focused is self.table and event.is_printable and event.character
              and event.key not in self._bindings.key_to_bindings):
            # Type to search: any printable key the screen does not bind (only / does) starts
            # a search with that character.
            event.stop()
            search.value += event.character  # appended to a search already typed, not replacing it
            search.cursor_position = len(search.value)
            search.select_on_focus = False
            search.focus()

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
                self.rename(conversation_id, title)

        self.app.push_screen(
            TextInputModal("Rename conversation", value=self.titles.get(conversation_id, ""),
                           hint="enter saves · esc cancels"),
            renamed,
        )

    @work(group="history-write", exit_on_error=False)
    async def rename(self, conversation_id: int, title: str) -> None:
        from llmtui.core.history import clean_title, rename

        if not await asyncio.to_thread(rename, self.store, conversation_id, title):
            return
        self.titles[conversation_id] = clean_title(title)
        conv = await asyncio.to_thread(self.store.conversation, conversation_id)
        if conv is not None:
            self._rows = [replace(row, conversation=conv) if row.id == conversation_id else row
                          for row in self._rows]
            self._fill(force=True)

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
        from llmtui.core.history import delete

        await asyncio.to_thread(delete, self.store, conversation_id)
        self.titles.pop(conversation_id, None)
        self._rows = [row for row in self._rows if row.id != conversation_id]
        self.table.remove_row(str(conversation_id))
        self._show_count(self.table.row_count, self._query)
        self.notify("Conversation deleted.")
