"""The keys screen: where each provider's key comes from, masked; set, check, delete.

Keyring calls block (D-Bus, Keychain), so every one runs in a thread. The key itself
is only ever held in locals and the password Input; the table, notifications and the
status line show `mask(key)` at most.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime
    from llmtui.core.secrets import ApiKey

NO_KEY_KINDS = ("demo", "local")


@dataclass(frozen=True, slots=True)
class KeyRow:
    """What the table shows for one provider (never the key, only its masked form)."""

    provider: str
    label: str
    key_id: str
    env_vars: tuple[str, ...]
    env_var: str | None = None  # the variable that holds a key right now
    env_masked: str = ""
    stored_masked: str | None = None

    @property
    def source(self) -> str:
        if self.env_var is not None:
            return f"env {self.env_var}" + (" (overrides keyring)" if self.stored_masked else "")
        return "keyring" if self.stored_masked else "none"

    @property
    def masked(self) -> str:
        if self.env_var is not None:
            return self.env_masked
        return self.stored_masked or ""


def key_providers(runtime: Runtime) -> list[KeyRow]:
    """Providers that take a key, from config alone (no keyring, no env lookups)."""
    rows = []
    for provider in runtime.config.provider_ids():
        spec = runtime.spec(provider)
        env_vars = runtime.config.env_vars(provider)
        if spec.kind in NO_KEY_KINDS or (not spec.key_required and not env_vars):
            continue
        rows.append(KeyRow(provider, spec.label or provider, runtime.key_id(provider), env_vars))
    return rows


def scan_keys(runtime: Runtime) -> tuple[list[KeyRow], str | None]:
    """Each provider with its env and keyring key, masked; plus a keyring problem, if any.

    Blocking (keyring): run in a thread.
    """
    from dataclasses import replace

    from llmtui.core.secrets import KeyringUnavailable, check_backend, env_key, keyring_key

    problem: str | None = None
    try:
        check_backend()
    except KeyringUnavailable as exc:
        problem = str(exc)
    rows = []
    for row in key_providers(runtime):
        found = env_key(row.env_vars)
        stored = None
        if problem is None:
            try:
                stored = keyring_key(row.key_id)
            except KeyringUnavailable as exc:
                problem = str(exc)
        rows.append(replace(
            row,
            env_var=found.where if found else None,
            env_masked=found.key.masked() if found else "",
            stored_masked=stored.masked() if stored else None,
        ))
    return rows, problem


def _scrub(text: str, key: str | None) -> str:
    """A server may echo the key in an error; never let it through."""
    from llmtui.core.secrets import redact
    from llmtui.sanitize import sanitize

    return redact(sanitize(" ".join(text.split())), key)


class KeysScreen(Screen[None]):
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
        self.rows: dict[str, KeyRow] = {row.provider: row for row in key_providers(runtime)}
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
            table.update_cell(row.provider, "key", Text(row.masked or "—"), update_width=True)
            table.update_cell(row.provider, "check", Text(self.checks.get(row.provider, "")),
                              update_width=True)
        self.keyring_problem = problem
        note = self.query_one("#keys-note", Static)
        note.update(f"Keyring unavailable: {problem}" if problem else "")
        note.set_class(bool(problem), "-error")

    @work(group="keys", exclusive=True, exit_on_error=False)
    async def load_keys(self) -> None:
        rows, problem = await asyncio.to_thread(scan_keys, self.runtime)
        self._show(rows, problem)

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
        from llmtui.screens.modals import TextInputModal

        env = " or ".join(row.env_vars)
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
        from llmtui.core.secrets import KeyringUnavailable, set_key

        try:
            await asyncio.to_thread(lambda: set_key(row.key_id, key.reveal()))
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
        from llmtui.providers.base import KeyStatus

        key: str | None = None
        try:
            resolved = await asyncio.to_thread(self.runtime.resolve_key, row.provider)
            spec = self.runtime.spec(row.provider)
            if resolved is None and spec.key_required:
                status, detail = KeyStatus.NO_KEY, "set one with s"
            elif spec.kind == "openai" and not spec.base_url:
                status, detail = KeyStatus.UNREACHABLE, "no base_url configured"
            else:
                key = resolved.key.reveal() if resolved else None
                status, detail = await self.runtime.provider(row.provider, key).check_key()
        except ImportError:
            status, detail = KeyStatus.UNREACHABLE, "this provider kind is not available"
        except Exception as exc:  # noqa: BLE001 - a failed check is a result, not a crash
            status, detail = KeyStatus.UNREACHABLE, type(exc).__name__
        detail = _scrub(detail, key)
        mark = {KeyStatus.OK: "✓"}.get(status, "✗")
        self._set_check(row.provider, f"{mark} {status}: {detail}"[:60])
        self.notify(f"{row.provider}: {status}: {detail}", markup=False,
                    severity="information" if status is KeyStatus.OK else "warning")

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
        from llmtui.core.secrets import KeyringUnavailable, delete_key

        try:
            removed = await asyncio.to_thread(delete_key, row.key_id)
        except KeyringUnavailable as exc:
            self.notify(f"Not deleted: {exc}", severity="error", timeout=10, markup=False)
            return
        self.checks.pop(row.provider, None)
        self.notify(f"Deleted the stored key for {row.provider}." if removed
                    else f"No stored key for {row.provider}.")
        if row.env_var:
            self.notify(f"{row.env_var} is still set and still provides a key.")
        self.load_keys()
