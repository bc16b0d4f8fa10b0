"""The no-history notice: one line across the top of the conversation, in the warning
colour, for as long as the session runs without its history store."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class HistoryOffBanner(Static):
    DEFAULT_CSS = """
    HistoryOffBanner {
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $warning 25%;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self, text: str, *, id: str | None = "history-off") -> None:  # noqa: A002 - as Static
        super().__init__(Text(text), id=id)
