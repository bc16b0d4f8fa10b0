"""A tiny App that pushes one screen, so each screen is tested on its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.screen import Screen


class ScreenApp(App[None]):
    """Pushes the screen made by `factory` on mount; records what it dismissed with."""

    def __init__(self, factory: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self._factory = factory
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self._factory(), self.results.append)


def screen_text(app: App[Any]) -> str:
    """Everything painted on screen, as plain text (the SVG export, tags stripped)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
