"""The open text of a streaming answer, shown plainly in chunks, reads as it arrived."""

from __future__ import annotations

from textual.app import App, ComposeResult

from llmtui.widgets.message_view import MessageView
from llmtui.widgets.stream_tail import TAIL_CHUNK


class OneAnswer(App[None]):
    def compose(self) -> ComposeResult:
        yield MessageView("a/model")


async def test_a_paragraph_break_at_a_chunk_boundary_stays_visible(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Between two commits of finished blocks (0.3 s apart) the paragraphs wait in the tail.
    monkeypatch.setattr("llmtui.widgets.message_view.COMMIT_EVERY_S", 1e9)
    text = "word " * ((TAIL_CHUNK - 100) // 5) + "\n\n" + "more " * 40
    app = OneAnswer()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(MessageView)
        view.start()
        view.feed(text)
        await view.tick()
        await pilot.pause()
        chunks = [str(chunk.render()) for chunk in view.query(".tail > .chunk")]
        assert len(chunks) == 2  # cut at the paragraph break
        assert "\n".join(chunks) == text  # the blank line between the paragraphs is kept
