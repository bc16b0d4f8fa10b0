"""Pilot tests of what the tester broke in attachments on the main screen: hostile file
names in chips, the price of Enter with files waiting as chips, @path handling (the prompt's
own text kept exactly; files become chips for review, nothing sent until the next Enter),
a prompt that is only a missing path, chips that do not fit the row."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Static

from llmtui.core.attachments import label, load
from llmtui.widgets.attachment_chips import AttachmentChips
from tests.cli.test_attach import png
from tests.screens.helpers import answered, booted, groq_config, make_app, until
from tests.screens.main.test_attachments import chats
from tests.screens.main.test_send_price import PRICED

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


async def test_pending_chips_are_in_the_price_of_enter(write_config, fake_url, openai_server,  # type: ignore[no-untyped-def]
                                                       monkeypatch, tmp_path: Path) -> None:
    """Three large images waiting as chips push the prompt over the per-request limit: the
    line under the prompt says so for each lane, in the words the budget then refuses with,
    and Enter sends nothing."""
    server, _ = openai_server
    groq_config(write_config, fake_url, monkeypatch, PRICED + "\n[budget]\nper_request_usd = 0.5\n")
    shots = []
    for i in range(3):
        shots.append(tmp_path / f"big{i}.png")
        shots[-1].write_bytes(png(2000, 2000))
    app = make_app(compare=["groq/priced", "groq/cached"])
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await booted(pilot)
        line = screen.query_one("#send-price", Static)
        prompt = screen.query_one("#prompt")
        prompt.focus()
        await pilot.press(*"hi")
        await until(pilot, lambda: "groq/priced ~$" in str(line.render()))  # fits without them
        chips = screen.query_one(AttachmentChips)
        for shot in shots:
            await chips.add(load(shot), label(load(shot)))
        await until(pilot, lambda: str(line.render()).count(": refused (") == 2)
        await until(pilot, lambda: not [w for w in screen.workers if w.group == "send-price" and w.is_running])
        await pilot.pause(0.5)  # the third chip's refresh, queued behind the second's
        await until(pilot, lambda: not [w for w in screen.workers if w.group == "send-price" and w.is_running])
        shown = str(line.render())
        before = len(chats(server))
        await pilot.press("enter")
        await answered(pilot)
        assert len(chats(server)) == before
        for lane in screen.session.turns[-1].lanes:
            error = lane.stats.error if lane.stats else None
            assert error is not None
            assert f"{lane.ref}: refused ({error.message.split(';')[0].split(', so ')[0]})" in shown
