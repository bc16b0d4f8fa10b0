"""The thinking block: live and dim while a model thinks, folded after, hidden on request."""

from __future__ import annotations

from textual.widgets import Static

from llmtui.widgets.metrics_bar import Metrics, render_metrics
from llmtui.widgets.thinking_block import ThinkingBlock, ThoughtFigures, header_text
from llmtui.widgets.thinking_mode import next_mode
from tests.widgets.thinking_app import LanesApp

SIZE = (110, 30)


def shown(block: ThinkingBlock) -> tuple[bool, bool, str, str]:
    header = str(block.query_one(".header", Static).render())
    thought = str(block.query_one(".thought", Static).render())
    return block.has_class("-present"), not block.has_class("-closed"), header, thought


async def test_thought_streams_open_then_folds_when_the_answer_starts() -> None:
    app = LanesApp()
    async with app.run_test(size=SIZE) as pilot:
        await app.think()
        await pilot.pause()
        present, open_, header, thought = shown(app.views[0].thinking)
        assert present and open_
        assert header.startswith("▾ thinking…")
        assert thought.endswith("decorators.")  # the newest words are the ones on screen
        app.views[0].feed("A closure is")
        await app.views[0].tick()
        await pilot.pause()
        present, open_, header, _ = shown(app.views[0].thinking)
        assert present and not open_ and header.startswith("▸ thought for")
        # Lane B still thinks, unaffected by A's answer.
        assert shown(app.views[1].thinking)[1]


async def test_modes_cycle_and_hide_leaves_only_the_live_timer() -> None:
    assert [next_mode(m) for m in ("collapse", "show", "hide", "junk")] == ["show", "hide", "collapse",
                                                                             "collapse"]
    app = LanesApp(mode="hide")
    async with app.run_test(size=SIZE) as pilot:
        await app.think(answer_a="Answer.")
        await pilot.pause()
        assert not shown(app.views[0].thinking)[0]  # answered: nothing of the thought
        present, open_, header, _ = shown(app.views[1].thinking)
        assert present and not open_ and "thinking…" in header  # still thinking: the timer only
        app.views[0].set_reasoning_mode("show")
        await pilot.pause()
        present, open_, _, thought = shown(app.views[0].thinking)
        assert present and open_ and thought.startswith("The user wants closures")


def test_headers_say_hidden_by_provider_redacted_and_estimated_counts() -> None:
    hidden = ThoughtFigures(tokens=64, estimated=False, hidden_by_provider=True)
    assert str(header_text(live=True, seconds=42.2, figures=hidden, open_=False, redacted=False)) == (
        "◌ thinking (hidden by provider)… 42 s · 64 tok")
    assert str(header_text(live=False, seconds=None, figures=hidden, open_=False, redacted=False)) == (
        "◌ thought hidden by provider · 64 tok")
    done = ThoughtFigures(thinking_s=20.04, tokens=1500)
    assert str(header_text(live=False, seconds=20.04, figures=done, open_=False, redacted=True)) == (
        "▸ thought for 20.0 s · ~1,500 tok · part redacted by the provider")


def test_metrics_line_names_answer_ttft_thinking_and_the_faster_measure() -> None:
    line = render_metrics(Metrics(model="m", output_tokens=1800, input_tokens=12, tokens_estimated=False,
                                  cost="$0.01", ttft_s=1.0, answer_ttft_s=21.0, thinking_s=20.0,
                                  tokens_per_s=75.0, reasoning_tokens=1500, reasoning_estimated=False,
                                  state="done", faster=True, faster_by="answer TTFT"))
    assert str(line) == ("m · 1800 tok (12 in) · $0.01 · TTFT 1.00s · answer 21.00s · thought 20.0s"
                         " · 75 tok/s (1500 thinking)  ⚡ faster (answer TTFT)")


class TestSnapshots:
    def test_two_lanes_thinking(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """You should see two answer columns, deepseek/deepseek-reasoner and
        anthropic/claude-sonnet-4-5, each with a dim "▾ thinking… –" header and the newest lines
        of its thought below it in italics, no answer text yet."""
        app = LanesApp()

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await app.think()
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_left_answering_right_thinking(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """You should see the left column's thought folded to one line "▸ thought for –" with its
        answer "A closure is a function…" below, while the right column still shows its live
        thought."""
        app = LanesApp()

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await app.think(answer_a="A closure is a function that remembers its scope.")
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_hidden(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """You should see, in hide mode, no thought text at all: the left column shows only its
        answer, the right column a single dim "thinking… –" line."""
        app = LanesApp(mode="hide")

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await app.think(answer_a="A closure is a function that remembers its scope.")
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_a_thought_cut_before_a_zwj_or_inside_a_crlf_reads_as_if_whole() -> None:
    """The twin of the answer's fix (tester items 5, 6): each frame's thought was cleaned on its
    own, so a ZWJ that ended one piece showed as <U+200D> and a CR that ended one as ␍."""
    app = LanesApp(mode="show")
    async with app.run_test(size=SIZE) as pilot:
        view = app.views[0]
        for piece in ["family 👨", "\u200d👩", "\u200d👧 z\r", "\nw ok\u200d"]:
            view.feed_reasoning(piece)
            view.thinking.tick()
            await pilot.pause()
        view.thinking.end_thinking()
        await pilot.pause()
        assert view.thinking.full_text == "family 👨\u200d👩\u200d👧 z\nw ok<U+200D>"
