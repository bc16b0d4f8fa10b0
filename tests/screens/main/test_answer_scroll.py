"""PageUp / PageDown read a long answer back while the prompt box has the focus (tester: no
key scrolled the chat; the prompt box took PageUp for its cursor). A compare scrolls every lane."""

from __future__ import annotations

from llmtui.widgets.compare_lanes import CompareLanes
from llmtui.widgets.prompt_input import PromptInput
from llmtui.widgets.transcript import Transcript
from tests.screens.helpers import answered, groq_config, make_app, send, until


async def test_page_keys_scroll_the_chat_from_the_prompt_box(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="groq/long-1500")
    async with app.run_test(size=(80, 24)) as pilot:
        await send(pilot, "a long one")
        await answered(pilot)
        transcript = app.main.query_one(Transcript)
        await until(pilot, lambda: transcript.max_scroll_y > 20 and transcript.scroll_y == transcript.max_scroll_y)
        assert isinstance(app.main.focused, PromptInput)
        bottom = transcript.scroll_y
        await pilot.press("pageup", "pageup")
        await until(pilot, lambda: transcript.scroll_y < bottom - 10)
        assert app.main.query_one(PromptInput).text == ""  # the box's cursor did not take it
        await pilot.press("pagedown", "pagedown", "pagedown")
        await until(pilot, lambda: transcript.scroll_y == transcript.max_scroll_y)


async def test_page_keys_scroll_every_compare_lane(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=("groq/long-1500", "groq/long-1200"))
    async with app.run_test(size=(160, 30)) as pilot:
        await send(pilot, "a long one")
        await answered(pilot)
        scrolls = [pane.scroll for pane in app.main.query_one(CompareLanes).panes]
        await until(pilot, lambda: all(s.max_scroll_y > 20 and s.scroll_y == s.max_scroll_y for s in scrolls))
        bottoms = [s.scroll_y for s in scrolls]
        await pilot.press("pageup")
        await until(pilot, lambda: all(s.scroll_y < b - 5 for s, b in zip(scrolls, bottoms, strict=True)))
