"""How models' thinking shows (widgets/thinking_block.py): show, collapse or hide, the F3
cycle and the saved setting. Plain values, no widget: the screens read them before any
answer view is imported (the first frame shows none)."""

from __future__ import annotations

from typing import Literal

Mode = Literal["show", "collapse", "hide"]
MODES: tuple[Mode, ...] = ("collapse", "show", "hide")


def next_mode(mode: str) -> Mode:
    """collapse -> show -> hide -> collapse (anything unknown starts at collapse)."""
    for i, candidate in enumerate(MODES):
        if mode == candidate:
            return MODES[(i + 1) % len(MODES)]
    return MODES[0]


def saved_mode(settings: dict[str, object]) -> Mode:
    """The mode saved in settings.toml (`thinking = "show"`), or collapse."""
    value = settings.get("thinking")
    for mode in MODES:
        if value == mode:
            return mode
    return "collapse"
