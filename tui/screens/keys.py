"""The keys screen: where each provider's key comes from, masked; set, check, delete.

What it shows and does comes from `llmtui.core.keys` (shared with `llmtui keys`); keyring
calls block (D-Bus, Keychain), so every one runs in a thread. The key itself is only ever
held in locals and the password Input; the table, notifications and the status line show
`mask(key)` at most.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from llmtui.core.keys import KeyRow, key_rows
from llmtui.screens.worker_failures import ShowsWorkerFailures

if TYPE_CHECKING:
    from llmtui.core.keys import KeyCheck
    from llmtui.core.runtime import Runtime
    from llmtui.core.secrets import ApiKey


def _check_cell(result: KeyCheck) -> str:
    mark = "✓" if result.ok else "✗"
    return f"{mark} {result.status}: {result.detail}"


class KeysScreen(ShowsWorkerFailures, Screen[None]):
    """API keys per provider: source, masked key, last check; set / check / delete."""

    CSS_PATH = "keys.tcss"
    BINDINGS = [
        Binding("s", "set_key", "Set key", id="keys.set", tooltip="Store a key in the OS keyring"),
        Binding("c", "check_key", "Check", id="keys.check", tooltip="Try the key with a cheap call"),
        Binding("d,delete", "delete_key", "Delete", id="keys.delete",
                tooltip="Remove the key from the OS keyring"),
        Binding("escape", "close", "Close", id="keys.close", tooltip="Back"),
    ]

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.runtime = runtime
        self.rows: dict[str, KeyRow] = {row.provider: row for row in key_rows(runtime.config)}
        self.checks: dict[str, str] = {}
        self.keyring_problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("API keys", id="keys-title")
        yield Static(
            "Keys live in the OS keyring; a provider's env var, when set, wins. "
            "s set · c check · d delete · esc close",
            id="keys-help",
        )
        yield DataTable(id="keys-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="keys-note")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Provider", key="provider")
        table.add_column("Source", key="source")
        table.add_column("Key", key="key")
        table.add_column("Last check", key="check")
        for row in self.rows.values():
            table.add_row(row.provider, "…", "", "", key=row.provider)
        table.focus()
        self.load_keys()

    # ------------------------------------------------------------ table

    @property
    def selected(self) -> KeyRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.rows.get(str(row_key.value))

    def _show(self, rows: list[KeyRow], problem: str | None) -> None:
        table = self.query_one(DataTable)
        for row in rows:
            self.rows[row.provider] = row
            table.update_cell(row.provider, "source", Text(row.source), update_width=True)
            shared = f" (the same key as {row.shares})" if row.shares else ""
            table.update_cell(row.provider, "key", Text((row.masked or "—") + shared), update_width=True)
            table.update_cell(row.provider, "check", Text(self.checks.get(row.provider, "")),
                              update_width=True)
        self.keyring_problem = problem
        note = self.query_one("#keys-note", Static)
        note.update(f"Keyring unavailable: {problem}" if problem else "")
        note.set_class(bool(problem), "-error")

    @work(group="keys", exclusive=True, exit_on_error=False)
    async def load_keys(self) -> None:
        from llmtui.core.keys import scan

        result = await asyncio.to_thread(scan, self.runtime.config)
        self._show(list(result.rows), result.keyring_problem)

    def _set_check(self, provider: str, text: str) -> None:
        self.checks[provider] = text
        self.query_one(DataTable).update_cell(provider, "check", Text(text), update_width=True)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row sets its key."""
        event.stop()
        self.action_set_key()

    # ------------------------------------------------------------ actions

    def action_close(self) -> None:
        self.dismiss(None)

    def action_set_key(self) -> None:
        row = self.selected
        if row is None:
            return
        if self.keyring_problem:  # say so before a key is pasted that could not be saved
            from llmtui.core.keys import keyring_hint

            self.notify(f"Cannot store keys here: {keyring_hint(self.keyring_problem, row)}",
                        severity="error", timeout=10, markup=False)
            return
        from llmtui.screens.modals import TextInputModal

        env = row.env_names
        hint = "Stored in the OS keyring, never in a file."
        if env:
            hint += f" {env}, when set, overrides it."
        modal = TextInputModal(f"API key for {row.label} ({row.provider})", password=True,
                               placeholder="paste the key; enter saves, esc cancels", hint=hint)

        def saved(value: str | None) -> None:
            if value is not None:
                from llmtui.core.secrets import ApiKey

                # Wrapped at once: a traceback that shows locals shows ApiKey(***).
                self.save_key(row, ApiKey(value))

        self.app.push_screen(modal, saved)

    @work(group="keys-write", exit_on_error=False)
    async def save_key(self, row: KeyRow, key: ApiKey) -> None:
        from llmtui.core.keys import store
        from llmtui.core.secrets import KeyringUnavailable

        try:
            await asyncio.to_thread(lambda: store(row, key.reveal()))
        except ValueError as exc:  # empty, whitespace: the message never quotes the key
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        except KeyringUnavailable as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=10, markup=False)
            self._show(list(self.rows.values()), str(exc))
            return
        self.checks.pop(row.provider, None)
        message = f"Stored the key for {row.provider} ({key.masked()})."
        if row.env_var:
            message += f" {row.env_var} is set and overrides it."
        self.notify(message)
        self.load_keys()

    def action_check_key(self) -> None:
        row = self.selected
        if row is not None:
            self._set_check(row.provider, "checking…")
            self.check_key(row)

    @work(group="key-check", exit_on_error=False)
    async def check_key(self, row: KeyRow) -> None:
        from llmtui.core.keys import check
        from llmtui.providers.base import KeyStatus

        result = await check(self.runtime, row.provider)
        self._set_check(row.provider, _check_cell(result))
        fix = f"; {self._key_of('keys.set')} sets one" if result.status is KeyStatus.NO_KEY else ""
        self.notify(f"{row.provider}: {result.status}: {result.detail}{fix}", markup=False,
                    severity="information" if result.ok else "warning")

    def _key_of(self, binding_id: str) -> str:
        """The key bound to `binding_id` now (after `[keymap]`), as the footer shows it."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return binding_id

    def action_delete_key(self) -> None:
        row = self.selected
        if row is None:
            return
        if row.stored_masked is None:
            self.notify(f"No stored key for {row.provider}.")
            return
        from llmtui.screens.modals import ConfirmModal

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.delete_key(row)

        self.app.push_screen(
            ConfirmModal(f"Delete the stored key for {row.provider} ({row.stored_masked})?"), confirmed
        )

    @work(group="keys-write", exit_on_error=False)
    async def delete_key(self, row: KeyRow) -> None:
        from llmtui.core.keys import delete
        from llmtui.core.secrets import KeyringUnavailable

        try:
            removed = await asyncio.to_thread(delete, row)
        except KeyringUnavailable as exc:
            self.notify(f"Not deleted: {exc}", severity="error", timeout=10, markup=False)
            return
        self.checks.pop(row.provider, None)
        self.notify(f"Deleted the stored key for {row.provider}." if removed
                    else f"No stored key for {row.provider}.")
        if row.env_var:
            self.notify(f"{row.env_var} is still set and still provides a key.")
        self.load_keys()
