"""Baseline for first paint: a bare Textual app showing one line."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare textual ready")


if __name__ == "__main__":
    Bare().run()
