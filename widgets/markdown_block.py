"""A block of finished Markdown: rendered once per width, selectable with the mouse, re-themable.

Textual can select text only in widgets whose rendered cells carry an `offset` (Content and
Text visuals do; a Rich renderable in a Static does not, so its `get_selection()` is None and
a mouse selection over an answer copied nothing). Here each rendered line gets offsets, the
selected cells get the screen's selection style, and `get_selection` returns the plain text
of the lines as laid out. The code theme follows the app theme: `set_dark` renders again.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.selection import Selection
from textual.strip import Strip
from textual.widgets import Static

from llmtui.widgets.settled_size import SettledSize

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult


class RenderOnce:
    """A Rich renderable that lays out its inner one once per width, then replays the lines.

    Textual measures every Static's height on each layout pass, and a Rich Markdown block
    re-parses and re-wraps itself every time it is measured: with a long answer on screen
    that made each streamed frame cost in proportion to everything already shown.
    """

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner
        # A few layouts, not one: measuring and painting may ask at different widths.
        self._lines: dict[tuple[object, ...], list[list[Segment]]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (options.max_width, options.justify, options.no_wrap, options.overflow)
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) >= 4:
                self._lines.clear()
            lines = self._lines[key] = console.render_lines(self.inner, options, pad=False)
        new_line = Segment.line()
        for line in lines:
            yield from line
            yield new_line

    def prerender(self, console: Console, options: ConsoleOptions) -> None:
        """Lay out for `options` now (safe in a worker thread before the block is mounted), so
        the event loop only replays the lines."""
        key = (options.max_width, options.justify, options.no_wrap, options.overflow)
        if key not in self._lines:
            self._lines[key] = console.render_lines(self.inner, options, pad=False)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.inner)

    @property
    def markup(self) -> str:
        """The Markdown source (as `rich.markdown.Markdown.markup`)."""
        return str(getattr(self.inner, "markup", ""))


CODE_TOKENS = ("fence", "code_block")


def _labelled_markdown() -> type:
    """rich.markdown.Markdown whose code blocks carry a header: the language and a copy link.

    Built on first use: markdown-it costs start-up time, and the first screen has no answers.
    The link is a click action on the block widget (`copy_code(N)`, N counting code blocks in
    source order, as `code_blocks` does).
    """
    from rich.markdown import CodeBlock, Markdown
    from rich.text import Text

    class LabelledCodeBlock(CodeBlock):
        index = 0

        @classmethod
        def create(cls, markdown: Markdown, token: object) -> CodeBlock:
            block = super().create(markdown, token)  # type: ignore[arg-type]
            block.index = markdown.code_count  # type: ignore[attr-defined]
            markdown.code_count += 1  # type: ignore[attr-defined]
            return block

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            language = "code" if self.lexer_name == "text" else self.lexer_name
            copy = RichStyle(underline=True, meta={"@click": f"copy_code({self.index})"})
            yield Text.assemble((f" {language} ", "reverse"), "  ", ("⧉ copy", copy))
            yield from super().__rich_console__(console, options)

    class LabelledMarkdown(Markdown):
        elements = {**Markdown.elements, "fence": LabelledCodeBlock, "code_block": LabelledCodeBlock}
        code_count = 0

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            self.code_count = 0  # each layout numbers the blocks from the first again
            yield from super().__rich_console__(console, options)

    return LabelledMarkdown


_MARKDOWN: list[type] = []


def render_markdown(text: str, dark: bool) -> RenderOnce:
    if not _MARKDOWN:
        _MARKDOWN.append(_labelled_markdown())
    # hyperlinks=False: a link from a model shows its URL instead of becoming a live
    # terminal hyperlink (OSC 8) whose target the user cannot see.
    return RenderOnce(_MARKDOWN[0](text, code_theme="monokai" if dark else "default", hyperlinks=False))


class MarkdownBlock(SettledSize, Static):
    """Finished Markdown, as a Static that mouse selection and copy understand."""

    def __init__(self, source: str, dark: bool) -> None:
        super().__init__(render_markdown(source, dark))
        self.source = source
        self.dark = dark

    async def prerender(self, width: int) -> None:
        """Parse and lay out the Markdown at `width` in a worker thread, before mounting: a long
        answer's layout then costs the event loop (and the other lanes' frames) nothing."""
        content = self.content
        if width <= 0 or not isinstance(content, RenderOnce):
            return
        options = self.app.console_options.update_width(width).update(highlight=False)
        await asyncio.to_thread(content.prerender, self.app.console, options)

    def set_dark(self, dark: bool) -> None:
        """Render again with the code theme for a dark or light app theme."""
        if dark != self.dark:
            self.dark = dark
            self.update(render_markdown(self.source, dark))

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y).apply_offsets(0, y)
        selection = self.text_selection
        span = selection.get_span(y) if selection is not None else None
        if span is None:
            return strip
        start, end = span
        length = strip.cell_length
        end = length if end == -1 else min(end, length)
        if start >= end:
            return strip
        # The selection's background over the text's own colours (as Textual draws Content).
        highlight = RichStyle(bgcolor=self.screen.get_component_rich_style("screen--selection").bgcolor)
        cuts = [start, end, length] if end < length else [start, length]
        pieces = strip.divide(cuts)
        chosen = Strip([Segment(text, style + highlight if style else highlight, control)
                        for text, style, control in pieces[1]])
        return Strip.join([pieces[0], chosen, *pieces[2:]])

    def plain_lines(self) -> list[str]:
        """The block's text as laid out at its current width, one string per line."""
        return [super(MarkdownBlock, self).render_line(y).text.rstrip()
                for y in range(self.size.height)]

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        lines = self.plain_lines()
        if not lines:
            return None
        return selection.extract("\n".join(lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def code_blocks(self) -> list[str]:
        """The code of each fenced or indented block, in source order."""
        parsed = getattr(self.renderable_markdown, "parsed", [])
        return [token.content.rstrip("\n") for token in parsed if token.type in CODE_TOKENS]

    @property
    def renderable_markdown(self) -> object:
        content = self.content
        return content.inner if isinstance(content, RenderOnce) else None

    def action_copy_code(self, index: int) -> None:
        """The copy link above a code block: that block's code to the clipboard."""
        blocks = self.code_blocks()
        if 0 <= index < len(blocks):
            self.app.copy_to_clipboard(blocks[index])
