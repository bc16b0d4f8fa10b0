"""Pick a file to attach: a path input with completion (Tab or → takes the suggestion)
above a DirectoryTree of the current folder; Enter on either attaches, Esc cancels.

File names are data: one can hold escape codes or a bidi override, so the tree, the
suggestions and the messages show them made visible (␛, <U+202E>), never raw.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text, TextType
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Input, Static

from llmtui.core.attachments import AttachmentError, check, shown
from llmtui.screens.worker_failures import ShowsWorkerFailures


class PathSuggester(Suggester):
    """Completes the last path component from what is on disk (directories end in /)."""

    def __init__(self, base: Path) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.base = base

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder = typed if value.endswith("/") else typed.parent
        stem = "" if value.endswith("/") else typed.name
        where = folder if folder.is_absolute() else self.base / folder
        hidden = stem.startswith(".")
        try:  # a name that would not show as itself is never offered (pick it in the tree)
            names = sorted(p.name + ("/" if p.is_dir() else "") for p in where.iterdir()
                           if p.name.startswith(stem) and (hidden or not p.name.startswith("."))
                           and shown(p.name) == p.name)
        except OSError:
            return None
        return value + names[0][len(stem):] if names else None


# What the path input takes: a paste holding escape codes or invisible characters is refused
# whole (it would not show as itself); such a file is picked in the tree instead.
_SHOWABLE = r"[^\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]*"


class FileTree(DirectoryTree):
    """A DirectoryTree whose labels are file names made visible, and never markup."""

    def process_label(self, label: TextType) -> Text:
        return super().process_label(Text(shown(label.plain if isinstance(label, Text) else label)))


class AttachFileScreen(ShowsWorkerFailures, ModalScreen[Path | None]):
    """Returns the chosen file, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="attach.cancel"),
        Binding("tab", "complete", "Complete", id="attach.complete", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    AttachFileScreen {
        align: center middle;
    }
    AttachFileScreen > Vertical {
        width: 90%;
        max-width: 100;
        height: 80%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    AttachFileScreen DirectoryTree {
        height: 1fr;
    }
    AttachFileScreen #attach-problem {
        color: $error;
        height: auto;
    }
    """

    def __init__(self, base: Path | None = None) -> None:
        super().__init__()
        self.base = base or Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Attach a file: an image (PNG, JPEG, GIF, WebP) or a text file. "
                         "Tab completes; Esc cancels.")
            yield Input(placeholder="path/to/file", suggester=PathSuggester(self.base), id="attach-path",
                        restrict=_SHOWABLE)
            yield Static("", id="attach-problem")
            yield FileTree(self.base, id="attach-tree")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        """Tab takes the path suggestion in the input; elsewhere it moves focus as usual."""
        field = self.query_one(Input)
        if field.has_focus and field._suggestion:
            field.value = field._suggestion
            field.cursor_position = len(field.value)
        else:
            self.focus_next()

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if event.value.strip() and not path.is_absolute():
            path = self.base / path
        try:
            self.dismiss(check(path))
        except AttachmentError as exc:  # no such file, a folder, a FIFO, a loop: said here
            self.query_one("#attach-problem", Static).update(Text(str(exc)))

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(Path(event.path))
