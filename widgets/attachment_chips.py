"""The files attached to the next prompt, as removable chips above the prompt box.

Each chip shows a file's name and size; clicking its ✕ (or Delete/Backspace on a focused
chip) removes it. Chips wrap onto as many lines as they need, so every one can be seen and
reached with Tab (a name too long for a line is cut with …). The widget hides itself when
nothing is attached. It holds the parts; the screen reads `parts` when it sends and calls
`clear()` after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.widgets import Button

# What is attached: the screen's own type (a provider Part); the widget only shows its label.
T = TypeVar("T")


class AttachmentChip(Button):
    """One attached file; pressing it removes it."""

    BINDINGS = [Binding("delete,backspace", "press", "Remove", id="attach.remove", show=False)]

    def __init__(self, label: str, index: int, room: int) -> None:
        # Plain content: a file named `[b]x.png` is a name, not markup. The screen gives a
        # label already made visible (escape codes as ␛).
        text = Content(f"{label} ✕")
        if text.cell_length > room:  # longer than a whole line: keep the end (size and ✕)
            text = Content("…") + text[text.cell_length - room + 1:]
        super().__init__(text, classes="chip", tooltip="Remove this attachment")
        self.index = index

    @staticmethod
    def width_of(label: str) -> int:
        """Cells the chip takes on its line: the label, ` ✕`, padding and the margin after it."""
        return Content(f"{label} ✕").cell_length + _CHROME


_CHROME = 3  # Button's line-pad of 1 each side, and margin 0 1 0 0, below


class AttachmentChips(Vertical, Generic[T]):
    DEFAULT_CSS = """
    AttachmentChips {
        height: auto;
        display: none;
        padding: 0 1;
    }
    AttachmentChips.-has-files {
        display: block;
    }
    AttachmentChips > Horizontal {
        height: 1;
    }
    AttachmentChips .chip {
        min-width: 0;
        width: auto;
        height: 1;
        border: none;
        margin: 0 1 0 0;
        padding: 0;
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
        self._laid_for = 0

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

    async def _redraw(self, changed: bool = True) -> None:
        await self.remove_children()
        await self.mount_all(self._lines(self.content_size.width or self.app.size.width - 2))
        self._laid_for = self.content_size.width
        self.set_class(bool(self.parts), "-has-files")
        if changed:
            self.post_message(self.Changed(self))  # type: ignore[arg-type]

    def _lines(self, width: int) -> list[Horizontal]:
        """The chips packed into lines of `width` cells, in order."""
        room = max(8, width - _CHROME)
        lines: list[list[AttachmentChip]] = [[]]
        used = 0
        for index, label in enumerate(self._labels):
            need = min(AttachmentChip.width_of(label), room + _CHROME)
            if lines[-1] and used + need > width:
                lines.append([])
                used = 0
            lines[-1].append(AttachmentChip(label, index, room))
            used += need
        return [Horizontal(*chips) for chips in lines if chips]

    async def _on_resize(self, event: Resize) -> None:
        if self.parts and event.size.width != self._laid_for:  # re-wrap for the new width
            focused = self.app.focused
            at = focused.index if isinstance(focused, AttachmentChip) and focused in self.query(
                AttachmentChip) else None
            await self._redraw(changed=False)
            if at is not None:
                self.query(AttachmentChip)[at].focus()

    @on(Button.Pressed, ".chip")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button, AttachmentChip):
            await self.remove_at(event.button.index)
