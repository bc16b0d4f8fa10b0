"""One answer, streamed: finished Markdown blocks render once, the open block as plain text.

Re-parsing the whole answer (or even the whole open block) per token is what makes
naive streaming slow: a 5,000-word paragraph re-parsed every batch takes seconds.
Here text is buffered and flushed on the owner's frame tick (`tick()`; one tick for
every streaming view, so two columns cost one repaint per frame, not two); a few times
a second the *finished* blocks (up to the last blank line outside a code fence) are
rendered as Markdown into one new block, and the still-open text shows cheaply as
plain text (widgets/stream_tail.py: its newest few KB, whatever the size of the open block
or of what arrives in one frame). When the stream ends the whole answer is rendered once.
An answer beyond MARKDOWN_MAX is never parsed as Markdown: its end shows as plain text.

Blocks are Rich Markdown renderables in `MarkdownBlock` Statics (mouse-selectable), not
Textual's Markdown widget: that widget mounts a widget per paragraph, list item and cell,
and mounting (styles, layout) is what a frame spends its time on — 0.7 s against 0.2 s for 5,000 tokens.
"""

from __future__ import annotations

import asyncio
from time import monotonic

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from llmtui.sanitize import StreamSanitizer, sanitize
from llmtui.widgets.block_group import StackedBlocks, mount_grouped
from llmtui.widgets.growing_text import BlockScanner, GrowingText
from llmtui.widgets.markdown_block import MarkdownBlock
from llmtui.widgets.metrics_bar import Metrics, MetricsBar
from llmtui.widgets.same_lines import SameLines
from llmtui.widgets.settled_size import SettledSize, SettledStatic
from llmtui.widgets.stream_tail import StreamTail, end_text
from llmtui.widgets.thinking_block import ThinkingBlock, ThoughtFigures
from llmtui.widgets.thinking_mode import Mode

COMMIT_EVERY_S = 0.3
"""Finished blocks move into the Markdown widget at most this often while streaming..."""
COMMIT_CHARS = 6000
"""...or sooner once this much text waits as plain text."""
MARKDOWN_MAX = 256_000
"""An answer longer than this (characters) is not rendered as Markdown, streamed or whole:
parsing megabytes takes seconds and lays out hundreds of thousands of lines. Its end shows as
plain text (`plain_end`) under a line saying the rest is kept (copy, history, export: whole)."""
PLAIN_END = 32_000
"""How much of such an answer's end is shown."""


def plain_end(text: str) -> Static:
    """The last ~PLAIN_END characters of a huge answer, plain, under a line saying what is above."""
    return SettledStatic(end_text(text, PLAIN_END), classes="plain-end")


