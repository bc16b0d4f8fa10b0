"""A model that sends terminal escape sequences cannot act on the user's terminal."""

from __future__ import annotations

import re

from tests.screens.helpers import answered, make_app, send

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


async def test_escape_sequences_are_visible_stand_ins_on_screen(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                               monkeypatch) -> None:
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    monkeypatch.setenv("GROQ_API_KEY", "sk-test-123")
    app = make_app(compare=("groq/escapes", "groq/escapes"))
    async with app.run_test(size=(160, 40)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        texts = [app.main.views[lane].full_text for lane in screen.session.turns[-1].lanes]
        svg = app.export_screenshot()
        plain = app.export_screenshot(simplify=True)
    for text in texts:
        assert not CONTROL.search(text), repr(text)
        # every stand-in shows: ESC, BEL, the C1 CSI, backspace and the bare CR
        assert "safe␛[2J␛]52;c;ZXZpbA==␇␛]8;;http://x␛\\link" in text
        assert "␛[3A␛[10D<U+009B>2K␈␍ end" in text
    for rendered in (svg, plain):
        assert not CONTROL.search(rendered.replace("\n", "").replace("\t", ""))
    assert "␛[2J" in svg and "ZXZpbA==" in svg and "␇" in svg
    assert "http://x" not in re.findall(r'href="([^"]*)"', svg)  # OSC 8 made no link
