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


async def test_an_emoji_family_or_a_crlf_cut_between_pieces_shows_as_if_whole() -> None:
    """Tester items 5 and 6: each frame's text was cleaned on its own, so a ZWJ that ended one
    piece showed as <U+200D> and a CR that ended one as ␍, live and after the answer ended."""
    pieces = ["family 👨", "\u200d👩", "\u200d👧 end z\r", "\nw done"]
    app = OneAnswer()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(MessageView)
        view.start()
        for piece in pieces:
            view.feed(piece)
            await view.tick()
            await pilot.pause()
        live = "\n".join(str(chunk.render()) for chunk in view.query(".tail > .chunk"))
        assert "family 👨\u200d👩\u200d👧 end z" in live and "<U+" not in live and "␍" not in live
        await view.finish()
        await pilot.pause()
        assert view.full_text == "family 👨\u200d👩\u200d👧 end z\nw done"
