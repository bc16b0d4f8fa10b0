"""One answer, streamed: finished Markdown blocks render once, the open block as plain text.

Re-parsing the whole answer (or even the whole open block) per token is what makes
naive streaming slow: a 5,000-word paragraph re-parsed every batch takes seconds.
Here text is buffered and flushed on the owner's frame tick (`tick()`, ~24 fps;
one tick for every streaming view, so two columns cost one repaint per frame, not
two); each flush moves only the
*finished* blocks (up to the last blank line outside a code fence) into the
Markdown widget and shows the still-open block cheaply in a Static. When the
stream ends the tail is parsed once.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.widgets import Markdown

from llmtui.sanitize import sanitize
from llmtui.widgets.metrics_bar import Metrics, MetricsBar

TAIL_CHUNK = 800


def finished_prefix(text: str, in_fence: bool = False) -> tuple[int, bool]:
    """Length of the leading part of `text` made of finished Markdown blocks.

    A block is finished at a blank line outside a code fence, or at a closing fence.

    Args:
        text: Uncommitted text, starting at a block boundary.
        in_fence: Whether `text` starts inside a code fence.

    Returns:
        (split index, whether the text at the split index is inside a fence).
    """
    split, split_fence = 0, in_fence
    pos = 0
    fence = in_fence
    for line in text.splitlines(keepends=True):
        pos += len(line)
        if not line.endswith("\n"):
            break  # an unfinished line never closes a block
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            fence = not fence
            if not fence:
                split, split_fence = pos, False
        elif not fence and not stripped:
            split, split_fence = pos, False
    return split, split_fence


class MessageView(Vertical):
    """An assistant answer: title, Markdown body, open tail, notice and metrics."""

    DEFAULT_CSS = """
    MessageView {
        height: auto;
        padding: 0 1 0 1;
        border-left: outer $secondary 50%;
        margin: 0 0 1 0;
    }
    MessageView > .title {
        color: $secondary;
        text-style: bold;
        height: 1;
    }
    MessageView > Markdown {
        margin: 0;
        padding: 0;
        background: transparent;
        height: auto;
    }
    MessageView > Markdown > *:last-child {
        margin-bottom: 0;
    }
    MessageView > .tail {
        height: auto;
    }
    MessageView > .tail > Static {
        height: auto;
    }
    MessageView > .notice {
        height: auto;
        color: $warning;
    }
    MessageView.-failed {
        border-left: outer $error;
    }
    MessageView.-failed > .notice {
        color: $error;
    }
    MessageView.-streaming {
        border-left: outer $primary;
    }
    """

    def __init__(self, title: str, *, text: str = "", metrics: Metrics | None = None,
                 notice: str = "", failed: bool = False, id: str | None = None) -> None:  # noqa: A002
        """Args:
            title: Model name (or "Model A" in a blind compare).
            text: A stored answer to show at once (no streaming).
            metrics: The stored answer's figures.
            notice: A stored error or interruption note.
            failed: Whether that note is an error.
        """
        super().__init__(id=id, classes="-failed" if failed else "")
        self._title = title
        self._initial = (sanitize(text), metrics, sanitize(notice))
        self._parts: list[str] = []
        self._committed_len = 0  # chars of the answer already given to Markdown
        self._buffer = ""  # uncommitted text (the open block, and anything new)
        self._in_fence = False
        self._flush_lock = asyncio.Lock()
        self._tail: Vertical | None = None
        self._frozen = 0  # chars of the open block shown in frozen tail chunks
        self._dirty = False
        self.full_text = self._initial[0]

    def compose(self) -> ComposeResult:
        text, metrics, notice = self._initial
        yield Static(Text(self._title), classes="title")
        # Imported here: markdown-it costs start-up time, and the first screen has no answers.
        from textual.widgets import Markdown

        yield Markdown(text or None, classes="body")
        if notice:
            yield Static(Text(notice), classes="notice")
        bar = MetricsBar()
        if metrics is not None:
            bar.show(metrics)
        yield bar

    @property
    def markdown(self) -> Markdown:
        from textual.widgets import Markdown

        return self.query_one(".body", Markdown)

    def set_title(self, title: str) -> None:
        self._title = title
        if self.is_mounted:
            self.query_one(".title", Static).update(Text(title))

    # ------------------------------------------------------------ streaming

    def start(self) -> None:
        """Begin a stream: show the streaming state; the owner then calls `tick()` per frame."""
        self.add_class("-streaming")
        if self._tail is None:
            self._tail = Vertical(classes="tail")
            self.mount(self._tail, after=self.markdown)

    def feed(self, text: str) -> None:
        """Queue a piece of the answer (cheap: called once per token)."""
        self._parts.append(text)
        self._dirty = True

    async def tick(self) -> None:
        """Show what arrived since the last tick (nothing to do if nothing did)."""
        if self._dirty and not self._flush_lock.locked():
            await self._flush()

    async def _flush(self) -> None:
        async with self._flush_lock:
            self._dirty = False
            if self._parts:
                new = sanitize("".join(self._parts))
                self._parts.clear()
                self._buffer += new
                self.full_text += new
            split, fence = finished_prefix(self._buffer, self._in_fence)
            done, self._buffer = self._buffer[:split], self._buffer[split:]
            self._in_fence = fence
            await self._show_tail(reset=bool(done))
            if done:
                self._committed_len += len(done)
                await self.markdown.append(done)

    async def _show_tail(self, reset: bool) -> None:
        """Show the open block as plain text, in frozen chunks plus one live chunk.

        Only the live chunk (at most ~TAIL_CHUNK characters) is re-wrapped per flush,
        so a long open paragraph costs the same per frame at its end as at its start.
        """
        tail = self._tail
        if tail is None:
            return
        if reset:
            await tail.remove_children()
            self._frozen = 0
        chunks = list(tail.query_children(Static))
        live: Static | None = chunks[-1] if chunks else None
        live_text = self._buffer[self._frozen:]
        new_chunks: list[Static] = []
        while len(live_text) > TAIL_CHUNK:
            cut = live_text.rfind("\n", 0, TAIL_CHUNK) + 1 or live_text.rfind(" ", 0, TAIL_CHUNK) + 1
            cut = cut or TAIL_CHUNK
            piece, live_text = live_text[:cut], live_text[cut:]
            self._frozen += cut
            if live is not None:
                live.update(Text(piece.rstrip("\n")))  # the live chunk freezes as it is
                live = None
            else:
                new_chunks.append(Static(Text(piece.rstrip("\n"))))
        if live is not None:
            live.update(Text(live_text))
        else:
            new_chunks.append(Static(Text(live_text)))
        if new_chunks:
            await tail.mount_all(new_chunks)

    async def finish(self, state: str = "done") -> None:
        """The stream ended: show the last words at once, then parse the open block once.

        The parse waits until the screen has painted the plain text, so the end of an
        answer is on screen without waiting for Markdown.
        """
        await self._flush()
        self.remove_class("-streaming")
        if state == "interrupted":
            self.add_class("-interrupted")
        self.call_after_refresh(self._finalize)

    async def _finalize(self) -> None:
        async with self._flush_lock:
            rest, self._buffer = self._buffer, ""
            tail, self._tail = self._tail, None
            with self.app.batch_update():
                if rest:
                    self._committed_len += len(rest)
                    await self.markdown.append(rest)
                if tail is not None:
                    await tail.remove()

    async def load(self, text: str) -> None:
        """Show stored text at once (no streaming)."""
        self.full_text = sanitize(text)
        await self.markdown.update(self.full_text)

    # ------------------------------------------------------------ notices

    def show_notice(self, text: str, *, failed: bool = False) -> None:
        notices = list(self.query_children(".notice").results(Static))
        if notices:
            notices[0].update(Text(sanitize(text)))
            notices[0].set_class(not text, "-hidden")
        elif text:
            self.mount(Static(Text(sanitize(text)), classes="notice"), before=self.query_one(MetricsBar))
        self.set_class(failed, "-failed")

    def show_metrics(self, metrics: Metrics) -> None:
        self.query_one(MetricsBar).show(metrics)
