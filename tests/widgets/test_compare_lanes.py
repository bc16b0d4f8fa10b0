"""Compare panes for 2-4 models: layout by width, independent scroll, pinned metrics, tabs."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from llmtui.widgets.compare_lanes import CompareLanes, layout_for
from llmtui.widgets.metrics_bar import Metrics
from tests.screens.harness import screen_text

MODELS = ["groq/alpha", "openai/beta", "anthropic/gamma", "mistral/delta"]


class LanesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CompareLanes(id="lanes")


async def stream(lanes: CompareLanes, lane: int, text: str, metrics: Metrics) -> None:
    view = lanes.turns[-1].views[lane]
    view.start()
    view.feed(text)
    await view.tick()
    await view.finish("done")
    view.show_metrics(metrics)


@pytest.mark.parametrize(("lanes", "width", "mode"), [
    (2, 100, "cols"), (2, 40, "tabs"), (3, 94, "cols"), (3, 80, "tabs"),
    (4, 160, "cols"), (4, 120, "grid"), (4, 80, "grid"), (4, 70, "tabs"),
])
def test_layout_by_width(lanes: int, width: int, mode: str) -> None:
    assert layout_for(lanes, width) == mode


@pytest.mark.parametrize("count", [3, 4])
async def test_every_lane_scrolls_on_its_own_and_keeps_its_metrics_in_view(count: int) -> None:
    app = LanesApp()
    async with app.run_test(size=(160, 40)) as pilot:
        lanes = app.query_one(CompareLanes)
        await lanes.set_lanes(MODELS[:count])
        await lanes.add_turn("Explain WAL", MODELS[:count])
        long = "\n\n".join(f"paragraph {i} of a long answer" for i in range(120))
        await stream(lanes, 0, long, Metrics(MODELS[0], output_tokens=900, cost="$0.01"))
        for lane in range(1, count):
            await stream(lanes, lane, f"short answer {lane}",
                         Metrics(MODELS[lane], output_tokens=7 + lane, cost="$0.0001"))
        await pilot.pause()
        assert lanes.mode == "cols"
        panes = lanes.panes
        # the long lane followed its own end; the short ones have nothing to scroll
        assert panes[0].scroll.max_scroll_y > 0
        assert panes[0].scroll.scroll_y == panes[0].scroll.max_scroll_y
        assert all(p.scroll.max_scroll_y == 0 for p in panes[1:])
        # scrolling one pane leaves the others where they are
        before = [p.scroll.scroll_y for p in panes]
        panes[0].scroll.scroll_home(animate=False)
        await pilot.pause()
        assert panes[0].scroll.scroll_y == 0
        assert [p.scroll.scroll_y for p in panes[1:]] == before[1:]
        await lanes.add_turn("Another", MODELS[:count])  # a new turn shows in every pane...
        await pilot.pause()
        assert panes[0].scroll.scroll_y == panes[0].scroll.max_scroll_y > 0
        panes[0].scroll.scroll_home(animate=False)  # ...then the user reads lane 0's old text
        await pilot.pause()
        await stream(lanes, 1, long, Metrics(MODELS[1], output_tokens=901))
        await pilot.pause()
        assert panes[1].scroll.scroll_y == panes[1].scroll.max_scroll_y > 0
        assert panes[0].scroll.scroll_y == 0  # lane 1's stream did not move lane 0
        # every pane's metrics line is on screen, wherever its text is scrolled
        text = screen_text(app)
        assert "900 tok" not in text and "901 tok" in text  # pinned: the newest answer's
        for lane in range(2, count):
            assert f"{MODELS[lane]} · ~0 tok" in text  # a new turn pins its empty figures
        for pane in panes:
            assert pane.metrics.region.height >= 1
            assert pane.region.contains_region(pane.metrics.region)
        if count == 4:  # narrower: a 2x2 grid, two panes per row
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            assert lanes.mode == "grid"
            assert panes[0].region.y == panes[1].region.y < panes[2].region.y == panes[3].region.y


@pytest.mark.parametrize("count", [3, 4])
async def test_narrow_shows_one_lane_with_tabs_and_a_key_moves_between_them(count: int) -> None:
    app = LanesApp()
    async with app.run_test(size=(70, 30)) as pilot:
        lanes = app.query_one(CompareLanes)
        await lanes.set_lanes(MODELS[:count])
        await lanes.add_turn("hi", MODELS[:count])
        for lane in range(count):
            await stream(lanes, lane, f"answer from lane {lane}", Metrics(MODELS[lane], output_tokens=lane + 1))
        await pilot.pause()
        assert lanes.mode == "tabs"
        for step in range(count + 1):
            shown = [p for p in lanes.panes if p.display and p.region.width > 0]
            assert [p.index for p in shown] == [step % count]
            text = screen_text(app)
            assert f"answer from lane {step % count}" in text
            assert all(f"answer from lane {i}" not in text for i in range(count) if i != step % count)
            assert all(f"{i + 1} {MODELS[i]}" in text for i in range(count))  # the tab strip
            lanes.next_lane()
            await pilot.pause()
        # wider again: every pane comes back
        await pilot.resize_terminal(200, 30)
        await pilot.pause()
        assert lanes.mode == "cols" and all(p.region.width > 0 for p in lanes.panes)


async def test_diff_covers_two_answers_and_hides_again() -> None:
    app = LanesApp()
    async with app.run_test(size=(120, 30)) as pilot:
        lanes = app.query_one(CompareLanes)
        await lanes.set_lanes(MODELS[:2])
        await lanes.add_turn("hi", MODELS[:2])
        await stream(lanes, 0, "the quick brown fox", Metrics(MODELS[0]))
        await stream(lanes, 1, "the quick red fox", Metrics(MODELS[1]))
        await lanes.show_diff(lanes.diff_pair(), Text("DIFF-LEFT"), Text("DIFF-RIGHT"))
        await pilot.pause()
        text = screen_text(app)
        assert "DIFF-LEFT" in text and "DIFF-RIGHT" in text and "brown" not in text
        await lanes.hide_diff()
        await pilot.pause()
        text = screen_text(app)
        assert "DIFF-LEFT" not in text and "brown" in text and "red" in text


async def test_truncate_and_clear_keep_the_lanes() -> None:
    app = LanesApp()
    async with app.run_test(size=(160, 30)) as pilot:
        lanes = app.query_one(CompareLanes)
        await lanes.set_lanes(MODELS[:3])
        for n in range(3):
            await lanes.add_turn(f"prompt {n}", MODELS[:3])
        await lanes.truncate_from(1)
        await pilot.pause()
        assert len(lanes.turns) == 1 and all(len(p.views) == 1 for p in lanes.panes)
        assert "prompt 0" in screen_text(app) and "prompt 2" not in screen_text(app)
        await lanes.clear_turns()
        assert lanes.turns == [] and len(lanes.panes) == 3


def test_blind_metrics_show_neither_cost_nor_the_cheaper_mark() -> None:
    from llmtui.widgets.metrics_bar import render_metrics

    shown = render_metrics(Metrics("Model A", output_tokens=12, cost="$0.0042", cheaper=True,
                                   faster=True, ttft_s=0.3, tokens_per_s=50.0, blind=True)).plain
    assert "$" not in shown and "cheaper" not in shown and "cost after the vote" in shown
    assert "12 tok" in shown and "TTFT 0.30s" in shown and "faster" in shown  # what is judged


async def test_a_lanes_note_stays_whole_when_the_title_does_not_fit() -> None:
    """Tester item 9: at 80 columns a lane header read '… · think ≤ ' (the number lost)."""
    from textual.widgets import Static

    app = LanesApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lanes = app.query_one(CompareLanes)
        await lanes.set_lanes(["anthropic/claude-sonnet-4-5-20250929", "deepseek/deepseek-reasoner-long-name"])
        lanes.set_notes(["think ≤ 16.4k · temp 0.7", "effort: high"])
        await pilot.pause()
        titles = [str(t.render()) for t in app.query(".lane-title").results(Static)]
        assert titles[0].endswith("· think ≤ 16.4k · temp 0.7") and "…" in titles[0], titles
        assert titles[1].endswith("· effort: high"), titles
        widths = [t.size.width for t in app.query(".lane-title").results(Static)]  # inside the padding
        assert all(len(text) <= width for text, width in zip(titles, widths, strict=True)), (titles, widths)
