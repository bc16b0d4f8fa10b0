"""The main screen's footer: keys in a fixed order with Help and Quit (^q) last, the vote keys
together, and at 80 columns Help and Quit still on screen; key labels readable in every theme."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widgets._footer import FooterKey

from llmtui.themes import THEMES
from tests.screens.helpers import answered, booted, make_app, send, until


def shown(app) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """(key description, right edge) of every footer key on screen, left to right."""
    keys = [k for k in app.main.query(FooterKey) if not k.has_class("-command-palette")]
    return [(f"{k.key_display} {k.description}", k.region.right) for k in keys]


def palette_left(app) -> int:  # type: ignore[no-untyped-def]
    return next(k.region.x for k in app.main.query(FooterKey) if k.has_class("-command-palette"))


async def test_order_at_160_columns() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(160, 30)) as pilot:
        await booted(pilot)
        await until(pilot, lambda: bool(shown(app)))
        assert [label for label, _ in shown(app)] == [
            "esc Stop", "^n New", "^g Compare", "^r Rerun on…", "^y Copy", "^o History", "^k Keys",
            "f1 Help", "^q Quit"]


@pytest.mark.parametrize("blind", [False, True])
async def test_help_and_quit_stay_visible_at_80_columns(blind: bool) -> None:
    kwargs = {"compare": ["demo/simulated-fast", "demo/simulated-fast"], "blind": True} if blind else {}
    app = make_app(**kwargs)
    async with app.run_test(size=(80, 24)) as pilot:
        await booted(pilot)
        if blind:
            await send(pilot, "hello")
            await answered(pilot)
            await until(pilot, lambda: any(label.startswith("f5") for label, _ in shown(app)))
        await until(pilot, lambda: bool(shown(app)))
        labels = [label for label, _ in shown(app)]
        assert labels[-2:] == ["f1 Help", "^q Quit"]
        assert max(right for _, right in shown(app)) <= palette_left(app)  # nothing hidden under it
        if blind:
            assert labels[:4] == ["f5 A better", "f6 B better", "f7 Tie", "f9 Both bad"]


def _luminance(color: Color) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


@pytest.mark.parametrize("theme", sorted(THEMES))
async def test_footer_keys_meet_aa_contrast(theme: str) -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        css = app.get_css_variables()
        key, back = Color.parse(css["footer-key-foreground"]), Color.parse(css["footer-background"])
        lighter, darker = sorted((_luminance(key), _luminance(back)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5


async def test_the_vote_keys_leave_the_footer_with_the_second_model() -> None:
    """Tester #20: after going back to one model the F-keys still offered a vote."""
    app = make_app(compare=["demo/simulated-fast", "demo/simulated"])
    async with app.run_test(size=(160, 30)) as pilot:
        screen = await booted(pilot)
        await send(pilot, "hello")
        await answered(pilot, timeout=90)  # demo/simulated is slow on a busy machine
        await until(pilot, lambda: any(label.startswith("f5") for label, _ in shown(app)))
        await screen.switch_to(["demo/simulated-fast"])
        await until(pilot, lambda: bool(shown(app)) and not any(
            label.startswith(("f5", "f6", "f7", "f9")) for label, _ in shown(app)))
        await pilot.press("f5")  # and the key does nothing
        await pilot.pause()
        assert not screen.session.turns[-1].voted
