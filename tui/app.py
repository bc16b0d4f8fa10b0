"""LlmApp: screens, bindings, themes, command palette. Wiring only.

Nothing imported here pulls in httpx, keyring or price data: the first screen
paints first, then the main screen's `boot` worker opens the store and picks the
model in a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from llmtui import themes
from llmtui.core.config import Config
from llmtui.core.runtime import Runtime
from llmtui.core.starter import StartOptions
from llmtui.screens.main import MainScreen
from llmtui.screens.worker_failures import ShowsWorkerFailures

if TYPE_CHECKING:
    from llmtui.widgets.model_catalog import CatalogRow

# (title, help, action on the main screen ("screen.x") or the app)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("New chat", "Start a new conversation", "screen.new_chat"),
    ("Stop streaming", "Cancel the answer(s) being streamed (Esc)", "screen.cancel"),
    ("Compare with another model", "Open compare mode, or go back to one model", "screen.compare"),
    ("Blind compare with another model", "Names hidden until you vote", "screen.blind_compare"),
    ("Rerun last prompt on another model", "Send the last prompt again, elsewhere", "screen.rerun"),
    ("Search your prompts", "Find a prompt you sent in any conversation; Enter puts it in the box "
     "(alt+r)", "screen.search_prompts"),
    ("Edit an earlier prompt", "Resend an edited prompt as a branch", "screen.edit_prompt"),
    ("Show kept branches", "The earlier answers an edit or rerun kept", "screen.branches"),
    ("Thinking: show / collapse / hide", "Cycle how models' thinking shows (F3; saved)",
     "screen.cycle_thinking"),
    ("Thinking effort / budget", "How hard the model (the focused lane; blind: both) thinks "
     "from the next send (alt+t)", "screen.reasoning"),
    ("Copy last answer", "To the clipboard (OSC 52)", "screen.copy_answer"),
    ("Copy last code block", "To the clipboard (OSC 52)", "screen.copy_code"),
    ("Vote: A is better", "Blind compare vote", "screen.vote('a')"),
    ("Vote: B is better", "Blind compare vote", "screen.vote('b')"),
    ("Vote: tie", "Blind compare vote", "screen.vote('tie')"),
    ("Vote: both bad", "Blind compare vote: neither answer is good", "screen.vote('both_bad')"),
    ("Next compare lane", "Focus the next model's pane (F10)", "screen.next_lane"),
    ("Word diff of two lanes", "The focused lane's last answer against the next one's (F4)",
     "screen.diff"),
    ("Remove the focused compare lane", "Drop that model from the compare", "screen.remove_lane"),
    ("Parameters: temperature, top_p, max_tokens, seed, stop",
     "For the focused lane or every lane, from the next prompt on (alt+p, F12)", "screen.parameters"),
    ("Repeat the last prompt N times", "Every model in play: the spread of TTFT, tok/s and cost",
     "screen.runs"),
    ("Filter models", "Focus the catalog filter", "screen.find_model"),
    ("Refresh model catalog", "Ask the providers for their model lists again", "app.refresh_catalog"),
    ("API keys", "Add, check or remove provider keys", "app.keys"),
    ("History", "Open or search earlier conversations", "app.history"),
    ("Leaderboard", "Blind-compare win rates", "app.leaderboard"),
    ("Export conversation", "Save this conversation as Markdown", "app.export"),
    ("Choose theme", "Change the colours (saved for next time)", "app.change_theme"),
    ("Show key bindings", "Every key and what it does", "app.help"),
)


class LlmApp(ShowsWorkerFailures, App[int]):
    """The llmtui terminal app."""

    TITLE = "llmtui"
    # main.tcss is the app's own from the start: read as the main screen's CSS_PATH when it
    # was pushed, it re-parsed every stylesheet source (Stylesheet.reparse) before the first frame.
    CSS_PATH = [Path(themes.__file__).with_name("base.tcss"),
                Path(__file__).with_name("screens") / "main.tcss"]
    # Narrow terminals drop the side panes (main.tcss), so the transcript keeps its room.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]

    BINDINGS = [
        Binding("ctrl+k", "keys", "Keys", id="app.keys", priority=True, tooltip="Manage API keys"),
        Binding("ctrl+o", "history", "History", id="app.history", tooltip="Earlier conversations"),
        Binding("ctrl+l", "leaderboard", "Leaderboard", id="app.leaderboard", show=False,
                tooltip="Blind-compare win rates"),
        Binding("ctrl+s", "export", "Export", id="app.export", show=False, tooltip="Export as Markdown"),
        Binding("ctrl+t", "change_theme", "Theme", id="app.theme", show=False, tooltip="Change theme"),
        Binding("f1", "help", "Help", id="app.help", tooltip="Show all key bindings"),
        # Textual's own ctrl+q, shown: people look for how to quit in the footer.
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, tooltip="Quit llmtui"),
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
        self.start = StartOptions(model=model, compare=tuple(compare) if compare else None, prompt=prompt,
                                  blind=blind, resume=resume, preset=preset)
        self.deterministic = deterministic
        themes.install(self, config.theme)

    def get_default_screen(self) -> MainScreen:
        # The first screen, not one pushed from on_mount: a pushed screen lays out its first
        # frame while the app's start-up batch is still open, and Textual drops that frame.
        return MainScreen(self.runtime, self.start, deterministic=self.deterministic)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._save_theme)
        if self.config.keymap:
            self.set_keymap(dict(self.config.keymap))

    async def on_unmount(self) -> None:
        await self.runtime.aclose()

    @property
    def main(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    @property
    def catalog_entries(self) -> list[CatalogRow]:
        return self.main.catalog_entries

    def _save_theme(self, theme: Any) -> None:
        from llmtui.core.settings import save_settings

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

    def _chat_with(self, ref: str) -> Callable[[], Any]:
        return lambda: self.call_later(self.main.switch_to, [ref])

    def _compare_with(self, ref: str) -> Callable[[], Any]:
        return lambda: self.call_later(self.main.switch_to, [*self.main.session.models[:1], ref])

    # ------------------------------------------------------------ actions
    # Screens are imported when first opened (start-up imports only what the first paint needs).

    def copy_to_clipboard(self, text: str) -> None:
        """Every copy (ctrl+y, code links, a mouse selection, the prompt box) goes by OSC 52,
        wrapped for tmux/screen, and a local clipboard program, and says honestly how it went."""
        from llmtui.clipboard import copy

        copy(self, text)

    def action_help(self) -> None:
        from llmtui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(help_rows(self.screen)))

    def action_refresh_catalog(self) -> None:
        self.main.load_catalog(refresh=True)

    def action_keys(self) -> None:
        from llmtui.screens.keys import KeysScreen

        self.push_screen(KeysScreen(self.runtime), self._keys_closed)

    def _keys_closed(self, _result: object = None) -> None:
        self.main.load_catalog()  # a key added or removed changes what the catalog can list

    def action_history(self) -> None:
        from llmtui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(self.runtime.store), self._history_closed)

    async def _history_closed(self, conversation_id: int | None) -> None:
        if conversation_id is not None:
            await self.main.open_conversation(conversation_id)
        else:
            await self.main.forget_if_deleted()

    def action_leaderboard(self) -> None:
        from llmtui.screens.leaderboard import LeaderboardScreen

        self.push_screen(LeaderboardScreen(self.runtime.store))

    async def action_export(self) -> None:
        from llmtui.core.export import export_conversation

        conversation_id = self.main.session.conversation_id
        if conversation_id is None:
            self.notify("Nothing to export yet: send a prompt first.", severity="warning")
            return

        try:
            path = await asyncio.to_thread(export_conversation, self.runtime.store, conversation_id, None)
        except OSError as exc:
            self.notify(f"Export failed: {exc}", severity="error", markup=False)
            return
        self.notify(f"Exported to {path}", markup=False)


def help_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """The keys live on `screen`: the app's own first, then the screen's, then the rest."""
    app = screen.app
    rows: list[tuple[int, str, str, str]] = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system or not binding.description:
            continue
        node = active.node
        rank, section = ((0, "llmtui") if node is app else (1, "This screen") if node is screen
                         else (2, f"Editing ({type(node).__name__})"))
        rows.append((rank, section, app.get_key_display(binding), active.tooltip or binding.description))
    rows.sort(key=lambda row: row[0])
    return [row[1:] for row in rows]
