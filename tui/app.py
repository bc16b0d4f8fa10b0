"""LlmApp: screens, bindings, themes, command palette. Wiring only.

Nothing imported here pulls in httpx, keyring or price data: the first screen
paints first, then the main screen's `boot` worker opens the store and picks the
model in a thread.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from llmtui import themes
from llmtui.core.config import Config
from llmtui.core.runtime import Runtime
from llmtui.screens.main import MainScreen
from llmtui.widgets.model_catalog import CatalogRow

# (title, help, action on the main screen ("screen.x") or the app)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("New chat", "Start a new conversation", "screen.new_chat"),
    ("Stop streaming", "Cancel the answer(s) being streamed (Esc)", "screen.cancel"),
    ("Compare with another model", "Open compare mode, or go back to one model", "screen.compare"),
    ("Blind compare with another model", "Names hidden until you vote", "app.blind_compare"),
    ("Rerun last prompt on another model", "Send the last prompt again, elsewhere", "screen.rerun"),
    ("Edit an earlier prompt", "Resend an edited prompt as a branch", "screen.edit_prompt"),
    ("Copy last answer", "To the clipboard (OSC 52)", "screen.copy_answer"),
    ("Copy last code block", "To the clipboard (OSC 52)", "screen.copy_code"),
    ("Vote: A is better", "Blind compare vote", "screen.vote('a')"),
    ("Vote: B is better", "Blind compare vote", "screen.vote('b')"),
    ("Vote: tie", "Blind compare vote", "screen.vote('tie')"),
    ("Filter models", "Focus the catalog filter", "screen.find_model"),
    ("Refresh model catalog", "Ask the providers for their model lists again", "app.refresh_catalog"),
    ("API keys", "Add, check or remove provider keys", "app.keys"),
    ("History", "Open or search earlier conversations", "app.history"),
    ("Leaderboard", "Blind-compare win rates", "app.leaderboard"),
    ("Export conversation", "Save this conversation as Markdown", "app.export"),
    ("Choose theme", "Change the colours (saved for next time)", "app.change_theme"),
    ("Show key bindings", "Every key and what it does", "app.show_help_panel"),
)


class LlmApp(App[int]):
    """The llmtui terminal app."""

    TITLE = "llmtui"
    CSS_PATH = [Path(themes.__file__).with_name("base.tcss")]
    # Narrow terminals drop the side panes (main.tcss), so the transcript keeps its room.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]

    BINDINGS = [
        Binding("ctrl+k", "keys", "Keys", id="app.keys", priority=True, tooltip="Manage API keys"),
        Binding("ctrl+o", "history", "History", id="app.history", tooltip="Earlier conversations"),
        Binding("ctrl+l", "leaderboard", "Leaderboard", id="app.leaderboard", show=False,
                tooltip="Blind-compare win rates"),
        Binding("ctrl+s", "export", "Export", id="app.export", show=False, tooltip="Export as Markdown"),
        Binding("ctrl+t", "change_theme", "Theme", id="app.theme", show=False, tooltip="Change theme"),
        Binding("f1", "show_help_panel", "Help", id="app.help", tooltip="Show all key bindings"),
    ]

    def __init__(
        self,
        config: Config,
        *,
        model: str | None = None,
        compare: Sequence[str] | None = None,
        prompt: str | None = None,
        blind: bool = False,
        deterministic: bool = False,
        resume: int | str | None = None,
        preset: str | None = None,
    ) -> None:
        """Args:
            config: The loaded configuration.
            model: Chat with this model (else the config default / first keyed / demo).
            compare: Two model refs to open compare mode on.
            prompt: Send this prompt once started.
            blind: Hide model names in compare mode until a vote.
            deterministic: Mask timing figures (for snapshot tests).
            resume: Reopen this stored conversation id, or "last" for the newest.
            preset: Start with this `[presets.NAME]` (system prompt, model, sampling).
        """
        super().__init__()
        self.config = config
        self.runtime = Runtime(config)
        self.start_model = model
        self.start_compare = tuple(compare) if compare else None
        self.start_prompt = prompt
        self.start_blind = blind
        self.deterministic = deterministic
        self.start_resume = resume
        self.start_preset = preset
        self.catalog_entries: list[CatalogRow] = []
        themes.install(self, config.theme)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._save_theme)
        if self.config.keymap:
            self.set_keymap(dict(self.config.keymap))
        self.push_screen(MainScreen())

    async def on_unmount(self) -> None:
        await self.runtime.aclose()

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def _save_theme(self, theme: Any) -> None:
        from llmtui.core.config import save_settings

        name = getattr(theme, "name", str(theme))
        self.run_worker(asyncio.to_thread(save_settings, {"theme": name}), group="settings",
                        exit_on_error=False)

    # ------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, action in COMMANDS:
            yield SystemCommand(title, help_text, self._runner(action))
        for entry in self.catalog_entries:
            yield SystemCommand(f"Chat with {entry.ref}", "Switch the model", self._chat_with(entry.ref),
                                discover=False)
            yield SystemCommand(f"Compare with {entry.ref}", "Open compare mode",
                                self._compare_with(entry.ref), discover=False)
        for name, preset in self.config.presets.items():
            what = " · ".join(x for x in (preset.model, (preset.system or "")[:60]) if x)
            yield SystemCommand(f"Preset: {name}", what or "a preset from config.toml",
                                self._use_preset(name))

    def _use_preset(self, name: str) -> Callable[[], Any]:
        return lambda: self.main.apply_preset(name)

    def _runner(self, action: str) -> Callable[[], Any]:
        async def run() -> None:
            target, _, name = action.partition(".")
            if target == "screen":
                await self.main.run_action(name)
            else:
                await self.run_action(name)

        return run

    def _chat_with(self, ref: str) -> Callable[[], None]:
        return lambda: self.main.set_models([ref])

    def _compare_with(self, ref: str) -> Callable[[], None]:
        return lambda: self.main.start_compare(ref)

    # ------------------------------------------------------------ actions

    def copy_to_clipboard(self, text: str) -> None:
        """Every copy (ctrl+y, code links, a mouse selection, the prompt box) goes by OSC 52,
        wrapped for tmux/screen, and a local clipboard program, and says honestly how it went."""
        from llmtui.clipboard import copy

        copy(self, text)

    def pick_model(self, title: str, then: Callable[[str | None], Any]) -> None:
        from llmtui.screens.model_picker_modal import ModelPickerScreen

        self.push_screen(ModelPickerScreen(title, self.catalog_entries), then)

    def action_blind_compare(self) -> None:
        self.pick_model("Blind compare with…", lambda ref: self.main.start_compare(ref, blind=True))

    def action_refresh_catalog(self) -> None:
        self.main.load_catalog(refresh=True)

    def _screen_class(self, module: str, name: str) -> Any:
        try:
            return getattr(importlib.import_module(f"llmtui.screens.{module}"), name)
        except (ImportError, AttributeError):
            self.notify(f"{name.removesuffix('Screen')} is not available yet.", severity="warning")
            return None

    def action_keys(self) -> None:
        cls = self._screen_class("keys", "KeysScreen")
        if cls is not None:
            self.push_screen(cls(self.runtime), self._keys_closed)

    def _keys_closed(self, _result: object = None) -> None:
        self.main.load_catalog()  # a key added or removed changes what the catalog can list

    def action_history(self) -> None:
        cls = self._screen_class("history", "HistoryScreen")
        if cls is not None:
            self.push_screen(cls(self.runtime.store), self._reopen)

    async def _reopen(self, conversation_id: int | None) -> None:
        if conversation_id is not None:
            await self.main.open_conversation(conversation_id)

    def action_leaderboard(self) -> None:
        cls = self._screen_class("leaderboard", "LeaderboardScreen")
        if cls is not None:
            self.push_screen(cls(self.runtime.store))

    async def action_export(self) -> None:
        conversation_id = self.main.conversation_id
        if conversation_id is None:
            self.notify("Nothing to export yet: send a prompt first.", severity="warning")
            return
        from llmtui.core.export import export_conversation

        try:
            path = await asyncio.to_thread(export_conversation, self.runtime.store, conversation_id, None)
        except OSError as exc:
            self.notify(f"Export failed: {exc}", severity="error", markup=False)
            return
        self.notify(f"Exported to {path}", markup=False)
