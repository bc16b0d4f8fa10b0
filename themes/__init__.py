"""llmtui's own themes, registered beside Textual's built-ins.

`THEMES` maps name -> Theme; `LlmApp` registers each one at start. One is light
(`llmtui-paper`) for bright terminals; the default is `llmtui-night`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.theme import Theme

if TYPE_CHECKING:
    from textual.app import App

DEFAULT_THEME = "llmtui-night"

THEMES: dict[str, Theme] = {
    theme.name: theme
    for theme in (
        Theme(
            name="llmtui-night",
            primary="#5FA8D3",
            secondary="#C792EA",
            accent="#FFCB6B",
            foreground="#D8DEE9",
            background="#15191F",
            surface="#1C222A",
            panel="#252D38",
            success="#8BD49C",
            warning="#F0C674",
            error="#F07178",
            dark=True,
        ),
        Theme(
            name="llmtui-ember",
            primary="#FF9E64",
            secondary="#E0AF68",
            accent="#7DCFFF",
            foreground="#E6DCCD",
            background="#1A1512",
            surface="#231C18",
            panel="#2F2620",
            success="#9ECE6A",
            warning="#E0AF68",
            error="#F7768E",
            dark=True,
        ),
        Theme(
            name="llmtui-paper",
            primary="#1F5FA8",
            secondary="#7A3E9D",
            accent="#B35900",
            foreground="#1E2329",
            background="#FAF8F3",
            surface="#F0EDE6",
            panel="#E3DED3",
            success="#2E7D32",
            warning="#9A6700",
            error="#B3261E",
            dark=False,
            # The accent on the footer's panel is 3.6:1; this brown is 5.3:1 (WCAG AA: 4.5).
            variables={"footer-key-foreground": "#8A4500"},
        ),
    )
}


def install(app: App[Any], configured: str | None) -> None:
    """Register every theme on `app` and pick the one last chosen, else the configured one."""
    from llmtui.core.settings import load_settings

    for theme in THEMES.values():
        app.register_theme(theme)
    saved = load_settings().get("theme")
    wanted = saved if isinstance(saved, str) else (configured or DEFAULT_THEME)
    app.theme = wanted if wanted in app.available_themes else DEFAULT_THEME
