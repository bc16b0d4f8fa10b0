"""The attach picker (F2) on its own: file names are data, so a name holding escape codes,
a bidi override or markup shows made visible in the tree, the suggestions and the messages,
and what is not a regular file is named as such."""

from __future__ import annotations

import os
from pathlib import Path

from textual import events
from textual.app import App
from textual.widgets import Input

from llmtui.screens.attach_file import AttachFileScreen, PathSuggester
from tests.screens.harness import ScreenApp

HOSTILE = "esc\x1b[31mRED\x1b[0m\x1b]0;pwned\x07.md"
BIDI = "bidi\u202eabc.txt"
MARKUP = "[b]mark.txt"


def painted(app: App[object]) -> str:
    """Every character the screen would write to the terminal, escape codes included."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_hostile_names_show_visibly(tmp_path: Path) -> None:
    for name in (HOSTILE, BIDI, MARKUP):
        (tmp_path / name).write_text("hello")
    app = ScreenApp(lambda: AttachFileScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if "mark.txt" in painted(app):
                break
        text = painted(app)
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "esc␛[31mRED␛[0m␛]0;pwned␇.md" in text
        assert "bidi<U+202E>abc.txt" in text
        assert "[b]mark.txt" in text  # shown as named, not read as markup
        # A name that would not show as itself is never completed into the input.
        assert await PathSuggester(tmp_path).get_suggestion("es") is None
        assert await PathSuggester(tmp_path).get_suggestion("[") == MARKUP
        field = app.screen.query_one(Input)
        field.post_message(events.Paste(f"{tmp_path}/{HOSTILE}"))  # refused whole: pick it below
        await pilot.pause()
        assert field.value == "" and "\x1b" not in painted(app)


async def test_a_fifo_is_not_a_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    app = ScreenApp(lambda: AttachFileScreen(tmp_path))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one(Input).value = "pipe"
        await pilot.press("enter")
        await pilot.pause()
        assert "pipe: not a file (a FIFO)" in painted(app)
        assert app.results == []  # still open: nothing was picked