class MessageView(SettledSize, SameLines, Vertical):
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
    MessageView > .body {
        height: auto;
    }
    MessageView > .body > Static {
        height: auto;
    }
    MessageView > .body > .-after {
        margin: 1 0 0 0;
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
                 notice: str = "", failed: bool = False, id: str | None = None,  # noqa: A002
                 reasoning: str = "", reasoning_mode: Mode = "collapse") -> None:
        """Args:
            title: Model name (or "Model A" in a blind compare).
            text: A stored answer to show at once (no streaming).
            metrics: The stored answer's figures.
            notice: A stored error or interruption note.
            failed: Whether that note is an error.
            reasoning: A stored answer's thinking (shown folded, above the answer).
            reasoning_mode: show / collapse / hide (see thinking_block.py).
        """
        super().__init__(id=id, classes="-failed" if failed else "")
        self.thinking = ThinkingBlock(text=reasoning, mode=reasoning_mode,
                                      figures=thought_figures(metrics) if metrics else None,
                                      redacted=bool(metrics and metrics.reasoning_redacted))
        self._title = title
        self._initial = (sanitize(text), metrics, sanitize(notice))
        self._parts: list[str] = []
        self._answer = GrowingText(self._initial[0])
        self._shown = StreamSanitizer()  # cleans the stream as if it came whole
        # The text not yet rendered as Markdown starts at `_open_from` in the answer and shows
        # in the tail; the scanner has read it once, to know where finished blocks end.
        self._open_from = 0
        self._scanner = BlockScanner()
        self._rendering = True  # False once the answer is too long to render as Markdown
        self._flush_lock = asyncio.Lock()
        self._tail: StreamTail | None = None
        self._dirty = False
        self._last_commit = 0.0
        self._fed_at = 0.0

    @property
    def full_text(self) -> str:
        """The answer so far (joined when read: streaming only appends)."""
        return str(self._answer)

    def compose(self) -> ComposeResult:
        text, metrics, notice = self._initial
        yield Static(Text(self._title), classes="title")
        yield self.thinking
        with StackedBlocks(classes="body"):
            if text:
                yield plain_end(text) if len(text) > MARKDOWN_MAX else MarkdownBlock(text, self._dark())
        if notice:
            yield Static(Text(notice), classes="notice")
        bar = MetricsBar()
        if metrics is not None:
            bar.show(metrics)
        yield bar

    @property
    def markdown(self) -> Vertical:
        """The container of rendered Markdown blocks."""
        return self.query_one(".body", Vertical)

    def _dark(self) -> bool:
        return self.app.current_theme.dark if self.is_attached else True

    def on_mount(self) -> None:
        # Code blocks are coloured for a dark or light theme: a theme switch re-renders them.
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        dark = self._dark()
        for block in self.markdown.query(MarkdownBlock):
            block.set_dark(dark)

    async def _append_markdown(self, text: str) -> None:
        if text.strip():
            await mount_grouped(self.markdown, await self._rendered_block(text))

    async def _rendered_block(self, text: str) -> Static:
        """A block for `text`, laid out at the body's width in a worker thread (markdown_block.py);
        a huge answer's end as plain text."""
        if len(text) > MARKDOWN_MAX:
            return plain_end(text)
        block = MarkdownBlock(text, self._dark())
        # The body goes first when the view is removed (a new chat clears the transcript while
        # an interrupted answer still finishes): no width to lay out at, and nowhere to show it.
        body = next(self.query_children(".body").results(Vertical), None)
        if self.is_attached and body is not None:
            await block.prerender(body.size.width)
        return block

    def set_title(self, title: str) -> None:
        self._title = title
        if self.is_mounted:
            self.query_one(".title", Static).update(Text(title))

    # ------------------------------------------------------------ streaming

    def start(self) -> None:
        """Begin a stream: show the streaming state; the owner then calls `tick()` per frame."""
        self.add_class("-streaming")
        self._open_from = len(self._answer)
        if self._tail is None:
            self._tail = StreamTail()
            self.mount(self._tail, after=self.markdown)

    def feed(self, text: str) -> None:
        """Queue a piece of the answer (cheap: called once per token)."""
        if not self._parts and not self._answer:
            self.thinking.end_thinking()  # the answer starts: the thought folds away
        self._parts.append(text)
        self._dirty = True
        self._fed_at = monotonic()

    def feed_reasoning(self, text: str, *, redacted: bool = False) -> None:
        """Queue a piece of the model's thinking (shown dim above the answer)."""
        self.thinking.feed(text, redacted=redacted)
        self._fed_at = monotonic()

    def quiet(self, now: float, after_s: float) -> bool:
        """Whether text waits to be shown and none has come for `after_s` (the stream paused,
        or it is ending: its last words come a moment before its end is saved and reported)."""
        return (self._dirty or self.thinking.unshown) and now - self._fed_at >= after_s

    def set_reasoning_mode(self, mode: Mode) -> None:
        self.thinking.set_mode(mode)

    async def tick(self) -> None:
        """Show what arrived since the last tick (nothing to do if nothing did)."""
        self.thinking.tick()
        if self._dirty and not self._flush_lock.locked():
            await self._flush()

    async def _flush(self, *, final: bool = False) -> None:
        async with self._flush_lock:
            self._dirty = False
            new = self._shown.feed("".join(self._parts)) if self._parts else ""
            self._parts.clear()
            if final:
                new += self._shown.flush()
            if new:
                self._answer.append(new)
                if self._rendering:
                    self._scanner.feed(new)
            now = monotonic()
            done, rest, scanner = "", "", self._scanner
            # Mounting Markdown blocks (styles, layout) is the costly part of a frame, so
            # finished blocks move into the Markdown widget a few times a second, in batches;
            # until then they show as plain text in the tail, like the open block.
            if self._rendering and scanner.split and (now - self._last_commit >= COMMIT_EVERY_S
                                                      or scanner.length > COMMIT_CHARS):
                if self._open_from + scanner.split > MARKDOWN_MAX:
                    # A huge answer: no more Markdown (seconds of parsing); the rest streams
                    # as plain text and its end is shown plainly too (`plain_end`).
                    self._rendering = False
                else:
                    open_text = self._answer.tail(len(self._answer) - self._open_from)
                    done, rest = open_text[:scanner.split], open_text[scanner.split:]
                    self._open_from += scanner.split
                    scanner.rebase()
                    self._last_commit = now
            if self._tail is not None:
                await (self._tail.reset(rest) if done else self._tail.add(new))
            if done:
                await self._append_markdown(done)

    def interrupting(self) -> None:
        """Esc: say at once that the answer stops (saving what arrived comes after, and takes
        seconds for a multi-megabyte answer)."""
        self.remove_class("-streaming")
        self.add_class("-interrupted")
        self.show_notice("interrupted — saving the text so far…")

    async def finish(self, state: str = "done") -> None:
        """The stream ended: show the last words at once, then parse the open block once.

        The parse waits until the screen has painted the plain text, so the end of an
        answer is on screen without waiting for Markdown.
        """
        await self._flush(final=True)
        self.thinking.end_thinking()
        self.remove_class("-streaming")
        if state == "interrupted":
            self.add_class("-interrupted")
        self.call_after_refresh(self._finalize)

    async def _finalize(self) -> None:
        if not self.is_attached:  # removed meanwhile (a model switch re-drew the transcript)
            return
        async with self._flush_lock:
            # The open text is in the answer, which is rendered whole below.
            self._open_from, self._rendering = 0, True
            self._scanner = BlockScanner()
            tail, self._tail = self._tail, None
            # Laid out in a thread first: the streamed view stays until the whole render is ready.
            text = self.full_text
            whole = await self._rendered_block(text) if text.strip() else None
            bodies = self.query_children(".body").results(Vertical)
            body = next(bodies, None)
            if body is None or not self.is_attached:  # being removed (a redraw of the transcript)
                return
            with self.app.batch_update():
                # One render of the whole answer replaces the streamed batches, so a finished
                # answer looks the same however the stream happened to be split into batches
                # (and the same as when it is reopened from history).
                await body.remove_children()
                if whole is not None:
                    await body.mount(whole)
                if tail is not None:
                    await tail.remove()

    async def load(self, text: str) -> None:
        """Show stored text at once (no streaming)."""
        self._answer = GrowingText(sanitize(text))
        await self.markdown.remove_children()
        await self._append_markdown(self.full_text)

    # ------------------------------------------------------------ notices

    def show_notice(self, text: str, *, failed: bool = False) -> None:
        notices = list(self.query_children(".notice").results(Static))
        if notices:
            notices[0].update(Text(sanitize(text)))
            notices[0].set_class(not text, "-hidden")
        elif text:
            self.mount(Static(Text(sanitize(text)), classes="notice"), before=self.query_one(MetricsBar))
        self.set_class(failed, "-failed")

    class MetricsShown(Message):
        """Posted when the figures change: a compare pane pins its newest answer's."""

        def __init__(self, view: MessageView, metrics: Metrics) -> None:
            super().__init__()
            self.view = view
            self.metrics = metrics

    def show_metrics(self, metrics: Metrics) -> None:
        self.query_one(MetricsBar).show(metrics)
        self.post_message(self.MetricsShown(self, metrics))
        figures = thought_figures(metrics)
        if metrics.hides_reasoning and metrics.ttft_s is None and not metrics.state:
            self.thinking.waiting(hidden_by_provider=True)
        elif figures.hidden_by_provider:
            self.thinking.end_thinking(figures)
        else:
            self.thinking.set_figures(figures)


def thought_figures(metrics: Metrics) -> ThoughtFigures:
    """The thinking block's header figures, from the answer's metrics."""
    return ThoughtFigures(
        thinking_s=metrics.thinking_s, tokens=metrics.reasoning_tokens,
        estimated=metrics.reasoning_estimated,
        hidden_by_provider=metrics.hides_reasoning and bool(metrics.reasoning_tokens)
        and metrics.thinking_s is None,
        masked=metrics.masked_timings, blind=metrics.blind,
    )
