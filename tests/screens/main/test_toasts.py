"""Toasts (Textual notifications) sit above the prompt box and the footer, never on them: a
notice must not hide the draft being typed."""

from __future__ import annotations

import pytest
from textual.widgets import Footer
from textual.widgets._toast import Toast

from llmtui.screens.history import HistoryScreen
from llmtui.widgets.prompt_input import PromptInput
from tests.screens.helpers import booted, make_app, until


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_toast_never_covers_the_prompt_box(size: tuple[int, int]) -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await booted(pilot)
        price = screen.query_one("#send-price")
        for price_shown in (False, True):  # the price line under the box comes and goes
            price.display = price_shown
            app.notify(f"a notice {price_shown}")
            await until(pilot, lambda: bool(screen.query(Toast)))
            await pilot.pause()
            box, footer = screen.query_one(PromptInput).region, screen.query_one(Footer).region
            for toast in screen.query(Toast):
                assert not toast.region.overlaps(box) and not toast.region.overlaps(footer), (
                    toast.region, box, price_shown)
                assert box.y - 1 <= toast.region.bottom <= box.y  # just above it, not far up the screen
            app.clear_notifications()
            await pilot.pause()


async def test_on_the_history_screen_a_toast_leaves_the_status_line_be() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await booted(pilot)
        await app.push_screen(HistoryScreen(app.runtime.store))
        await pilot.pause()
        app.notify("Conversation deleted.")
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        status = app.screen.query_one("#history-status").region
        assert all(not toast.region.overlaps(status) for toast in app.screen.query(Toast))
