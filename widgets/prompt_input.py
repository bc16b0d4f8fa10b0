"""The multi-line prompt box: Enter sends, Shift+Enter / Ctrl+J / Alt+Enter add a line.

Up on an empty box recalls earlier prompts (newest first), Down walks back; editing a recalled
prompt keeps it as a new draft. The owner may seed the list (`set_history`) from the store.
Ctrl+E opens the prompt in `$VISUAL` / `$EDITOR` (the app is suspended meanwhile); what the
editor saves comes back into the box, ready to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

if TYPE_CHECKING:
    from textual.app import App

NEWLINE_KEYS = {"shift+enter", "ctrl+j", "alt+enter", "ctrl+enter"}
HISTORY_LIMIT = 500


class PromptInput(TextArea):
    """A TextArea that posts `Submitted` on Enter instead of inserting a newline."""

    BINDINGS = [
        Binding("ctrl+e", "edit_in_editor", "Editor", id="prompt.editor", show=False,
                tooltip="Compose the prompt in $VISUAL / $EDITOR"),
    ]

    DEFAULT_CSS = """
    PromptInput {
        height: auto;
        min-height: 3;
        /* Border and padding take 4 cells; TextArea wraps its placeholder to the rest and fails
           on 0. A narrowing resize lays out once with the old breakpoint's side panes, which can
           squeeze the centre to that; clipped for a frame beats a crash. */
        min-width: 5;
        max-height: 12;
        border: round $panel;
        padding: 0 1;
        background: $surface;
    }
    PromptInput:focus {
        border: round $primary;
    }
    """

    @dataclass
    class Submitted(Message):
        """The user pressed Enter on a non-empty prompt (the box is already empty again)."""

        input: PromptInput
        text: str

        @property
        def control(self) -> PromptInput:
            return self.input

    @dataclass
    class HelpRequested(Message):
        """`?` typed into an empty prompt: show the key bindings instead."""

    def __init__(self, *, newline_keys: str = "Shift+Enter or Ctrl+J",
                 id: str | None = None) -> None:  # noqa: A002 - Textual's name
        """`newline_keys`: what adds a line in this terminal (the screen asks core.terminal;
        a widget never reads the environment)."""
        super().__init__("", id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                         highlight_cursor_line=False)
        self.placeholder = f"Ask anything — Enter sends, {newline_keys} adds a line"
        self.prompts: list[str] = []  # sent earlier, oldest first
        self._recall: int | None = None  # index into history while recalling

    def set_history(self, prompts: list[str]) -> None:
        """Earlier prompts, oldest first (the newest is recalled first)."""
        self.prompts = list(dict.fromkeys(p for p in prompts if p.strip()))[-HISTORY_LIMIT:]
        self._recall = None

    def put(self, text: str | None) -> None:
        """Replace the draft with `text` (a prompt found by search), ready to edit or send;
        None keeps the draft as it was."""
        if text is not None:
            self.load_text(text)
            self.move_cursor(self.document.end)
        self.focus()

    def _show_recalled(self, index: int | None) -> None:
        self._recall = index
        self.load_text(self.prompts[index] if index is not None else "")
        self.move_cursor(self.document.end)

    def _recall_key(self, key: str) -> bool:
        """Up/Down through history; True when the key was used for it."""
        recalling = self._recall is not None and self.text == self.prompts[self._recall]
        if not recalling:
            self._recall = None
        if key == "up" and self.prompts and (not self.text or recalling) and self.cursor_location[0] == 0:
            self._show_recalled(len(self.prompts) - 1 if self._recall is None else max(0, self._recall - 1))
            return True
        if key == "down" and recalling and self._recall is not None \
                and self.cursor_location[0] == self.document.line_count - 1:
            self._show_recalled(self._recall + 1 if self._recall + 1 < len(self.prompts) else None)
            return True
        return False

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_submit()
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if event.key in ("up", "down") and self._recall_key(event.key):
            event.stop()
            event.prevent_default()
            return
        if event.character == "?" and not self.text:
            event.stop()
            event.prevent_default()
            self.post_message(self.HelpRequested())
            return
        await super()._on_key(event)

    def action_submit(self) -> None:
        """Post the text and clear the box at once: keys typed next start the next prompt.

        (Clearing it later, when the screen gets the message, erased what was typed meanwhile.)
        """
        text = self.text.strip()
        if text:
            if text in self.prompts:
                self.prompts.remove(text)
            self.prompts = [*self.prompts, text][-HISTORY_LIMIT:]
            self._recall = None
            self.clear()
            self.post_message(self.Submitted(self, text))

    def action_edit_in_editor(self) -> None:
        """Open the prompt in the user's editor; its saved text replaces the box's."""
        import os

        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify("Set $VISUAL or $EDITOR (e.g. export EDITOR=vim) to compose in your editor.",
                        severity="warning")
            return
        edited = edit_text(self.app, editor, self.text)
        if isinstance(edited, str):
            self.load_text(edited.rstrip("\n"))
            self.move_cursor(self.document.end)
            self.focus()
        else:
            self.notify(edited.message, severity="warning")


@dataclass
class EditorProblem:
    message: str


def editor_command(editor: str) -> list[str] | EditorProblem:
    """`editor` split like a shell would, its program found on PATH, or why not.

    Checked before the app suspends: a program that cannot start must never leave the
    terminal handed over to nothing.
    """
    import shlex
    import shutil

    try:
        argv = shlex.split(editor)
    except ValueError as exc:
        return EditorProblem(f"Cannot read $VISUAL / $EDITOR {editor!r}: {exc}; the prompt is unchanged.")
    program = shutil.which(argv[0]) if argv else None
    if program is None:
        name = argv[0] if argv else editor
        return EditorProblem(f"The editor {name!r} (from $VISUAL / $EDITOR) was not found; "
                             "the prompt is unchanged.")
    return [program, *argv[1:]]


def edit_text(app: App[object], editor: str, text: str) -> str | EditorProblem:
    """Run `editor FILE` on a private temporary copy of text with the app suspended."""
    import os
    import subprocess
    import tempfile

    from textual.app import SuspendNotSupported

    argv = editor_command(editor)
    if isinstance(argv, EditorProblem):
        return argv
    fd, path = tempfile.mkstemp(prefix="llmtui-prompt-", suffix=".md")  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        try:
            with app.suspend():
                # Caught inside the suspend: an exception leaving it skips Textual's resume,
                # and the app would never take the terminal back.
                try:
                    code: int | OSError = subprocess.call([*argv, path])
                except OSError as exc:
                    code = exc
        except SuspendNotSupported:
            return EditorProblem("This terminal cannot hand over to an editor here.")
        if isinstance(code, OSError):
            return EditorProblem(f"Could not run the editor {editor!r}: {code.strerror or code}; "
                                 "the prompt is unchanged.")
        if code != 0:
            return EditorProblem(f"The editor exited with {code}; the prompt is unchanged.")
        with open(path, encoding="utf-8", errors="replace") as src:
            return src.read()
    finally:
        os.unlink(path)
