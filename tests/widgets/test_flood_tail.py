"""A flood (issue 14): one paragraph of megabytes, no newline, costs a frame what 100 KB does.

Counted, not timed: per frame, the widgets the open paragraph is shown in, the widgets a layout
arranges and the characters Textual wraps. Before, the open paragraph was frozen into a new
widget every 800 characters and all of them stayed mounted (a 20 MB paragraph: ~25,000
widgets, every layout arranging each), and every character that arrived was wrapped once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget

from llmtui.widgets import markdown_block
from llmtui.widgets.markdown_block import MarkdownBlock
from llmtui.widgets.message_view import MARKDOWN_MAX, MessageView
from llmtui.widgets.stream_tail import MAX_CHUNKS, TAIL_CHUNK

VIEW = MAX_CHUNKS * TAIL_CHUNK  # the characters the tail shows at most

WORDS = "word " * 4_000  # 20 KB


class OneAnswer(App[None]):
    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield MessageView("a/model", text=self.text)


@dataclass
class Frame:
    widgets: int
    """Widgets under the answer's open tail."""
    arranged: int
    """Widgets a layout pass measured (box models resolved)."""
    wrapped: int
    """Characters Textual wrapped into lines."""


class Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.arranged = self.wrapped = 0
        box_model, wrap = Widget._get_box_model, Content._wrap_and_format

        def counted_box_model(widget: Widget, *args: object, **kwargs: object) -> object:
            self.arranged += 1
            return box_model(widget, *args, **kwargs)  # type: ignore[arg-type]

        def counted_wrap(content: Content, *args: object, **kwargs: object) -> object:
            self.wrapped += len(content.plain)
            return wrap(content, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Widget, "_get_box_model", counted_box_model)
        monkeypatch.setattr(Content, "_wrap_and_format", counted_wrap)

    async def frame(self, view: MessageView, pilot: object, text: str) -> Frame:
        arranged, wrapped = self.arranged, self.wrapped
        view.feed(text)
        await view.tick()
        await pilot.pause()  # type: ignore[attr-defined]
        return Frame(len(view.query(".tail > *")), self.arranged - arranged, self.wrapped - wrapped)


@asynccontextmanager
async def streaming(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[Counter, MessageView, Pilot[None]]]:
    """An answer that has started streaming, and a counter of what its frames cost."""
    counter = Counter(monkeypatch)
    app = OneAnswer()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(MessageView)
        view.start()
        yield counter, view, pilot


async def test_a_paragraph_growing_to_megabytes_costs_each_frame_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    async with streaming(monkeypatch) as (counter, view, pilot):
        for _ in range(5):
            await counter.frame(view, pilot, WORDS)  # 100 KB open
        early = [await counter.frame(view, pilot, WORDS) for _ in range(3)]
        for _ in range(5):
            await counter.frame(view, pilot, WORDS * 50)  # 1 MB a frame, to 5 MB
        late = [await counter.frame(view, pilot, WORDS) for _ in range(3)]
        assert len(view.full_text) > 5_000_000
        assert view.full_text == WORDS * 261  # kept whole
    for before, after in zip(early, late, strict=True):
        assert after.widgets <= before.widgets <= MAX_CHUNKS + 1  # (+ the skipped-text line)
        assert after.arranged <= before.arranged + 2
        assert after.wrapped <= before.wrapped + 2_000


async def test_a_megabyte_arriving_in_one_frame_is_not_all_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    async with streaming(monkeypatch) as (counter, view, pilot):
        await counter.frame(view, pilot, WORDS)
        big = await counter.frame(view, pilot, WORDS * 50)
        # What is laid out is the few KB in view (measured, then painted), not the megabyte.
        assert big.wrapped < 2 * VIEW + 2_000, big
        assert big.widgets <= MAX_CHUNKS + 1
        marker = str(view.query_one(".tail > .skipped").render())
        assert "above" in marker and "kept in full" in marker


async def test_a_long_paragraph_at_a_usual_pace_wraps_only_its_new_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    async with streaming(monkeypatch) as (counter, view, pilot):
        await counter.frame(view, pilot, "word " * (VIEW // 5 + 1000))  # past the view
        frames = [await counter.frame(view, pilot, "word " * 130) for _ in range(30)]  # 2,000 tok/s
    # Chunks that scroll out of view are re-used at the end: per frame, the live chunk and the
    # one that froze are wrapped (measured and painted), not every chunk in view.
    assert max(f.wrapped for f in frames) <= 4 * TAIL_CHUNK + 2 * 650, frames


async def test_a_huge_answer_ends_as_plain_text_with_its_end_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[int] = []
    render = markdown_block.render_markdown

    def counted(source: str, dark: bool) -> object:
        rendered.append(len(source))
        return render(source, dark)

    monkeypatch.setattr(markdown_block, "render_markdown", counted)
    app = OneAnswer()
    text = ("para " * 200 + "\n\n") * (MARKDOWN_MAX // 1000 + 50)  # many paragraphs, > the limit
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(MessageView)
        view.start()
        for start in range(0, len(text), 200_000):
            view.feed(text[start:start + 200_000])
            await view.tick()
            await pilot.pause()
        await view.finish("interrupted")
        for _ in range(5):
            await pilot.pause()
        assert view.full_text == text
        assert all(size <= MARKDOWN_MAX for size in rendered)  # no Markdown parse of the whole
        shown = "\n".join(str(s.render()) for s in view.query(".body > Static"))
        assert "kept in full" in shown
        assert shown.rstrip().endswith("para para")  # the end of the answer is on screen
        assert len(shown) < 100_000


async def test_a_huge_stored_answer_opens_as_plain_text() -> None:
    text = "word " * (MARKDOWN_MAX // 5 + 10_000)
    app = OneAnswer(text)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(MessageView)
        assert not view.query(MarkdownBlock)
        shown = "\n".join(str(s.render()) for s in view.query(".body > Static"))
        assert "kept in full" in shown and len(shown) < 100_000
        assert view.full_text == text


async def test_megabytes_of_thought_open_as_their_end(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = Counter(monkeypatch)
    app = OneAnswer()
    thought = "think " * 400_000  # 2.4 MB
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(MessageView)
        view.set_reasoning_mode("show")
        view.start()
        for start in range(0, len(thought), 600_000):
            view.feed_reasoning(thought[start:start + 600_000])
            await view.tick()
            await pilot.pause()
        view.feed("The answer.")
        await view.finish()
        await pilot.pause()
        wrapped = counter.wrapped
        view.set_reasoning_mode("collapse")
        view.set_reasoning_mode("show")  # opened again: laid out again
        await pilot.pause()
        assert counter.wrapped - wrapped < 100_000  # its end, not 2.4 MB
        shown = str(view.thinking.query_one(".thought").render())
        assert "kept in full" in shown and shown.rstrip().endswith("think think")
        assert view.thinking.full_text == thought
