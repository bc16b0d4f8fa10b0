"""The main screen survives its terminal getting narrower. Pilot against the demo provider."""

from __future__ import annotations

import pytest

from llmtui.widgets.prompt_input import PromptInput
from tests.screens.helpers import booted, make_app, send, until


@pytest.mark.parametrize("wide", [(160, 48), (120, 40)])
async def test_narrowing_after_wide_keeps_the_empty_prompt_box_drawable(wide: tuple[int, int]) -> None:
    """Textual lays the screen out at the new size before it swaps the breakpoint classes, so
    for one frame the wide side panes squeeze the centre column to a few cells. The empty prompt
    box then wrapped its placeholder to 0 columns and the app died (ValueError in chop_cells)."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await booted(pilot)
        await pilot.resize_terminal(*wide)
        await pilot.pause(0.3)
        await pilot.resize_terminal(60, 20)
        await pilot.pause(0.3)
        prompt = screen.query_one(PromptInput)
        assert app.is_running and screen.has_class("-narrow")
        assert prompt.content_size.width == 60 - 4  # border and padding
        assert "Ask anything" in "".join(s.text for s in prompt.render_line(0))


async def test_a_terminal_too_narrow_for_the_prompt_box_still_draws_it() -> None:
    """At 4 columns the box's border and padding leave no room for text; it is clipped instead."""
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await booted(pilot)
        await pilot.resize_terminal(4, 20)
        await pilot.pause(0.3)
        assert app.is_running
        assert screen.query_one(PromptInput).content_size.width >= 1


async def test_narrowing_while_an_answer_streams_keeps_it_streaming() -> None:
    app = make_app(model="demo/simulated")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await booted(pilot)
        await send(pilot, "tell me about monads")
        await until(pilot, lambda: screen.session.streaming)
        await pilot.resize_terminal(60, 20)
        await pilot.pause(0.3)
        assert app.is_running and screen.session.streaming
