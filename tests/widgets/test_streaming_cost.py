"""A frame of a streamed answer costs the same at its end as at its start (counted, not timed).

Two compare lanes stream a long Markdown answer (and one a long thought first), one frame at a
time as the main screen's frame tick drives them. Per frame we count what Textual does (layout
passes, nodes styled) and the memory a tick allocates at its peak, which is what copying the
whole answer or thought every frame shows up as.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from textual.app import App, ComposeResult
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

from llmtui.widgets.compare_lanes import CompareLanes
from llmtui.widgets.message_view import MessageView
from llmtui.widgets.thinking_mode import Mode

TITLES = ["a/model", "b/model"]


def markdown_pieces(chars: int) -> Iterator[str]:
    """An endless answer shaped like a chat answer, `chars` characters a frame."""
    words = []
    for i in range(10**6):
        if i % 400 == 0:
            words.append(f"\n\n## Part {i // 400}\n\n")
        elif i % 250 == 125:
            words.append("\n\n```python\ndef f(x):\n    return x * 2\n```\n\n")
        elif i % 150 == 75:
            words.append("\n\n- one\n- two **bold**\n- three `code`\n\n")
        elif i % 40 == 0:
            words.append("\n\n")
        else:
            words.append(f"word{i} ")
        if sum(map(len, words)) >= chars:
            yield "".join(words)
            words = []


@dataclass
class Counts:
    layouts: list[int] = field(default_factory=list)
    styled: list[int] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)


class Counter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.layouts = self.styled = 0
        refresh_layout, apply = Screen._refresh_layout, Stylesheet.apply

        def counted_layout(screen: Screen[object], *args: object, **kwargs: object) -> None:
            self.layouts += 1
            refresh_layout(screen, *args, **kwargs)  # type: ignore[arg-type]

        def counted_apply(sheet: Stylesheet, *args: object, **kwargs: object) -> None:
            self.styled += 1
            apply(sheet, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
        monkeypatch.setattr(Stylesheet, "apply", counted_apply)


class LanesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CompareLanes(id="lanes")


async def open_lanes(app: LanesApp, pilot: object, mode: Mode = "collapse") -> list[MessageView]:
    """Two panes with a turn each, streaming."""
    lanes = app.query_one(CompareLanes)
    await lanes.set_lanes(TITLES)
    views = (await lanes.add_turn("go", TITLES)).views
    for view in views:
        view.set_reasoning_mode(mode)
        view.start()
    await pilot.pause()  # type: ignore[attr-defined]
    return views


async def stream(app: LanesApp, pilot: object, views: list[MessageView], counter: Counter,
                 frames: int, chars: int, *, thought: bool = False) -> Counts:
    counts = Counts()
    pieces = markdown_pieces(chars)
    for _ in range(frames):
        piece = next(pieces)
        for view in views:
            if thought:
                view.feed_reasoning(piece)
            else:
                view.feed(piece)
        layouts, styled = counter.layouts, counter.styled
        tracemalloc.start()
        with app.batch_update():
            for view in views:
                await view.tick()
        counts.peak_bytes.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        await pilot.pause()  # type: ignore[attr-defined]
        counts.layouts.append(counter.layouts - layouts)
        counts.styled.append(counter.styled - styled)
    return counts


def mean(values: list[int]) -> float:
    return sum(values) / len(values)


def assert_flat(counts: Counts, what: str) -> None:
    early, late = slice(10, 40), slice(-30, None)
    # A tick allocates about what arrived (and a Markdown batch when one is committed); never a
    # copy of everything so far: the quietest late frames cost what the quietest early ones did.
    assert min(counts.peak_bytes[late]) < min(counts.peak_bytes[early]) + 16_000, what
    assert mean(counts.styled[late]) <= mean(counts.styled[early]) + 2, what
    # One layout pass per frame, not a second one for the sizes the first one set.
    assert mean(counts.layouts[late]) <= 1.3, what


async def test_a_long_answer_costs_the_same_per_frame_at_its_end(monkeypatch: pytest.MonkeyPatch) -> None:
    # Finished blocks are committed by size only (every ~10 frames here), not by the clock, so
    # the frames in between are the same on a fast or a loaded machine. A commit's mount makes
    # Textual mark every line of the growing body dirty (a set as tall as the answer): its cost,
    # not ours, so the memory check reads the frames between commits.
    monkeypatch.setattr("llmtui.widgets.message_view.COMMIT_EVERY_S", 1e9)
    counter = Counter(monkeypatch)
    app = LanesApp()
    async with app.run_test(size=(160, 40)) as pilot:
        views = await open_lanes(app, pilot, "show")
        thinking = await stream(app, pilot, views[:1], counter, 150, 600, thought=True)
        answer = await stream(app, pilot, views, counter, 200, 600)
        assert len(views[0].thinking.full_text) > 80_000 and len(views[0].full_text) > 110_000
    assert_flat(thinking, "thought")
    assert_flat(answer, "answer")


async def test_text_that_grows_within_its_line_repaints_without_a_layout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    counter = Counter(monkeypatch)
    app = LanesApp()
    async with app.run_test(size=(160, 40)) as pilot:
        views = await open_lanes(app, pilot)
        counts = await stream(app, pilot, views, counter, 60, 4)
        # ~70 columns a lane: a line wraps every ~17 frames, a block ends every ~40 words.
        assert sum(counts.layouts[10:]) <= 12, counts.layouts
        assert "word" in views[0].full_text


async def test_the_containers_around_a_streaming_answer_repaint_one_line_not_each(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Every frame resizes the answer and the containers around it, and Textual then re-renders
    # each of their visible lines (border, padding, colour filter: a new Strip each). They draw
    # nothing of their own but background and a left border: one line is enough.
    from textual._styles_cache import StylesCache

    containers: dict[str, int] = {}
    render_widget, render_line = StylesCache.render_widget, StylesCache.render_line
    painting: list[str] = []

    def counted_widget(cache: StylesCache, widget: object, crop: object) -> object:
        painting.append(type(widget).__name__ if getattr(widget, "is_container", False) else "")
        try:
            return render_widget(cache, widget, crop)  # type: ignore[arg-type]
        finally:
            painting.pop()

    def counted_line(cache: StylesCache, *args: object, **kwargs: object) -> object:
        if painting and painting[-1]:
            containers[painting[-1]] = containers.get(painting[-1], 0) + 1
        return render_line(cache, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("llmtui.widgets.message_view.COMMIT_EVERY_S", 1e9)
    app = LanesApp()
    async with app.run_test(size=(160, 40)) as pilot:
        views = await open_lanes(app, pilot)
        pieces = markdown_pieces(600)
        for frame in range(40):
            if frame == 20:  # the lanes are full: from here every frame scrolls them
                monkeypatch.setattr(StylesCache, "render_widget", counted_widget)
                monkeypatch.setattr(StylesCache, "render_line", counted_line)
            piece = next(pieces)
            for view in views:
                view.feed(piece)
            with app.batch_update():
                for view in views:
                    await view.tick()
            await pilot.pause()
    # Two lanes of ~35 lines: ~140 container lines a frame before, when each was re-rendered.
    assert sum(containers.values()) / 20 <= 8, containers
