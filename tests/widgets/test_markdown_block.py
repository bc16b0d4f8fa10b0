"""Finished answers: mouse selection copies their text, and a theme switch re-colours code."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Offset

from llmtui.widgets.markdown_block import MarkdownBlock
from llmtui.widgets.message_view import MessageView

ANSWER = """WAL means **write-ahead logging**: changes go to a log first.

```python
db.execute("PRAGMA journal_mode=WAL")
```

- readers never block writers
- one writer at a time
"""


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield MessageView("groq/llama-3.3-70b-versatile", text=ANSWER)


async def test_mouse_selection_of_a_finished_answer_copies_its_text() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        (block,) = app.query(MarkdownBlock)
        last = block.size.height - 1
        await pilot.mouse_down(block, offset=Offset(0, 0))
        await pilot.hover(block, offset=Offset(block.size.width - 1, last))
        await pilot.mouse_up(block, offset=Offset(block.size.width - 1, last))
        await pilot.pause()
        selected = app.screen.get_selected_text()
        assert selected is not None
        assert "WAL means write-ahead logging: changes go to a log first." in selected
        assert 'db.execute("PRAGMA journal_mode=WAL")' in selected
        assert "readers never block writers" in selected and "one writer at a time" in selected
        # the selected cells are drawn with the screen's selection style
        selected_style = app.screen.get_component_rich_style("screen--selection")
        assert any(seg.style and selected_style.bgcolor == seg.style.bgcolor
                   for seg in block.render_line(0))


async def test_a_partial_selection_is_exactly_the_dragged_words() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        (block,) = app.query(MarkdownBlock)
        line = block.plain_lines()[0]
        start = line.index("write-ahead")
        await pilot.mouse_down(block, offset=Offset(start, 0))
        end = start + len("write-ahead logging") - 1  # the cell under the pointer is included
        await pilot.hover(block, offset=Offset(end, 0))
        await pilot.mouse_up(block, offset=Offset(end, 0))
        await pilot.pause()
        assert app.screen.get_selected_text() == "write-ahead logging"


async def test_switching_to_a_light_theme_recolours_existing_code_blocks() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "textual-dark"
        await pilot.pause()
        (block,) = app.query(MarkdownBlock)
        code_row = next(y for y, text in enumerate(block.plain_lines()) if "PRAGMA" in text)

        def code_background() -> object:
            return {seg.style.bgcolor for seg in block.render_line(code_row) if seg.style and seg.text.strip()}

        dark = code_background()
        app.theme = "textual-light"
        await pilot.pause()
        assert block.dark is False
        assert code_background() != dark


TWO_BLOCKS = """Two ways:

```python
print("first")
```

and

```
echo second
```
"""


class CopyHost(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.copied: list[str] = []

    def compose(self) -> ComposeResult:
        yield MessageView("m", text=TWO_BLOCKS)

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


async def test_each_code_block_has_its_language_and_its_own_copy_link() -> None:
    app = CopyHost()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        (block,) = app.query(MarkdownBlock)
        lines = block.plain_lines()
        labels = [(y, line) for y, line in enumerate(lines) if "⧉ copy" in line]
        assert [line.split()[0] for _, line in labels] == ["python", "code"]
        y, line = labels[1]
        await pilot.click(block, offset=Offset(line.index("⧉ copy") + 2, y))
        y, line = labels[0]
        await pilot.click(block, offset=Offset(line.index("⧉ copy") + 2, y))
        await pilot.pause()
        assert app.copied == ["echo second", 'print("first")']


class Streaming(App[None]):
    def compose(self) -> ComposeResult:
        yield MessageView("bench/bench", id="view")


async def test_a_finished_stream_is_laid_out_off_the_event_loop_and_whole(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The whole answer's Markdown is parsed and wrapped in a worker thread; the screen only
    replays the lines. Nothing is dropped or reordered by the streamed batches."""
    import threading

    from llmtui.widgets.markdown_block import RenderOnce

    rendered_on: list[threading.Thread] = []
    real = RenderOnce.prerender

    def spy(self: RenderOnce, console, options) -> None:  # type: ignore[no-untyped-def]
        rendered_on.append(threading.current_thread())
        real(self, console, options)

    monkeypatch.setattr(RenderOnce, "prerender", spy)
    pieces = [ANSWER[i:i + 7] for i in range(0, len(ANSWER), 7)] + ["\n\nlast words ENDMARK"]
    app = Streaming()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(MessageView)
        view.start()
        for piece in pieces:
            view.feed(piece)
            await view.tick()
        await view.finish()
        await pilot.pause()
        await pilot.pause()
        (block,) = app.query(MarkdownBlock)
        assert block.source == "".join(pieces) == view.full_text
        assert rendered_on and all(t is not threading.main_thread() for t in rendered_on)
        # the layout made in the thread is the one the screen used: no second layout
        assert len(block.content._lines) == 1  # type: ignore[union-attr]
        text = "\n".join(block.plain_lines())
        assert "readers never block writers" in text and text.rstrip().endswith("last words ENDMARK")
