"""Pilot tests of what the tester broke in attachments on the main screen: hostile file
names in chips, the price of Enter with files waiting as chips, @path handling (the prompt's
own text kept exactly; files become chips for review, nothing sent until the next Enter),
a prompt that is only a missing path, chips that do not fit the row."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from llmtui.widgets.attachment_chips import AttachmentChips
from tests.screens.helpers import booted, make_app, until

DEMO = "demo/simulated"


def painted(app: App[object]) -> str:
    """Every character the screen would write to the terminal, escape codes included."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_hostile_name_in_a_chip_shows_visibly(tmp_path: Path) -> None:
    hostile = tmp_path / "esc\x1b[31mRED\x1b[0m\x1b]0;pwned\x07\u202e.md"
    hostile.write_text("hello")
    markup = tmp_path / "[b]bold.txt"
    markup.write_text("hi")
    app = make_app(model=DEMO)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await booted(pilot)
        chips = screen.query_one(AttachmentChips)
        prompt = screen.query_one("#prompt")
        for path in (hostile, markup):
            prompt.focus()
            prompt.text = str(path)  # type: ignore[attr-defined]  # a pasted path attaches
            await pilot.press("enter")
        await until(pilot, lambda: len(chips.parts) == 2)
        await pilot.pause()
        text = painted(app)
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "esc␛[31mRED␛[0m␛]0;pwned␇<U+202E>.md · 5 B ✕" in text
        assert "[b]bold.txt · 2 B ✕" in text
