"""The files attached to the next prompt, as removable chips above the prompt box.

Each chip shows a file's name and size; clicking its ✕ (or Delete/Backspace on a focused
chip) removes it. The row hides itself when nothing is attached. It holds the parts; the
screen reads `parts` when it sends and calls `clear()` after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button

# What is attached: the screen's own type (a provider Part); the widget only shows its label.
T = TypeVar("T")


class AttachmentChip(Button):
    """One attached file; pressing it removes it."""

    BINDINGS = [Binding("delete,backspace", "press", "Remove", id="attach.remove", show=False)]

    def __init__(self, label: str, index: int) -> None:
        # Plain content: a file named `[b]x.png` is a name, not markup. The screen gives a
        # label already made visible (escape codes as ␛).
        super().__init__(Content(f"{label} ✕"), classes="chip", tooltip="Remove this attachment")
        self.index = index


class AttachmentChips(Horizontal, Generic[T]):
    DEFAULT_CSS = """
    AttachmentChips {
        height: auto;
        display: none;
        padding: 0 1;
    }
    AttachmentChips.-has-files {
        display: block;
    }
    AttachmentChips .chip {
        min-width: 0;
        width: auto;
        height: 1;
        border: none;
        margin: 0 1 0 0;
        padding: 0 1;
        background: $boost;
    }
    AttachmentChips .chip:focus {
        text-style: bold reverse;
    }
    """

    @dataclass
    class Changed(Message):
        chips: AttachmentChips[object]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.parts: list[T] = []
        self._labels: list[str] = []

    def compose(self) -> ComposeResult:
        return iter(())

    async def add(self, part: T, label: str) -> None:
        """Attach `part`, shown as `label` (e.g. `shot.png · 12.3 KB`)."""
        self.parts.append(part)
        self._labels.append(label)
        await self._redraw()

    async def remove_at(self, index: int) -> None:
        if 0 <= index < len(self.parts):
            del self.parts[index]
            del self._labels[index]
            await self._redraw()

    async def clear(self) -> None:
        self.parts = []
        self._labels = []
        await self._redraw()

    async def _redraw(self) -> None:
        await self.remove_children()
        await self.mount_all(AttachmentChip(label, i) for i, label in enumerate(self._labels))
        self.set_class(bool(self.parts), "-has-files")
        self.post_message(self.Changed(self))  # type: ignore[arg-type]

    @on(Button.Pressed, ".chip")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button, AttachmentChip):
            await self.remove_at(event.button.index)
