"""The open end of a streaming answer as plain text, at a cost per frame that nothing can grow.

The open text (what follows the blocks already rendered as Markdown) shows in chunks of about
`TAIL_CHUNK` characters: a full chunk is frozen (laid out once), only the live last one is
re-wrapped as text arrives, so a long paragraph costs the same per frame at its end as at its
start. At most `MAX_CHUNKS` chunks are in view: older ones scroll out of it, and one line above
says how much is out of view and that it is kept (the answer holds the whole text; this widget
only shows its end). So neither the widgets nor the characters laid out per frame grow with the
open text, nor with how much arrives in one frame: a server that floods 20 MB of one paragraph
costs a frame what 6 KB does, and Esc is handled at once.
"""

from __future__ import annotations

from collections import deque

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from llmtui.widgets.settled_size import SettledStatic, SettledVertical

TAIL_CHUNK = 800
MAX_CHUNKS = 24
"""Chunks in view (~19 KB): several screenfuls of the newest text, even in a wide pane (a long
code block streams whole until it is very long)."""


def size_text(chars: int) -> str:
    """`19.2M characters`, `840K characters`, `5,000 characters`."""
    if chars >= 1_000_000:
        return f"{chars / 1_000_000:.1f}M characters"
    if chars >= 100_000:
        return f"{chars // 1000:,}K characters"
    return f"{chars:,} characters"


def skipped_note(chars: int) -> str:
    """The line above text shown without what came before it."""
    return f"… {size_text(chars)} above not shown here · kept in full (copy, history, export)"


def end_text(text: str, keep: int) -> Text:
    """The last ~`keep` characters of `text` (from a line or word start), under a line saying
    how much is above and that it is kept."""
    start = cut_point(text, len(text) - keep, len(text) - keep + 80)
    return Text.assemble((skipped_note(start), "dim italic"), "\n", text[start:].rstrip())


def cut_point(text: str, start: int, end: int) -> int:
    """Where to end a piece of `text` begun at `start`, at most at `end`: after the last newline
    in range, else after the last space, else at `end`."""
    return (text.rfind("\n", start, end) + 1 or text.rfind(" ", start, end) + 1) or end


class StreamTail(SettledVertical):
    """The open text of a streaming answer: a skipped-text line, then its newest chunks."""

    DEFAULT_CSS = """
    StreamTail {
        height: auto;
    }
    StreamTail > Static {
        height: auto;
    }
    StreamTail > .skipped {
        color: $text-muted;
        text-style: italic;
        display: none;
    }
    StreamTail > .skipped.-shown {
        display: block;
    }
    """

    def __init__(self) -> None:
        super().__init__(classes="tail")
        self._pieces: deque[str] = deque()  # frozen pieces in view
        self._live = ""
        self.hidden = 0
        """Characters of the open text above the pieces in view."""
        self._chunks: list[SettledStatic] = []
        self._texts: list[str] = []  # what each chunk widget shows
        self._shown_hidden = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="skipped")

    async def add(self, text: str) -> None:
        """Show `text` after the open text shown so far."""
        live = self._live + text if text else self._live
        keep = MAX_CHUNKS * TAIL_CHUNK
        if len(live) > keep:
            # More than the view holds arrived: what would scroll straight out of view is never
            # cut into chunks (cutting a megabyte 800 characters at a time copies it a thousand times).
            cut = cut_point(live, len(live) - keep, len(live) - keep + 80)
            self.hidden += cut + sum(map(len, self._pieces))
            self._pieces.clear()
            live = live[cut:]
        start = 0
        while len(live) - start > TAIL_CHUNK:
            end = cut_point(live, start, start + TAIL_CHUNK)
            self._pieces.append(live[start:end])
            start = end
        self._live = live[start:] if start else live
        while len(self._pieces) >= MAX_CHUNKS:
            self.hidden += len(self._pieces.popleft())
        await self._show()

    async def reset(self, text: str = "") -> None:
        """The open text is now `text` alone (what followed the blocks just rendered)."""
        self._pieces.clear()
        self._live = ""
        self.hidden = 0
        await self.add(text)

    async def _show(self) -> None:
        texts = [*self._pieces, self._live]
        scrolled = next((i for i, text in enumerate(self._texts) if text is texts[0]), 0)
        if 0 < scrolled < len(self._chunks):
            # Chunks whose text scrolled out of view move to the end for the newest text: the
            # others keep their layout (a shift re-wraps what is new, not the whole view).
            gone = self._chunks[:scrolled]
            for chunk in gone:
                self.move_child(chunk, after=self.children[-1])
            self._chunks = [*self._chunks[scrolled:], *gone]
            self._texts = [*self._texts[scrolled:], *self._texts[:scrolled]]
        if len(self._chunks) > len(texts):
            # Keep the first chunk widgets and re-use them: a fresh mount costs a style pass.
            await self.remove_children(self._chunks[len(texts):])
            del self._chunks[len(texts):], self._texts[len(texts):]
        new: list[SettledStatic] = []
        last = len(texts) - 1
        for i, text in enumerate(texts):
            shown = text.removesuffix("\n") if i < last else text  # a cut after a newline drops it
            if i >= len(self._chunks):
                new.append(SettledStatic(Text(shown), classes="chunk"))
                self._texts.append(text)
            elif self._texts[i] is not text:
                self._texts[i] = text
                if i == last:
                    self._chunks[i].update_text(Text(shown))  # repaints in place while it fits
                else:
                    self._chunks[i].update(Text(shown))
        if new:
            self._chunks.extend(new)
            await self.mount_all(new)
        if self.hidden != self._shown_hidden:
            self._shown_hidden = self.hidden
            marker = self.query_one(".skipped", Static)
            marker.update(Text(skipped_note(self.hidden)))
            marker.set_class(bool(self.hidden), "-shown")
