"""A long streamed answer's frames do not re-measure the Markdown blocks already committed
(issue 19): counted, not timed. Before, each commit (a few a second) measured every block
committed before it, twice: ~130 box models a commit at 32 blocks, growing with the answer."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget

from llmtui.widgets import message_view
from llmtui.widgets.block_group import GROUP_BLOCKS
from llmtui.widgets.markdown_block import MarkdownBlock
from llmtui.widgets.message_view import COMMIT_CHARS, MARKDOWN_MAX, MessageView

PARAGRAPHS = ("Some words in a paragraph, **bold** and `code`. " * 20 + "\n\n") * 7
assert COMMIT_CHARS < len(PARAGRAPHS) < MARKDOWN_MAX / (4 * GROUP_BLOCKS + 4)  # a block per feed


class OneAnswer(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():  # as in the transcript and the compare lanes
            yield MessageView("a/model")


async def test_frames_measure_only_the_newest_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(message_view, "COMMIT_EVERY_S", 1e9)  # commits by size only
    measured: list[int] = [0]
    box_model = Widget._get_box_model

    def counted(widget: Widget, *args: object, **kwargs: object) -> object:
        if isinstance(widget, MarkdownBlock):
            measured[0] += 1
        return box_model(widget, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Widget, "_get_box_model", counted)
    app = OneAnswer()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(MessageView)
        view.start()

        async def frame(text: str) -> int:
            before = measured[0]
            view.feed(text)
            await view.tick()
            await pilot.pause()
            return measured[0] - before

        for _ in range(8 * GROUP_BLOCKS):
            if len(view.query(MarkdownBlock)) >= 4 * GROUP_BLOCKS:
                break
            await frame(PARAGRAPHS)
        blocks = len(view.query(MarkdownBlock))
        assert blocks >= 4 * GROUP_BLOCKS
        # The open paragraph grows: no committed block is measured again...
        assert [await frame("more words ") for _ in range(3)] == [0, 0, 0]
        # ...and a commit measures its own group's blocks, not all of them.
        assert await frame(PARAGRAPHS) <= 2 * GROUP_BLOCKS < blocks
        await view.finish()
        await pilot.pause()
        await pilot.pause()
        # The finished answer is one block with the whole text, as before.
        (whole,) = view.query(MarkdownBlock)
        assert view.full_text.count("more words") == 3
