"""Pilot tests of what the tester broke in attachments on the main screen: hostile file
names in chips, the price of Enter with files waiting as chips, @path handling (the prompt's
own text kept exactly; files become chips for review, nothing sent until the next Enter),
a prompt that is only a missing path, chips that do not fit the row."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Static

from llmtui.core.attachments import label, load
from llmtui.widgets.attachment_chips import AttachmentChip, AttachmentChips
from tests.cli.test_attach import png
from tests.screens.helpers import answered, booted, groq_config, make_app, until
from tests.screens.main.test_attachments import VISION, chats
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


async def test_at_path_is_a_chip_to_review_and_the_text_is_kept(write_config, fake_url, openai_server,  # type: ignore[no-untyped-def]
                                                                monkeypatch, tmp_path: Path) -> None:
    """Enter on a prompt naming @red.png attaches it as a chip and sends nothing; the draft is
    back as typed; the next Enter sends it, whitespace and the @word exactly as typed. Pasted
    @.env and @/abs/path outside the folder are not attached (F2 is the way), nor sent."""
    server, _ = openai_server
    groq_config(write_config, fake_url, monkeypatch)
    (tmp_path / "red.png").write_bytes(png(8, 8))
    (tmp_path / ".env").write_text("SECRET_TOKEN=abc")
    outside = tmp_path.parent / f"{tmp_path.name}-host.txt"
    outside.write_text("my-hostname")
    monkeypatch.chdir(tmp_path)
    typed = ("def f():\n    return  1   # two  spaces\nsee @red.png, and  @dataclass"
             f" @.env @{outside}")
    app = make_app(model=VISION)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await booted(pilot)
        chips = screen.query_one(AttachmentChips)
        prompt = screen.query_one("#prompt")
        prompt.focus()
        prompt.text = typed  # type: ignore[attr-defined]
        before = len(chats(server))
        await pilot.press("enter")
        await until(pilot, lambda: len(chips.parts) == 1)
        await pilot.pause(0.2)
        assert [p.name for p in chips.parts] == ["red.png"]
        assert prompt.text == typed  # type: ignore[attr-defined]  # back for review, unsent
        assert len(chats(server)) == before and not screen.session.turns
        await pilot.press("enter")  # reviewed: this one sends
        await answered(pilot)
        sent = chats(server)[before:]
        assert len(sent) == 1
        content = sent[0].json()["messages"][-1]["content"]
        assert content[0] == {"type": "text", "text": typed}
        assert [p["type"] for p in content] == ["text", "image_url"]  # no .env, no outside file
        assert "SECRET_TOKEN" not in sent[0].body.decode() and "my-hostname" not in sent[0].body.decode()


async def test_a_lone_missing_path_is_not_sent(write_config, fake_url, openai_server,  # type: ignore[no-untyped-def]
                                               monkeypatch, tmp_path: Path) -> None:
    server, _ = openai_server
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model=VISION)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await booted(pilot)
        prompt = screen.query_one("#prompt")
        prompt.focus()
        missing = f"{tmp_path}/doesnotexist.png"
        prompt.text = missing  # type: ignore[attr-defined]
        before = len(chats(server))
        await pilot.press("enter")
        await until(pilot, lambda: prompt.text == missing)  # type: ignore[attr-defined]
        await pilot.pause(0.3)
        assert len(chats(server)) == before and not screen.session.turns


async def test_chips_that_do_not_fit_wrap_so_each_can_be_seen(tmp_path: Path) -> None:
    """Ten chips at 80 and 160 columns: every one painted whole on screen, none cut off, each
    one reachable with Tab; a resize re-wraps them."""
    app = make_app(model=DEMO)
    async with app.run_test(size=(80, 40)) as pilot:
        screen = await booted(pilot)
        chips = screen.query_one(AttachmentChips)
        for i in range(10):
            shot = tmp_path / f"big_header_{i}.png"
            shot.write_bytes(png(4, 4))
            await chips.add(load(shot), label(load(shot)))
        for size in ((80, 40), (160, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.3)
            text = painted(app)
            for i in range(10):
                assert f"big_header_{i}.png · " in text and f"big_header_{i}.png · {len(png(4, 4))} B ✕" in text
            row = chips.content_region
            for chip in chips.query(AttachmentChip):
                assert row.contains_region(chip.region), (size, chip.region, row)
        last = chips.query(AttachmentChip).last()
        last.focus()
        await pilot.pause()
        assert app.focused is last and chips.content_region.contains_region(last.region)
